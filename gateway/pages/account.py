"""Logging in and out, a forgotten password, one's own details and data, and the fixed pages."""

from gateway.pages.forgotten_password import ForgottenPasswordPages
from gateway.pages.login import LoginPages
from gateway.pages.own_data import OwnDataPages
from gateway.pages.own_details import OwnDetailsPages
from gateway.pages.statements import StatementPages


class AccountPages(
    LoginPages, ForgottenPasswordPages, OwnDetailsPages, OwnDataPages, StatementPages
):
    pass
