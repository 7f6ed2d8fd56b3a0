"""Sending the mails bookings queue, and queueing the reminders.

A due job is claimed with SKIP LOCKED in a short transaction that counts the attempt and moves
its next try out by the retry delay; the transaction commits before accounts or the SMTP server
are asked anything, so no lock is held while they answer and a job whose sender dies is tried
again later. A failed send keeps its error; after the last attempt the job stays unsent with
that error for an operator to see. A job whose booking has changed since is closed unsent.
"""

import logging
from datetime import datetime

from sqlalchemy import exists, select, update
from sqlalchemy.engine import RowMapping

from services.bookings.mail import BookingMail, compose
from services.bookings.models import (
    bookings,
    catalogue_services,
    coaches,
    mail_jobs,
    specifications,
)
from services.bookings.notifications import CANCELLATION, REMINDER, queue_mail
from services.bookings.work import Work
from services.contracts.bookings import CANCELLED, CONFIRMED
from services.contracts.errors import NotFound
from services.infra.mailer import MailNotSent, RetryPolicy, SmtpMailer

log = logging.getLogger(__name__)

ERROR_MAX_LENGTH = 500


def claim_next_job(session, now: datetime, retry: RetryPolicy) -> RowMapping | None:
    """Lock a due job, count this attempt and set when the next one may start."""
    due = (
        session.execute(
            select(mail_jobs.c.id, mail_jobs.c.attempts)
            .where(
                mail_jobs.c.sent_at.is_(None),
                mail_jobs.c.next_attempt_at <= now,
                mail_jobs.c.attempts < retry.max_attempts,
            )
            .order_by(mail_jobs.c.next_attempt_at)
            .limit(1)
            .with_for_update(skip_locked=True)
        )
        .mappings()
        .first()
    )
    if due is None:
        return None
    attempts = due["attempts"] + 1
    return (
        session.execute(
            update(mail_jobs)
            .where(mail_jobs.c.id == due["id"])
            .values(attempts=attempts, next_attempt_at=now + retry.delay_after(attempts))
            .returning(mail_jobs)
        )
        .mappings()
        .one()
    )


def booking_with_names(session, booking_id) -> RowMapping:
    query = (
        select(
            bookings,
            catalogue_services.c.name.label("service_name"),
            specifications.c.name.label("specification_name"),
            coaches.c.name.label("coach_name"),
        )
        .join(catalogue_services, catalogue_services.c.id == bookings.c.service_id)
        .join(specifications, specifications.c.id == bookings.c.specification_id)
        .join(coaches, coaches.c.id == bookings.c.coach_id)
        .where(bookings.c.id == booking_id)
    )
    return session.execute(query).mappings().one()


def close_job(session, job_id, now: datetime, note: str | None = None) -> None:
    """Done with the job: sent, or (with a note saying why) not to be sent at all."""
    session.execute(
        update(mail_jobs).where(mail_jobs.c.id == job_id).values(sent_at=now, last_error=note)
    )


def record_failure(session, job: RowMapping, error: str) -> None:
    session.execute(
        update(mail_jobs)
        .where(mail_jobs.c.id == job["id"])
        .values(last_error=error[:ERROR_MAX_LENGTH])
    )


def reason_not_to_send(job, booking, now: datetime) -> str | None:
    """Why the job's mail would no longer tell the truth about the booking; None if it would."""
    wanted = CANCELLED if job["kind"] == CANCELLATION else CONFIRMED
    if booking["status"] != wanted:
        return f"the booking is {booking['status']}"
    if job["kind"] == CANCELLATION:
        return None
    if booking["starts_at"] != job["starts_at"]:
        return "the booking has moved"
    if job["kind"] == REMINDER and now >= booking["starts_at"]:
        return "the session has started"
    return None


def calendar_sequence(job, booking) -> int:
    """Grows with each change of the booking (seconds since it was made); a cancellation
    outranks an invitation sent in the same second."""
    changed = int((booking["updated_at"] - booking["created_at"]).total_seconds())
    return changed + 1 if job["kind"] == CANCELLATION else changed


def booking_mail(job, booking, recipient: dict) -> BookingMail:
    return BookingMail(
        kind=job["kind"],
        job_id=job["id"],
        booking_id=booking["id"],
        sequence=calendar_sequence(job, booking),
        starts_at=booking["starts_at"],
        ends_at=booking["ends_at"],
        service_name=booking["service_name"],
        specification_name=booking["specification_name"],
        delivery_method=booking["delivery_method"],
        coach_name=booking["coach_name"],
        recipient_name=recipient["name"],
        recipient_email=recipient["email"],
    )


def failure_text(exc: Exception) -> str:
    """MailNotSent says why without addresses; of anything else only the type is kept."""
    return str(exc) if isinstance(exc, MailNotSent) else type(exc).__name__


def note_failure(session, job, exc: Exception, retry: RetryPolicy) -> None:
    error = failure_text(exc)
    record_failure(session, job, error)
    gave_up = job["attempts"] >= retry.max_attempts
    log.log(
        logging.ERROR if gave_up else logging.WARNING,
        "%s mail job %s failed on attempt %d%s: %s",
        job["kind"],
        job["id"],
        job["attempts"],
        "; giving up" if gave_up else "",
        error,
        exc_info=not isinstance(exc, MailNotSent),
    )


def send_job(work: Work, mailer: SmtpMailer, job, booking) -> bool:
    """Send one claimed job's mail; True when it went out."""
    reason = reason_not_to_send(job, booking, work.now)
    if reason is not None:
        close_job(work.db, job["id"], work.now, f"not sent: {reason}")
        return False
    try:
        recipient = work.accounts.get_account(str(booking["coachee_id"]), None)
        mailer.send(compose(booking_mail(job, booking, recipient), mailer.sender, work.now))
    except NotFound:
        close_job(work.db, job["id"], work.now, "not sent: the coachee's account is gone")
        return False
    except Exception as exc:
        note_failure(work.db, job, exc, mailer.retry)
        return False
    close_job(work.db, job["id"], work.now)
    return True


def send_due_mails(work: Work, mailer: SmtpMailer) -> int:
    """Send every mail job due at `work.now`, one job per transaction; returns how many went."""
    sent = 0
    while (job := claim_next_job(work.db, work.now, mailer.retry)) is not None:
        booking = booking_with_names(work.db, job["booking_id"])
        work.db.commit()
        sent += send_job(work, mailer, job, booking)
        work.db.commit()
    return sent


def bookings_needing_reminder(session, now: datetime, until: datetime) -> list[RowMapping]:
    reminded = exists().where(
        mail_jobs.c.booking_id == bookings.c.id,
        mail_jobs.c.kind == REMINDER,
        mail_jobs.c.starts_at == bookings.c.starts_at,
    )
    query = select(bookings).where(
        bookings.c.status == CONFIRMED,
        bookings.c.starts_at > now,
        bookings.c.starts_at <= until,
        ~reminded,
    )
    return session.execute(query).mappings().all()


def queue_reminders(work: Work) -> int:
    """Queue a reminder for each confirmed booking starting within the reminder period."""
    due = bookings_needing_reminder(work.db, work.now, work.now + work.rules.reminder_before)
    for booking in due:
        queue_mail(work, booking, REMINDER)
    return len(due)
