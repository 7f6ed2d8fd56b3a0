"""Sending the mails bookings queue, and queueing the reminders.

`services.infra.mail_queue.send_due` claims a batch of jobs and commits the claim before accounts
or the SMTP server are asked anything. The batch's bookings are read in one query and its
recipients asked of accounts in one RPC (`get_contacts`); its mails go over one SMTP connection.
A job whose booking has changed since, or whose coachee's account is gone, is closed unsent.
"""

import logging
from datetime import datetime, timedelta

from sqlalchemy.engine import RowMapping

from services.bookings.mail import BookingMail, compose
from services.bookings.models import mail_jobs
from services.bookings.notifications import (
    CANCELLATION,
    FEEDBACK_REQUEST,
    REMINDER,
    queue_mail,
)
from services.bookings.repository import bookings_with_names, confirmed_without_mail
from services.bookings.settings import feedback_closes
from services.bookings.work import Work
from services.contracts.bookings import CANCELLED, COMPLETED, CONFIRMED
from services.infra import mail_queue
from services.infra.mail_queue import Outcomes
from services.infra.mailer import SmtpMailer

log = logging.getLogger(__name__)

STATUS_A_MAIL_NEEDS = {CANCELLATION: CANCELLED, FEEDBACK_REQUEST: COMPLETED}


def reason_not_to_send(job, booking, now: datetime, feedback_window: timedelta) -> str | None:
    """Why the job's mail would no longer tell the truth about the booking, or would ask for
    what can no longer be given; None if it would not."""
    wanted = STATUS_A_MAIL_NEEDS.get(job["kind"], CONFIRMED)
    if booking["status"] != wanted:
        return f"the booking is {booking['status']}"
    if job["kind"] == CANCELLATION:
        return None
    if booking["starts_at"] != job["starts_at"]:
        return "the booking has moved"
    if job["kind"] == REMINDER and now >= booking["starts_at"]:
        return "the session has started"
    if job["kind"] == FEEDBACK_REQUEST and now > feedback_closes(
        booking["starts_at"], feedback_window
    ):
        return "the feedback window has closed"
    return None


def calendar_sequence(job, booking) -> int:
    """Grows with each change of the booking (seconds since it was made); a cancellation
    outranks an invitation sent in the same second."""
    changed = int((booking["updated_at"] - booking["created_at"]).total_seconds())
    return changed + 1 if job["kind"] == CANCELLATION else changed


def booking_mail(job, booking, recipient: dict, link_base_url: str) -> BookingMail:
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
        link_base_url=link_base_url,
    )


def send_batch(work: Work, mailer: SmtpMailer, batch: list[RowMapping], outcomes: Outcomes):
    """Send a claimed batch's mails over one connection, to recipients asked for in one RPC."""
    booked = bookings_with_names(work.db, {job["booking_id"] for job in batch})
    to_send = []
    for job in batch:
        booking = booked[job["booking_id"]]
        reason = reason_not_to_send(job, booking, work.now, work.rules.feedback_window)
        if reason is None:
            to_send.append((job, booking))
        else:
            outcomes.not_sent(job, reason)
    if not to_send:
        return
    coachee_ids = sorted({str(booking["coachee_id"]) for _, booking in to_send})
    contacts = {contact["id"]: contact for contact in work.accounts.get_contacts(coachee_ids)}
    with mailer.connection() as smtp:
        for job, booking in to_send:
            recipient = contacts.get(str(booking["coachee_id"]))
            if recipient is None:
                outcomes.not_sent(job, "the coachee's account is gone")
                continue
            try:
                mail = booking_mail(job, booking, recipient, work.rules.link_base_url)
                smtp.send(compose(mail, mailer.sender, work.now))
            except Exception as exc:
                outcomes.failed(job, exc)
            else:
                outcomes.sent(job)


def send_due_mails(work: Work, mailer: SmtpMailer) -> int:
    """Send every mail job due at `work.now`; returns how many went."""
    return mail_queue.send_due(
        work.db,
        mail_jobs,
        work.now,
        mailer,
        "booking mail",
        lambda batch, outcomes: send_batch(work, mailer, batch, outcomes),
    )


def queue_reminders(work: Work) -> int:
    """Queue a reminder for each confirmed booking starting within the reminder period."""
    until = work.now + work.rules.reminder_before
    due = confirmed_without_mail(work.db, REMINDER, work.now, until)
    for booking in due:
        queue_mail(work, booking, REMINDER)
    return len(due)
