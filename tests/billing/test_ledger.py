"""What a change of a booking adds to the ledger: charges and reversals, never edits."""

from datetime import UTC, datetime, timedelta

from services.billing.ledger import LedgerChange, ledger_change
from services.billing.lines import member_of

STARTS = datetime(2027, 3, 2, 7, 0, tzinfo=UTC)


def session(status="confirmed", **changes) -> dict:
    return {
        "status": status,
        "starts_at": STARTS,
        "ends_at": STARTS + timedelta(hours=1),
        "service_name": "Uraohjaus",
        "specification_name": "Työnhaku",
        "delivery_method": "video",
        "coach_name": "Kaisa Valmentaja",
        **changes,
    }


def charge(**changes) -> dict:
    values = session(**changes)
    values.pop("status")
    return values


def test_a_confirmed_booking_is_charged():
    assert ledger_change(None, session("confirmed")) == LedgerChange(reverse=False, charge=True)


def test_a_booking_waiting_for_eligibility_is_not_charged():
    assert ledger_change(None, session("pending_eligibility")) == LedgerChange(False, False)


def test_completing_the_same_session_adds_nothing():
    assert ledger_change(charge(), session("completed")) == LedgerChange(False, False)


def test_a_cancelled_booking_reverses_its_charge():
    assert ledger_change(charge(), session("cancelled")) == LedgerChange(reverse=True, charge=False)


def test_a_cancelled_booking_never_charged_adds_nothing():
    assert ledger_change(None, session("cancelled")) == LedgerChange(False, False)


def test_a_moved_session_is_reversed_and_charged_again():
    moved = session("completed", starts_at=STARTS + timedelta(days=1))
    assert ledger_change(charge(), moved) == LedgerChange(reverse=True, charge=True)


def test_another_coach_is_reversed_and_charged_again():
    assert ledger_change(charge(), session(coach_name="Pekka")) == LedgerChange(True, True)


class ProfileOnRecord:
    """Accounts as `member_of` sees it: the profile of one coachee, counting the asks."""

    def __init__(self, profile: dict):
        self.profile = profile
        self.asked = 0

    def get_account(self, account_id, actor):
        self.asked += 1
        return self.profile


def test_a_charge_is_for_the_member_the_booking_recorded_without_asking_accounts():
    accounts = ProfileOnRecord({"subscriber_id": "later", "member_number": "M-9", "name": "Later"})
    recorded = {"subscriber_id": "union", "member_number": "M-1", "member_name": "Maija"}

    member = member_of(accounts, {"coachee_id": "c", **recorded})

    assert member == {"subscriber_id": "union", "member_number": "M-1", "name": "Maija"}
    assert accounts.asked == 0


def test_an_older_booking_without_the_whole_snapshot_is_completed_from_the_profile():
    accounts = ProfileOnRecord({"subscriber_id": "union", "member_number": "M-9", "name": "Maija"})
    older = {"subscriber_id": None, "member_number": None, "member_name": None}

    member = member_of(accounts, {"coachee_id": "c", **older})

    assert member == {"subscriber_id": "union", "member_number": "M-9", "name": "Maija"}
    assert accounts.asked == 1
