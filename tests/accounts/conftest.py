import uuid

import pytest
from nameko.standalone.rpc import ServiceRpcProxy

from services.accounts.service import AccountsService

PASSWORD = "kesäinen-aamu-2027"


@pytest.fixture
def accounts_config(service_config):
    return dict(service_config("accounts"), LOGIN_FAILURE_LIMIT=3)


@pytest.fixture
def accounts_container(start_service, accounts_config):
    """The accounts service running on the test broker, its clock in the test's hand."""
    return start_service(AccountsService, accounts_config)


@pytest.fixture
def accounts(accounts_container, accounts_config):
    with ServiceRpcProxy("accounts", accounts_config) as proxy:
        yield proxy


def unique(prefix: str) -> str:
    return f"{prefix}{uuid.uuid4().hex[:8]}"


def log_in(accounts, username, password=PASSWORD, remember_me=False, address=None):
    """Each call comes from a new address unless one is given, so tests do not throttle others."""
    return accounts.log_in(
        {
            "username": username,
            "password": password,
            "remember_me": remember_me,
            "client_address": address or unique("client-"),
        }
    )


@pytest.fixture
def registration():
    return {
        "name": "Maija Meikäläinen",
        "email": f"{unique('maija')}@Example.FI",
        "phone": "040 123 4567",
        "subscriber_id": str(uuid.uuid4()),
        "member_number": unique("M-"),
        "password": PASSWORD,
    }


@pytest.fixture
def admin(accounts):
    username = unique("admin")
    account = accounts.create_admin(username, "ylläpitäjän-salasana-1")
    return {"account_id": account["id"], "role": "admin", "username": username}
