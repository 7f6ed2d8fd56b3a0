"""The privacy service with accounts, billing, bookings and media on the test broker.

Every service reads the test's settable clock. A saga step that fails waits `STEP_RETRY_BASE`
on that clock, so tests move the clock instead of waiting.
"""

from datetime import timedelta

import pytest
from nameko.standalone.rpc import ClusterRpcProxy
from sqlalchemy import create_engine
from sqlalchemy.pool import NullPool

from services.accounts.service import AccountsService
from services.billing.service import BillingService
from services.bookings.service import BookingsService
from services.infra.storage import make_s3_client
from services.media.service import MediaService
from services.media.storage import MediaStore
from services.privacy.service import PrivacyService
from tests.bookings import conftest as bookings_fixtures
from tests.bookings.conftest import booking_request, coachee_form
from tests.conftest import wait_for
from tests.media import samples
from tests.media.uploads import upload

clock = bookings_fixtures.clock
admin = bookings_fixtures.admin
catalogue = bookings_fixtures.catalogue
subscribers = bookings_fixtures.subscribers

STEP_RETRY_BASE = timedelta(seconds=60)
PARTICIPANT_TIMEOUT_SECONDS = 1.5
TUESDAY_9 = "2027-03-02T09:00:00+02:00"


@pytest.fixture
def privacy_config(service_config):
    return dict(
        service_config("privacy"),
        PARTICIPANT_TIMEOUT_SECONDS=PARTICIPANT_TIMEOUT_SECONDS,
        STEP_RETRY_BASE_SECONDS=STEP_RETRY_BASE.total_seconds(),
        STEP_RETRY_MAX_SECONDS=600,
    )


@pytest.fixture
def start(start_service, privacy_config):
    """Starts a service class on the test's clock, the privacy service with `privacy_config`."""

    def start_with_privacy_config(service_cls):
        return start_service(service_cls, privacy_config if service_cls.name == "privacy" else None)

    return start_with_privacy_config


@pytest.fixture
def containers(start):
    """What the bookings fixtures expect, plus media and the privacy service."""
    services = (AccountsService, BillingService, BookingsService, MediaService, PrivacyService)
    return {cls.name: start(cls) for cls in services}


@pytest.fixture
def rpc(containers, service_config):
    with ClusterRpcProxy(service_config("privacy"), timeout=30) as proxy:
        yield proxy


@pytest.fixture
def media_store(s3_config) -> MediaStore:
    return MediaStore(make_s3_client(s3_config), s3_config["S3_BUCKET"])


@pytest.fixture
def engines(service_databases):
    """Engines on every service's database, for checks the services' RPCs cannot make."""
    made = {name: create_engine(url, poolclass=NullPool) for name, url in service_databases.items()}
    yield made
    for engine in made.values():
        engine.dispose()


def booked_coachee(
    rpc, catalogue, subscriber_id: str, message: str = "Haluan päivittää CV:ni.", **details
) -> dict:
    """A coachee with a booking on Tuesday at 9; `details` override the form's fields."""
    form = {**coachee_form(subscriber_id), **details}
    request = booking_request(catalogue, TUESDAY_9, form, message=message)
    answer = rpc.bookings.create_booking(request)
    return {
        "account_id": answer["booking"]["coachee_id"],
        "username": answer["username"],
        "booking_id": answer["booking"]["id"],
        "password": form["password"],
    }


def attach(rpc, media_store, coachee: dict, filename: str = "cv.pdf") -> dict:
    """A one-page PDF attached to the coachee's booking the way the gateway does it."""
    actor = {"account_id": coachee["account_id"], "role": "coachee"}
    booking = {"id": coachee["booking_id"], "coachee": actor}
    return upload(rpc, media_store, booking, samples.pdf_with_metadata(pages=1), filename)


def completed(rpc, request_id: str, seconds: float = 15) -> dict:
    """The request once its saga has completed."""

    def finished():
        request = rpc.privacy.get_request(request_id, None)
        return request if request["status"] == "completed" else None

    return wait_for(finished, seconds=seconds)


def step(request: dict, participant: str, action: str) -> dict:
    return next(
        s for s in request["steps"] if s["participant"] == participant and s["action"] == action
    )
