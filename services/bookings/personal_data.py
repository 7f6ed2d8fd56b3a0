"""The bookings service's part of the privacy contract."""

from sqlalchemy import delete

from services.bookings import repository as repo
from services.bookings.feedback import changeable_until
from services.bookings.models import mail_jobs, notes
from services.bookings.notifications import booking_cancelled
from services.bookings.views import bookings_view, feedback_view, note_view
from services.bookings.work import Work
from services.contracts.bookings import ACTIVE_STATUSES, CANCELLED
from services.infra.erasure import ErasureResult

RETAINED_REASON = (
    "Booking records (time, service, delivery method, coach, status, subscriber) are kept without "
    "any personal content: they cannot be deleted afterwards (R-PROFILE-2) and are linked only to "
    "the anonymised account."
)
FEEDBACK_REASON = (
    "Feedback ratings are kept without their comments and detached from the person and the "
    "booking: only the rating, service, coach and month of the session remain, for the "
    "statistics used to develop the service (R-DATA-4)."
)


def eligibility_data(booking) -> dict:
    subscriber_id = booking["subscriber_id"]
    return {
        "subscriber_id": str(subscriber_id) if subscriber_id else None,
        "member_number": booking["member_number"],
        "member_name": booking["member_name"],
    }


def export_personal_data(work: Work, subject_id) -> dict:
    booking_rows = repo.bookings_of_coachee(work.db, subject_id)
    items = [
        {"group": "bookings", "id": view["id"], "data": dict(view, **eligibility_data(row))}
        for row, view in zip(booking_rows, bookings_view(work, booking_rows), strict=True)
    ]
    items += [
        {"group": "coach_notes", "id": str(note["id"]), "data": note_view(note)}
        for note in repo.notes_of(work.db, [b["id"] for b in booking_rows])
    ]
    by_id = {b["id"]: b for b in booking_rows}
    items += [
        {
            "group": "feedback",
            "id": str(row["id"]),
            "data": feedback_view(row, changeable_until(work, by_id[row["booking_id"]])),
        }
        for row in repo.feedback_of(work.db, list(by_id))
    ]
    return {"service": "bookings", "items": items, "files": [], "done": True}


def erase_bookings(work: Work, subject_id) -> ErasureResult:
    """Notes and unsent mails go, messages are emptied, future bookings are cancelled, feedback
    keeps only its rating for the statistics."""
    booking_rows = repo.bookings_of_coachee(work.db, subject_id)
    if not booking_rows:
        return ErasureResult(messages=["No bookings are held about this person."])
    ids = [b["id"] for b in booking_rows]
    removed = work.db.execute(delete(notes).where(notes.c.booking_id.in_(ids))).rowcount
    removed += work.db.execute(
        delete(mail_jobs).where(mail_jobs.c.booking_id.in_(ids), mail_jobs.c.sent_at.is_(None))
    ).rowcount
    feedback_kept = repo.detach_feedback(work.db, ids)
    repo.forget_registrations_of(work.db, subject_id)
    for booking in booking_rows:
        cancelling = booking["status"] in ACTIVE_STATUSES and booking["starts_at"] > work.now
        changes = {
            "message": "",
            "member_number": None,
            "member_name": None,
            "idempotency_key": None,
            "idempotency_scope": None,
            "request_hash": None,
            "updated_at": work.now,
        }
        if cancelling:
            changes["status"] = CANCELLED
        updated = repo.update_booking(work.db, booking["id"], changes)
        if cancelling:
            booking_cancelled(work, updated, was_confirmed=False)
    return ErasureResult(
        items_removed=removed,
        items_anonymised=len(booking_rows) + feedback_kept,
        items_retained=len(booking_rows) + feedback_kept,
        messages=[RETAINED_REASON] + ([FEEDBACK_REASON] if feedback_kept else []),
    )
