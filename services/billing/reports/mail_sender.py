"""Sending the report mails that publishing queues.

Mails are claimed, closed and failed through `services.infra.mail_queue`; the claim commits
before the SMTP server is asked anything.
"""

import logging
from datetime import datetime

from services.billing.models import report_mails
from services.billing.reports import repository as reports_repo
from services.billing.reports.mail import ReportMail, compose
from services.infra import mail_queue
from services.infra.mailer import SmtpMailer

log = logging.getLogger(__name__)


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
        mail_queue.note_failure(session, report_mails, job, exc, mailer.retry, "report mail")
        return False
    mail_queue.close(session, report_mails, job["id"], now)
    return True


def send_due_report_mails(session, mailer: SmtpMailer, link_base_url: str, now: datetime) -> int:
    """Send every report mail due at `now`, one per transaction; returns how many went."""
    sent = 0
    while (job := mail_queue.claim_next(session, report_mails, now, mailer.retry)) is not None:
        report = reports_repo.report_by_id(session, job["report_id"])
        session.commit()
        sent += send_one(session, mailer, report_mail(job, report, link_base_url), job, now)
        session.commit()
    return sent
