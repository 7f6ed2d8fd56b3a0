"""Sending the report mails that publishing queues.

A due mail is claimed with SKIP LOCKED in a short transaction that counts the attempt and moves
its next try out by the retry delay; it commits before the SMTP server is asked anything, so no
lock is held meanwhile and a mail whose sender dies is tried again later. A failure keeps its
error; after the last attempt the mail stays unsent with it, for an operator to see.
"""

import logging
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.engine import RowMapping

from services.billing import reports_repository as reports_repo
from services.billing.models import report_mails
from services.billing.report_mail import ReportMail, compose
from services.infra.mailer import MailNotSent, RetryPolicy, SmtpMailer

log = logging.getLogger(__name__)

ERROR_MAX_LENGTH = 500


def claim_next_mail(session, now: datetime, retry: RetryPolicy) -> RowMapping | None:
    due = (
        session.execute(
            select(report_mails.c.id, report_mails.c.attempts)
            .where(
                report_mails.c.sent_at.is_(None),
                report_mails.c.next_attempt_at <= now,
                report_mails.c.attempts < retry.max_attempts,
            )
            .order_by(report_mails.c.next_attempt_at)
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
            update(report_mails)
            .where(report_mails.c.id == due["id"])
            .values(attempts=attempts, next_attempt_at=now + retry.delay_after(attempts))
            .returning(report_mails)
        )
        .mappings()
        .one()
    )


def report_mail(job, report, link_base_url: str) -> ReportMail:
    return ReportMail(
        mail_id=job["id"],
        report_id=report["id"],
        recipient=job["recipient"],
        subscriber_name=report["subscriber_name"],
        period=report["period"],
        version=report["version"],
        reason=report["reason"],
        sessions=report["sessions"],
        link_base_url=link_base_url,
    )


def send_one(session, mailer: SmtpMailer, mail: ReportMail, job, now: datetime) -> bool:
    try:
        mailer.send(compose(mail, mailer.sender, now))
    except Exception as exc:
        error = str(exc) if isinstance(exc, MailNotSent) else type(exc).__name__
        session.execute(
            update(report_mails)
            .where(report_mails.c.id == job["id"])
            .values(last_error=error[:ERROR_MAX_LENGTH])
        )
        gave_up = job["attempts"] >= mailer.retry.max_attempts
        log.log(
            logging.ERROR if gave_up else logging.WARNING,
            "report mail %s failed on attempt %d%s: %s",
            job["id"],
            job["attempts"],
            "; giving up" if gave_up else "",
            error,
            exc_info=not isinstance(exc, MailNotSent),
        )
        return False
    session.execute(
        update(report_mails)
        .where(report_mails.c.id == job["id"])
        .values(sent_at=now, last_error=None)
    )
    return True


def send_due_report_mails(session, mailer: SmtpMailer, link_base_url: str, now: datetime) -> int:
    """Send every report mail due at `now`, one per transaction; returns how many went."""
    sent = 0
    while (job := claim_next_mail(session, now, mailer.retry)) is not None:
        report = reports_repo.report_by_id(session, job["report_id"])
        session.commit()
        sent += send_one(session, mailer, report_mail(job, report, link_base_url), job, now)
        session.commit()
    return sent
