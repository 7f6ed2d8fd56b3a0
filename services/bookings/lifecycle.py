"""A booking's life: pending_eligibility → confirmed → completed | cancelled | no_show.

Coachees may cancel or reschedule until a notice period before the start; staff at any time.
Booking records are never deleted (R-PROFILE-2): cancellation is a state.
"""

from datetime import timedelta

from psycopg.errors import ExclusionViolation
from sqlalchemy.exc import IntegrityError

from services.bookings import repository as repo
from services.bookings.access import visible_booking
from services.bookings.availability import free_coaches_at, service_by_id
from services.bookings.notifications import (
    booking_cancelled,
    booking_completed,
    booking_confirmed,
    booking_rescheduled,
)
from services.bookings.views import bookings_view
from services.bookings.work import Work
from services.contracts.accounts import ADMIN, COACH, COACHEE
from services.contracts.bookings import (
    ACTIVE_STATUSES,
    CANCELLED,
    COMPLETED,
    CONFIRMED,
    NO_SHOW,
    PENDING,
    SlotTaken,
    TooLate,
)
from services.contracts.errors import Conflict, Forbidden
from services.infra.database import attempt
from services.infra.permissions import require_role


def require_active(booking) -> None:
    if booking["status"] not in ACTIVE_STATUSES:
        raise Conflict(f"The booking is {booking['status']} already.")


def require_coachee_notice(work: Work, booking, actor: dict) -> None:
    if actor["role"] != COACHEE:
        return
    if work.now > work.rules.coachee_changes_until(booking["starts_at"]):
        hours = int(work.rules.coachee_change_notice.total_seconds() // 3600)
        raise TooLate(f"Changes are possible until {hours} hours before the start; call us.")


def cancel(work: Work, booking_id, actor: dict) -> dict:
    booking = visible_booking(work, booking_id, actor, lock=True)
    require_active(booking)
    require_coachee_notice(work, booking, actor)
    updated = repo.update_booking(
        work.db,
        booking["id"],
        {"status": CANCELLED, "cancelled_by": actor["account_id"], "updated_at": work.now},
    )
    booking_cancelled(work, updated, was_confirmed=booking["status"] == CONFIRMED)
    return bookings_view(work, [updated])[0]


def reschedule(work: Work, booking_id, change: dict, actor: dict) -> dict:
    booking = visible_booking(work, booking_id, actor, lock=True)
    require_active(booking)
    require_coachee_notice(work, booking, actor)
    service = service_by_id(work, booking["service_id"])
    wanted_coach = change["coach_id"] or booking["coach_id"]
    coach_ids = list(
        free_coaches_at(
            work, service, change["starts_at"], wanted_coach, except_booking_id=booking["id"]
        )
    )
    if not coach_ids:
        raise SlotTaken("This time is not free; choose another.")
    ends_at = change["starts_at"] + timedelta(minutes=service["duration_minutes"])
    try:
        with attempt(work.db):
            updated = repo.update_booking(
                work.db,
                booking["id"],
                {
                    "coach_id": coach_ids[0],
                    "starts_at": change["starts_at"],
                    "ends_at": ends_at,
                    "blocks_until": ends_at + work.rules.buffer,
                    "updated_at": work.now,
                },
            )
    except IntegrityError as exc:
        if isinstance(exc.orig, ExclusionViolation):
            raise SlotTaken("This time is not free; choose another.") from exc
        raise
    booking_rescheduled(work, updated)
    return bookings_view(work, [updated])[0]


def decide_eligibility(work: Work, booking_id, approved: bool, actor: dict) -> dict:
    """An admin's decision on a booking waiting for manual eligibility approval."""
    require_role(work, actor, ADMIN)
    booking = visible_booking(work, booking_id, actor, lock=True)
    if booking["status"] != PENDING:
        raise Conflict("The booking is not waiting for an eligibility decision.")
    status = CONFIRMED if approved else CANCELLED
    updated = repo.update_booking(
        work.db, booking["id"], {"status": status, "hold_expires_at": None, "updated_at": work.now}
    )
    if approved:
        booking_confirmed(work, updated)
    else:
        booking_cancelled(work, updated, was_confirmed=False)
    work.audit(
        "eligibility_approved" if approved else "eligibility_rejected",
        actor_id=actor["account_id"],
        subject_id=booking["coachee_id"],
    )
    return bookings_view(work, [updated])[0]


def record_outcome(work: Work, booking_id, outcome: str, actor: dict) -> dict:
    """After the session: completed or no_show, by the assigned coach or an admin."""
    if actor["role"] not in (COACH, ADMIN):
        raise Forbidden("Only staff record how a session went.")
    booking = visible_booking(work, booking_id, actor, lock=True)
    if booking["status"] != CONFIRMED:
        raise Conflict("Only a confirmed booking can be completed or marked as a no-show.")
    if work.now < booking["starts_at"]:
        raise Conflict("The session has not started yet.")
    status = COMPLETED if outcome == COMPLETED else NO_SHOW
    updated = repo.update_booking(
        work.db, booking["id"], {"status": status, "updated_at": work.now}
    )
    if status == COMPLETED:
        booking_completed(work, updated)
    return bookings_view(work, [updated])[0]


def expire_holds(work: Work) -> int:
    """Pending bookings whose eligibility was not decided in time release their slot."""
    expired = repo.expired_holds(work.db, work.now)
    for booking in expired:
        updated = repo.update_booking(
            work.db, booking["id"], {"status": CANCELLED, "updated_at": work.now}
        )
        booking_cancelled(work, updated, was_confirmed=False)
    return len(expired)
