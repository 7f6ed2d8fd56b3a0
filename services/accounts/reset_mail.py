"""The mail that carries a password-reset link, in Finnish, Swedish or English.

Pure composition: given what the mail is about, it returns the message; `reset_mail_sender`
sends it. It names the username (people forget the generated ones) and nothing else about the
account.
"""

from dataclasses import dataclass
from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr
from urllib.parse import urlencode
from uuid import UUID

from services.infra.clock import HELSINKI
from services.infra.mail_message import new_message

RESET_PAGE = "/unohtunut-salasana/uusi"


@dataclass(frozen=True)
class Wording:
    subject: str
    greeting: str
    asked: str
    valid: str
    not_asked: str
    closing: str


WORDINGS = {
    "fi": Wording(
        subject="Uusi salasana",
        greeting="Hei",
        asked="Käyttäjätunnukselle {username} pyydettiin uutta salasanaa. "
        "Valitse uusi salasana tästä linkistä:",
        valid="Linkki toimii kerran ja on voimassa {minutes} minuuttia. Kun uusi salasana on "
        "asetettu, kaikki kirjautumisesi päättyvät.",
        not_asked="Jos et pyytänyt uutta salasanaa, voit jättää tämän viestin huomiotta: "
        "salasanasi pysyy ennallaan.",
        closing="Ystävällisin terveisin",
    ),
    "sv": Wording(
        subject="Nytt lösenord",
        greeting="Hej",
        asked="Någon bad om ett nytt lösenord för användarnamnet {username}. "
        "Välj ett nytt lösenord via den här länken:",
        valid="Länken fungerar en gång och gäller i {minutes} minuter. När det nya lösenordet "
        "är valt avslutas alla dina inloggningar.",
        not_asked="Om du inte bad om ett nytt lösenord kan du bortse från det här meddelandet: "
        "ditt lösenord förblir oförändrat.",
        closing="Med vänliga hälsningar",
    ),
    "en": Wording(
        subject="A new password",
        greeting="Hello",
        asked="A new password was asked for the username {username}. "
        "Choose a new password through this link:",
        valid="The link works once and for {minutes} minutes. Once the new password is set, "
        "every login of yours ends.",
        not_asked="If you did not ask for a new password, you can ignore this message: your "
        "password stays as it is.",
        closing="Kind regards",
    ),
}


@dataclass(frozen=True)
class ResetMail:
    job_id: UUID
    language: str
    username: str
    recipient_name: str | None
    recipient_email: str
    token: str
    valid_minutes: int
    link_base_url: str

    @property
    def link(self) -> str:
        return f"{self.link_base_url}{RESET_PAGE}?{urlencode({'token': self.token})}"


def body(mail: ResetMail, signature: str) -> str:
    wording = WORDINGS[mail.language]
    greeting = (
        f"{wording.greeting} {mail.recipient_name},"
        if mail.recipient_name
        else (f"{wording.greeting},")
    )
    lines = [
        greeting,
        "",
        wording.asked.format(username=mail.username),
        "",
        mail.link,
        "",
        wording.valid.format(minutes=mail.valid_minutes),
        "",
        wording.not_asked,
        "",
        wording.closing,
        signature,
    ]
    return "\n".join(lines) + "\n"


def compose(mail: ResetMail, sender: str, now: datetime) -> EmailMessage:
    """The message for `mail`, from `sender` ("Name <address>"), dated `now`."""
    sender_name, sender_email = parseaddr(sender)
    message = new_message()
    message["Subject"] = WORDINGS[mail.language].subject
    message["From"] = sender
    message["To"] = Address(display_name=mail.recipient_name or "", addr_spec=mail.recipient_email)
    message["Date"] = format_datetime(now.astimezone(HELSINKI))
    message["Message-ID"] = f"<{mail.job_id}@{sender_email.rpartition('@')[2]}>"
    message.set_content(body(mail, sender_name or sender_email))
    message["Content-Language"] = mail.language
    return message
