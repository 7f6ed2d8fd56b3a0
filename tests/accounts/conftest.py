import uuid
from datetime import UTC, datetime

import pytest
from nameko.standalone.rpc import ServiceRpcProxy

from services.accounts.service import AccountsService
from services.infra.clock import Clock, SettableClock


@pytest.fixture
def clock():
    return SettableClock(datetime(2027, 3, 1, 9, 0, tzinfo=UTC))


@pytest.fixture
def accounts_config(service_config):
    return dict(service_config("accounts"), LOGIN_FAILURE_LIMIT=3)


@pytest.fixture
def accounts(container_factory, accounts_config, clock):
    """The accounts service running on the test broker, its clock in the test's hand."""
    container = container_factory(AccountsService, accounts_config)
    next(d for d in container.dependencies if isinstance(d, Clock)).source = clock
    container.start()
    with ServiceRpcProxy("accounts", accounts_config) as proxy:
        yield proxy


def unique(prefix: str) -> str:
    return f"{prefix}{uuid.uuid4().hex[:8]}"


@pytest.fixture
def registration():
    return {
        "name": "Maija Meikäläinen",
        "email": f"{unique('maija')}@Example.FI",
        "phone": "040 123 4567",
        "subscriber_id": str(uuid.uuid4()),
        "member_number": unique("M-"),
        "password": "kesäinen-aamu-2027",
    }


@pytest.fixture
def admin(accounts):
    username = unique("admin")
    account = accounts.create_admin(username, "ylläpitäjän-salasana-1")
    return {"account_id": account["id"], "role": "admin", "username": username}
