"""Sending the report mails that publishing queues.

`services.infra.mail_queue.send_due` claims a batch of mails and commits the claim before the
SMTP server is asked anything; the batch's reports are read in one query and its mails go over
one SMTP connection.
"""

from datetime import datetime

from sqlalchemy.engine import RowMapping

from services.billing.models import report_mails
from services.billing.reports import repository as reports_repo
from services.billing.reports.mail import ReportMail, compose
from services.infra import mail_queue
from services.infra.mail_queue import Outcomes
from services.infra.mailer import SmtpMailer


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


def send_batch(
    session,
    mailer: SmtpMailer,
    link_base_url: str,
    batch: list[RowMapping],
    outcomes: Outcomes,
    now: datetime,
) -> None:
    """Send a claimed batch's mails over one connection."""
    reports = reports_repo.reports_by_ids(session, {job["report_id"] for job in batch})
    with mailer.connection() as smtp:
        for job in batch:
            try:
                mail = report_mail(job, reports[job["report_id"]], link_base_url)
                smtp.send(compose(mail, mailer.sender, now))
            except Exception as exc:
                outcomes.failed(job, exc)
            else:
                outcomes.sent(job)


def send_due_report_mails(session, mailer: SmtpMailer, link_base_url: str, now: datetime) -> int:
    """Send every report mail due at `now`; returns how many went."""
    return mail_queue.send_due(
        session,
        report_mails,
        now,
        mailer,
        "report mail",
        lambda batch, outcomes: send_batch(session, mailer, link_base_url, batch, outcomes, now),
    )
