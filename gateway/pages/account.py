"""Logging in and out, a forgotten password, one's own details and data, and the fixed pages."""


class AccountPages:
    pass
