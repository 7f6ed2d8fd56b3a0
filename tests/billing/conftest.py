import uuid
from datetime import UTC, datetime

import pytest
from nameko.standalone.rpc import ServiceRpcProxy

from services.billing.service import BillingService
from services.infra.clock import Clock, SettableClock

ROSTER_MAX_ROWS = 20


@pytest.fixture
def clock():
    return SettableClock(datetime(2027, 3, 1, 9, 0, tzinfo=UTC))


@pytest.fixture
def billing_config(service_config):
    return dict(
        service_config("billing"),
        ROSTER_HASH_KEY="test-roster-hash-key",
        ROSTER_MAX_ROWS=ROSTER_MAX_ROWS,
    )


@pytest.fixture
def billing(container_factory, billing_config, clock):
    """The billing service running on the test broker, its clock in the test's hand."""
    container = container_factory(BillingService, billing_config)
    next(d for d in container.dependencies if isinstance(d, Clock)).source = clock
    container.start()
    with ServiceRpcProxy("billing", billing_config) as proxy:
        yield proxy


def unique(prefix: str) -> str:
    return f"{prefix}{uuid.uuid4().hex[:8]}"


@pytest.fixture
def admin():
    return {"account_id": str(uuid.uuid4()), "role": "admin"}


@pytest.fixture
def subscriber_data():
    return {
        "name": unique("Insinööriliitto "),
        "business_id": "0112038-9",
        "billing_contact_emails": ["laskutus@Liitto.FI"],
        "member_number_in_report": True,
        "eligibility_method": "roster",
        "identifier_label": "Jäsennumero",
    }
