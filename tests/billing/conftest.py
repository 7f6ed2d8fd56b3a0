import uuid

import pytest
from nameko.standalone.rpc import ServiceRpcProxy

from services.billing.service import BillingService

ROSTER_MAX_ROWS = 20


@pytest.fixture
def billing_config(service_config):
    return dict(
        service_config("billing"),
        ROSTER_HASH_KEY="test-roster-hash-key",
        ROSTER_MAX_ROWS=ROSTER_MAX_ROWS,
    )


@pytest.fixture
def billing(start_service, billing_config):
    """The billing service running on the test broker, its clock in the test's hand."""
    start_service(BillingService, billing_config)
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
