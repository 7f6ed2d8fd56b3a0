"""Accounts, bookings and billing running together with a settable clock (bookings' set-up),
and what the report tests watch: the published events, billing's subscribers, its database and
the object store."""

import pytest
from nameko.events import event_handler
from sqlalchemy import create_engine
from sqlalchemy.pool import NullPool

from services.contracts.billing import MONTHLY_REPORT_PUBLISHED
from services.contracts.names import BILLING
from services.infra.storage import ObjectStore, make_s3_client
from tests.bookings.conftest import admin, catalogue, clock, containers, rpc, unique  # noqa: F401

PUBLISHED_EVENTS: list[dict] = []


class ReportEventSink:
    name = "report_event_sink"

    @event_handler(BILLING, MONTHLY_REPORT_PUBLISHED)
    def remember(self, payload: dict) -> None:
        PUBLISHED_EVENTS.append(payload)


@pytest.fixture
def published_events(container_factory, base_config) -> list[dict]:
    """Every `monthly_report_published` event from now on, as a consumer receives it."""
    PUBLISHED_EVENTS.clear()
    container_factory(ReportEventSink, base_config).start()
    return PUBLISHED_EVENTS


def subscriber_data(method: str, contact: str, **changes) -> dict:
    return {
        "name": unique(f"{method.title()} ry "),
        "business_id": "0112038-9",
        "billing_contact_emails": [contact],
        "eligibility_method": method,
        **changes,
    }


@pytest.fixture
def report_subscribers(rpc, admin):  # noqa: F811
    """A roster subscriber (members M-1, M-2) that wants member numbers in its reports, and a
    manual one that does not; each with a billing contact of its own."""
    roster = rpc.billing.create_subscriber(
        subscriber_data("roster", f"{unique('laskutus')}@liitto.fi", member_number_in_report=True),
        admin,
    )
    rpc.billing.replace_roster(roster["id"], "M-1\nM-2\n", admin)
    manual = rpc.billing.create_subscriber(
        subscriber_data(
            "manual",
            f"{unique('hr')}@tyonantaja.fi",
            member_number_in_report=False,
            identifier_label="Henkilöstönumero",
        ),
        admin,
    )
    return {"roster": roster, "manual": manual}


@pytest.fixture
def billing_engine(service_config):
    """An engine on billing's database, for checks its RPCs cannot make."""
    engine = create_engine(service_config("billing")["DATABASE_URL"], poolclass=NullPool)
    yield engine
    engine.dispose()


@pytest.fixture
def object_store(s3_config) -> ObjectStore:
    return ObjectStore(make_s3_client(s3_config), s3_config["S3_BUCKET"])
