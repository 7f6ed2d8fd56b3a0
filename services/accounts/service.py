"""The accounts service: coachee profiles, staff accounts and roles, usernames, login sessions."""

from services.contracts.names import ACCOUNTS
from services.infra.service_base import ServiceBase


class AccountsService(ServiceBase):
    name = ACCOUNTS
