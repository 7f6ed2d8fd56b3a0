"""What a change of a booking adds to the ledger: charges and reversals, never edits."""

from datetime import UTC, datetime, timedelta

from services.billing.ledger import LedgerChange, ledger_change

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
