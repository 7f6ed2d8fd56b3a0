"""Coach notes on a booking (R-SRC-2): the assigned coach and admins only."""

from services.bookings import repository as repo
from services.bookings.access import may_keep_notes, visible_booking
from services.bookings.views import note_view
from services.bookings.work import Work
from services.contracts.errors import NotFound


def notes_booking(work: Work, booking_id, actor: dict):
    booking = visible_booking(work, booking_id, actor)
    if not may_keep_notes(work, booking, actor):
        work.audit_refusal("access_denied", actor_id=actor["account_id"])
        raise NotFound("No such booking.")
    return booking


def list_notes(work: Work, booking_id, actor: dict) -> dict:
    booking = notes_booking(work, booking_id, actor)
    work.audit("notes_read", actor_id=actor["account_id"], subject_id=booking["coachee_id"])
    return {"items": [note_view(n) for n in repo.notes_of(work.db, [booking["id"]])]}


def add_note(work: Work, booking_id, body: str, actor: dict) -> dict:
    booking = notes_booking(work, booking_id, actor)
    note = repo.insert_note(
        work.db,
        {
            "id": repo.new_id(),
            "booking_id": booking["id"],
            "author_id": actor["account_id"],
            "body": body,
            "created_at": work.now,
            "updated_at": work.now,
        },
    )
    work.audit("note_written", actor_id=actor["account_id"], subject_id=booking["coachee_id"])
    return note_view(note)


def edit_note(work: Work, booking_id, note_id, body: str, actor: dict) -> dict:
    booking = notes_booking(work, booking_id, actor)
    note = repo.update_note(work.db, note_id, booking["id"], {"body": body, "updated_at": work.now})
    if note is None:
        raise NotFound("No such note.")
    work.audit("note_changed", actor_id=actor["account_id"], subject_id=booking["coachee_id"])
    return note_view(note)
