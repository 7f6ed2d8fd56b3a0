"""What a booking's changes announce: outbox events (ids only) and the mails to send.

Mails are queued as jobs in the same transaction as the change and sent by the mail sender, so
a mail failure never loses the booking and a booking change never loses its mail.
"""

from services.bookings import repository as repo
from services.bookings.work import Work
from services.contracts.bookings import (
    BOOKING_CANCELLED,
    BOOKING_COMPLETED,
    BOOKING_CONFIRMED,
    BOOKING_RESCHEDULED,
    CONFIRMED,
)

CONFIRMATION = "confirmation"
CANCELLATION = "cancellation"
REMINDER = "reminder"
FEEDBACK_REQUEST = "feedback_request"


def event_payload(booking) -> dict:
    return {
        "booking_id": str(booking["id"]),
        "coachee_id": str(booking["coachee_id"]),
        "coach_id": str(booking["coach_id"]),
        "service_id": str(booking["service_id"]),
    }


def queue_mail(work: Work, booking, kind: str) -> None:
    repo.insert_mail_job(
        work.db,
        {
            "id": repo.new_id(),
            "booking_id": booking["id"],
            "kind": kind,
            "starts_at": booking["starts_at"],
            "attempts": 0,
            "next_attempt_at": work.now,
        },
    )


def booking_confirmed(work: Work, booking) -> None:
    work.outbox.dispatch(BOOKING_CONFIRMED, event_payload(booking))
    queue_mail(work, booking, CONFIRMATION)


def booking_cancelled(work: Work, booking, was_confirmed: bool) -> None:
    work.outbox.dispatch(BOOKING_CANCELLED, event_payload(booking))
    if was_confirmed:
        queue_mail(work, booking, CANCELLATION)


def booking_rescheduled(work: Work, booking) -> None:
    """Announced whatever the status, so that billing moves a charge as soon as its session moves;
    a confirmed booking's coachee gets a new confirmation."""
    work.outbox.dispatch(BOOKING_RESCHEDULED, event_payload(booking))
    if booking["status"] == CONFIRMED:
        queue_mail(work, booking, CONFIRMATION)


def booking_completed(work: Work, booking) -> None:
    work.outbox.dispatch(BOOKING_COMPLETED, event_payload(booking))
    queue_mail(work, booking, FEEDBACK_REQUEST)
