"""Coachees' feedback on completed sessions: the "collecting feedback" and "developing the
service" purposes of R-DATA-4.

The coachee of a completed booking rates it 1–5, with a comment if they like, and may change it
until the feedback window (from the session's start) closes. The assigned coach and admins read
it, audited like notes. Admins also see ratings summed up per service and coach, without comments
or coachees. A rating is kept by the month of its session, which is all that erasure leaves of it,
so the summary counts whole months.
"""

from datetime import date, datetime, timedelta

from services.bookings import repository as repo
from services.bookings.access import visible_booking
from services.bookings.views import feedback_statistics_view, feedback_view
from services.bookings.work import Work
from services.contracts.accounts import ADMIN, COACH, COACHEE
from services.contracts.bookings import COMPLETED, TooLate
from services.contracts.errors import Conflict, Forbidden, NotFound
from services.infra.clock import HELSINKI
from services.infra.permissions import require_role


def month_of(day: date) -> date:
    return day.replace(day=1)


def last_day_of_month(day: date) -> date:
    return month_of(month_of(day) + timedelta(days=31)) - timedelta(days=1)


def session_month(booking) -> date:
    return month_of(booking["starts_at"].astimezone(HELSINKI).date())


def changeable_until(work: Work, booking) -> datetime:
    return work.rules.feedback_until(booking["starts_at"])


def give_feedback(work: Work, booking_id, data: dict, actor: dict) -> dict:
    """Create the booking's feedback or replace its rating and comment."""
    if actor["role"] != COACHEE:
        raise Forbidden("Only the coachee gives feedback on a session.")
    booking = visible_booking(work, booking_id, actor, lock=True)
    if booking["status"] != COMPLETED:
        raise Conflict("Feedback is given on a completed session.")
    until = changeable_until(work, booking)
    if work.now > until:
        days = work.rules.feedback_window.days
        raise TooLate(f"Feedback can be given or changed for {days} days after the session.")
    row = repo.save_feedback(
        work.db,
        {
            "id": repo.new_id(),
            "booking_id": booking["id"],
            "service_id": booking["service_id"],
            "coach_id": booking["coach_id"],
            "session_month": session_month(booking),
            "rating": data["rating"],
            "comment": data["comment"] or None,
            "created_at": work.now,
            "updated_at": work.now,
        },
    )
    return feedback_view(row, until)


def get_feedback(work: Work, booking_id, actor: dict) -> dict:
    if actor["role"] not in (COACHEE, COACH, ADMIN):
        raise Forbidden("Feedback is for the coachee, the coach and administrators.")
    booking = visible_booking(work, booking_id, actor)
    found = repo.feedback_of(work.db, [booking["id"]])
    if not found:
        raise NotFound("No feedback has been given on this booking.")
    if actor["role"] != COACHEE:
        work.audit("feedback_read", actor_id=actor["account_id"], subject_id=booking["coachee_id"])
    return feedback_view(found[0], changeable_until(work, booking))


def summarize_feedback(work: Work, query: dict, actor: dict) -> dict:
    """Count and average rating per service and coach, over the months `from`–`to` touch."""
    require_role(work, actor, ADMIN)
    first_month, last_month = month_of(query["from_"]), month_of(query["to"])
    rows = repo.feedback_statistics(
        work.db, first_month, last_month, query["service_id"], query["coach_id"]
    )
    return {
        "from": first_month.isoformat(),
        "to": last_day_of_month(last_month).isoformat(),
        "items": [feedback_statistics_view(row) for row in rows],
    }
