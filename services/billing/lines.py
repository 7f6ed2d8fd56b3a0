"""Billable lines: what billing records when a booking changes (R-BILL-1/2).

On each booking event billing asks bookings for the session as it is now and compares it with
the booking's charge in the ledger (`ledger.py`). A charge goes to the subscriber that accepted
the booking, as the booking recorded it. What it adds is billed in the session's own
month while that month's report is unpublished, and otherwise as a correction in the next open
report. A line is an accounting record: a snapshot of the session and of the member as they
were, which later changes to the booking or the account never edit.
"""

import uuid
from datetime import date, datetime, timedelta

from services.billing import lines_repository as repo
from services.billing.ledger import ledger_change
from services.billing.periods import first_open_period, next_period, period_of
from services.billing.subscribers import subscriber_row
from services.billing.work import Work
from services.contracts.billing import BillableSession
from services.contracts.errors import NotFound
from services.infra.validation import load

LINE_COPIED_FIELDS = (
    "subscriber_id",
    "booking_id",
    "coachee_id",
    "starts_at",
    "ends_at",
    "service_name",
    "specification_name",
    "delivery_method",
    "coach_name",
    "member_name",
    "member_number",
    "session_period",
)


def session_now(work: Work, booking_id) -> dict:
    """The booking's session as bookings has it now. Handlers that want sessions at the same
    time share one call (`infra.coalescing`): under load, one round trip for many events."""

    def snapshots_by_id(booking_ids: list[str]) -> dict:
        return {
            snapshot["booking_id"]: snapshot
            for snapshot in work.bookings.get_billing_snapshots(booking_ids)
        }

    def missing(booking_id: str) -> NotFound:
        return NotFound("No such booking.")

    return load(
        BillableSession, work.snapshot_calls.answer(str(booking_id), snapshots_by_id, missing)
    )


def member_of(accounts, session: dict) -> dict:
    """Who is billed for the session: the subscriber, member number and name its eligibility was
    decided for (the booking's own snapshot), never the profile's later ones. A booking made
    before bookings kept the whole snapshot falls back to the profile for what it lacks."""
    member = {
        "subscriber_id": session["subscriber_id"],
        "member_number": session["member_number"],
        "name": session["member_name"],
    }
    if session["subscriber_id"] is None or session["member_name"] is None:
        account = accounts.get_account(str(session["coachee_id"]), None)
        member = {
            key: value if value is not None else account.get(key) for key, value in member.items()
        }
    if not member["subscriber_id"]:
        raise NotFound("The coachee has no subscriber to bill.")
    return member


def charge_values(db, session: dict, member: dict) -> dict:
    subscriber = subscriber_row(db, member["subscriber_id"])
    return {
        "subscriber_id": subscriber["id"],
        "booking_id": session["booking_id"],
        "coachee_id": session["coachee_id"],
        "quantity": 1,
        "reverses_line_id": None,
        "starts_at": session["starts_at"],
        "ends_at": session["ends_at"],
        "service_name": session["service_name"],
        "specification_name": session["specification_name"],
        "delivery_method": session["delivery_method"],
        "coach_name": session["coach_name"],
        "member_name": member["name"] or "",
        "member_number": member["member_number"] or "",
        "session_period": period_of(session["starts_at"]),
    }


def reversal_values(charge) -> dict:
    values = {name: charge[name] for name in LINE_COPIED_FIELDS}
    return dict(values, quantity=-1, reverses_line_id=charge["id"])


def report_period_for(
    db, subscriber_id, session_period: date, now: datetime, grace: timedelta
) -> date:
    """The session's month while its report is unpublished; else the next open report's."""
    if not repo.period_locked(db, subscriber_id, session_period):
        return session_period
    candidate = max(next_period(session_period), first_open_period(now, grace))
    while repo.period_locked(db, subscriber_id, candidate):
        candidate = next_period(candidate)
    return candidate


def add_line(db, values: dict, event_id: uuid.UUID, now: datetime, grace: timedelta) -> None:
    period = report_period_for(db, values["subscriber_id"], values["session_period"], now, grace)
    repo.insert_line(
        db, dict(values, id=uuid.uuid4(), event_id=event_id, period=period, recorded_at=now)
    )


def record_booking_change(work: Work, booking_id, event_id: str) -> int:
    """Bring the booking's lines in line with the session as bookings has it; returns how many
    lines were added. Doing it again for the same state adds nothing."""
    db, now, grace = work.db, work.now, work.settings.report_grace
    session = session_now(work, booking_id)
    repo.lock_booking(db, session["booking_id"])
    charge = repo.open_charge(db, session["booking_id"])
    change = ledger_change(charge, session)
    event_uuid = uuid.UUID(str(event_id))
    new_lines = []
    if change.reverse:
        new_lines.append(reversal_values(charge))
    if change.charge:
        member = member_of(work.accounts, session)
        new_lines.append(charge_values(db, session, member))
    repo.share_subscriber_ledgers(db, [values["subscriber_id"] for values in new_lines])
    for values in new_lines:
        add_line(db, values, event_uuid, now, grace)
    return len(new_lines)
