"""Cleaning limits for the unit tests; for the integration tests, accounts, billing, bookings
and media running on the test broker, databases and S3, with a settable clock."""

import pytest
from nameko.standalone.rpc import ClusterRpcProxy
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from services.accounts.service import AccountsService
from services.billing.service import BillingService
from services.bookings.service import BookingsService
from services.infra.clock import SettableClock
from services.infra.storage import make_s3_client
from services.media.service import MediaService
from services.media.settings import CleaningLimits, settings_from
from services.media.storage import MediaStore
from tests.bookings import conftest as bookings_fixtures
from tests.bookings.conftest import MONDAY_MORNING, booking_request, coachee_form

admin = bookings_fixtures.admin
catalogue = bookings_fixtures.catalogue
subscribers = bookings_fixtures.subscribers

TUESDAY_9 = "2027-03-02T09:00:00+02:00"


@pytest.fixture
def limits() -> CleaningLimits:
    """The limits the service runs with by default."""
    return settings_from({}).cleaning


@pytest.fixture
def clock():
    return SettableClock(MONDAY_MORNING)


@pytest.fixture
def media_settings(request) -> dict:
    """Changes to media's configuration; a test asks for others with indirect parametrisation."""
    return getattr(request, "param", {})


@pytest.fixture
def containers(start_service, service_config, media_settings):
    started = {
        cls.name: start_service(cls) for cls in (AccountsService, BillingService, BookingsService)
    }
    started["media"] = start_service(MediaService, dict(service_config("media"), **media_settings))
    return started


@pytest.fixture
def rpc(containers, service_config):
    with ClusterRpcProxy(service_config("media"), timeout=30) as proxy:
        yield proxy


@pytest.fixture
def store(s3_config) -> MediaStore:
    return MediaStore(make_s3_client(s3_config), s3_config["S3_BUCKET"])


@pytest.fixture
def booking(rpc, catalogue, subscribers):
    """A confirmed booking on Tuesday 9:00; `coachee` is its coachee as an actor."""
    form = coachee_form(subscribers["roster"]["id"])
    created = rpc.bookings.create_booking(booking_request(catalogue, TUESDAY_9, form))["booking"]
    return {**created, "coachee": {"account_id": created["coachee_id"], "role": "coachee"}}


@pytest.fixture
def audit_events(service_databases):
    """The `access_audited` events media has written to its outbox, oldest first."""
    engine = create_engine(service_databases["media"], poolclass=NullPool)

    def read() -> list[dict]:
        with engine.connect() as connection:
            return [
                row.payload
                for row in connection.execute(
                    text(
                        "SELECT payload FROM outbox WHERE event_type = 'access_audited' ORDER BY id"
                    )
                )
            ]

    yield read
    engine.dispose()
