"""Who may do what with attachments.

Bookings decides who sees a booking (its coachee, the assigned coach, admins); media adds that
only the booking's coachee attaches and deletes files, until the session starts, and that
privacy staff read attachments to answer data-subject requests.
"""

import uuid
from datetime import datetime

from services.contracts.accounts import ADMIN, COACH, COACHEE, PRIVACY
from services.contracts.bookings import ACTIVE_STATUSES, TooLate
from services.contracts.errors import Conflict, Forbidden, NotFound
from services.media import repository as repo
from services.media.work import Work


def parsed_id(value) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


def is_staff(actor: dict) -> bool:
    return actor["role"] != COACHEE


def visible_booking(work: Work, booking_id, actor: dict) -> dict:
    """The booking as bookings shows it to the actor; bookings raises NotFound otherwise."""
    return work.bookings.get_booking(str(booking_id), actor)


def check_not_started(work: Work, booking: dict) -> None:
    if datetime.fromisoformat(booking["starts_at"]) <= work.now:
        raise TooLate("Attachments can be added or removed until the session starts.")


def booking_open_for_uploads(work: Work, booking_id, actor: dict) -> dict:
    if actor["role"] != COACHEE:
        raise Forbidden("Only the booking's coachee attaches files.")
    booking = visible_booking(work, booking_id, actor)
    if booking["status"] not in ACTIVE_STATUSES:
        raise Conflict("The booking is no longer active.")
    check_not_started(work, booking)
    return booking


def may_read(work: Work, attachment, actor: dict) -> bool:
    if actor["role"] in (ADMIN, PRIVACY):
        return True
    if actor["role"] == COACHEE:
        return str(attachment["owner_id"]) == actor["account_id"]
    if actor["role"] == COACH:
        try:
            visible_booking(work, attachment["booking_id"], actor)
        except NotFound:
            return False
        return True
    return False


def attachment_for(work: Work, attachment_id, actor: dict, allowed) -> dict:
    """The attachment if `allowed(attachment)`; NotFound otherwise, so its existence is not
    revealed, and the refusal audited."""
    parsed = parsed_id(attachment_id)
    attachment = repo.attachment_by_id(work.db, parsed) if parsed else None
    if attachment is None or not allowed(attachment):
        if attachment is not None:
            work.audit_refusal(
                "access_denied", actor_id=actor["account_id"], subject_id=attachment["owner_id"]
            )
        raise NotFound("No such attachment.")
    return attachment


def readable_attachment(work: Work, attachment_id, actor: dict) -> dict:
    return attachment_for(work, attachment_id, actor, lambda found: may_read(work, found, actor))


def own_attachment(work: Work, attachment_id, actor: dict) -> dict:
    if actor["role"] != COACHEE:
        raise Forbidden("Only the coachee who attached a file removes it.")
    return attachment_for(
        work, attachment_id, actor, lambda found: str(found["owner_id"]) == actor["account_id"]
    )
