"""A subscriber contact's own organisation's billing reports."""


class SubscriberPages:
    pass
