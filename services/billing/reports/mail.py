"""The mail a subscriber's billing contacts get when a version of a report is published.

In Finnish with a line in English, with links to the report in the service. It holds no
member's data: the lines are in the files, which open only after logging in.
"""

from dataclasses import dataclass
from datetime import date, datetime
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr
from uuid import UUID

from services.billing.periods import period_label
from services.infra.clock import HELSINKI
from services.infra.mail_message import new_message


@dataclass(frozen=True)
class ReportMail:
    mail_id: UUID
    report_id: UUID
    recipient: str
    subscriber_name: str
    period: date
    version: int
    reason: str | None
    sessions: int
    link_base_url: str

    @property
    def link(self) -> str:
        return f"{self.link_base_url}/api/reports/{self.report_id}"


def subject(mail: ReportMail) -> str:
    text = f"Laskutusraportti {period_label(mail.period)}: {mail.subscriber_name}"
    return text if mail.version == 1 else f"{text} (versio {mail.version})"


def body(mail: ReportMail, signature: str) -> str:
    label = period_label(mail.period)
    lines = ["Hei,", "", f"{mail.subscriber_name}: laskutusraportti kaudelta {label} on valmis."]
    if mail.version > 1:
        lines.append(f"Tämä on raportin versio {mail.version}. Syy: {mail.reason}")
        lines.append("Aiemmat versiot säilyvät palvelussa.")
    lines += [
        f"Istuntoja yhteensä: {mail.sessions}",
        "",
        "Kirjaudu palveluun tilaajan tunnuksillasi ja avaa raportti:",
        f"PDF: {mail.link}.pdf",
        f"CSV (Excel): {mail.link}.csv",
        f"Tiedot: {mail.link}",
        "",
        f"The billing report for {label} is ready; log in and open it from the links above.",
        "",
        "Ystävällisin terveisin",
        signature,
    ]
    return "\n".join(lines) + "\n"


def compose(mail: ReportMail, sender: str, now: datetime) -> EmailMessage:
    sender_name, sender_email = parseaddr(sender)
    message = new_message()
    message["Subject"] = subject(mail)
    message["From"] = sender
    message["To"] = mail.recipient
    message["Date"] = format_datetime(now.astimezone(HELSINKI))
    message["Message-ID"] = f"<{mail.mail_id}@{sender_email.rpartition('@')[2]}>"
    message.set_content(body(mail, sender_name or sender_email))
    return message
