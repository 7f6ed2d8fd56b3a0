"""Privacy staff's requests, erasure previews, retention, audit log and breach register."""


class PrivacyPages:
    pass
