"""While a participant does not offer the privacy contract yet, erasures wait at its step."""

import pytest
from nameko.rpc import rpc as rpc_method

from services.accounts.service import AccountsService
from services.billing.service import BillingService
from services.bookings.service import BookingsService
from services.contracts.names import MEDIA
from services.privacy.service import PrivacyService
from tests.conftest import wait_for
from tests.privacy.conftest import STEP_RETRY_BASE, booked_coachee, step


class MediaWithoutContract:
    """Media as it was before it offered the privacy contract: it runs, but has no such RPC."""

    name = MEDIA

    @rpc_method
    def health(self) -> dict:
        return {"status": "ok"}


@pytest.fixture
def containers(start):
    services = (AccountsService, BillingService, BookingsService, MediaWithoutContract)
    return {cls.name: start(cls) for cls in (*services, PrivacyService)}


def test_erasure_retries_the_media_step_and_erases_nothing_after_it_meanwhile(
    rpc, catalogue, subscribers, clock
):
    coachee = booked_coachee(rpc, catalogue, subscribers["roster"]["id"])
    request = rpc.privacy.register_request(
        {"kind": "erasure", "username": coachee["username"]}, None
    )

    def media_tried_twice():
        found = rpc.privacy.get_request(request["id"], None)
        if step(found, "media", "erase")["attempts"] < 2:
            clock.advance(STEP_RETRY_BASE * 2)
            return None
        return found

    waiting = wait_for(media_tried_twice)

    media = step(waiting, "media", "erase")
    assert media["status"] == "pending"
    assert media["last_error"].endswith("media does not offer erase_personal_data yet")
    assert step(waiting, "bookings", "erase")["status"] == "done"
    assert step(waiting, "accounts", "erase")["status"] == "pending"
    assert waiting["status"] == "open"
    assert rpc.accounts.get_account(coachee["account_id"], None)["disabled_permanently"]
