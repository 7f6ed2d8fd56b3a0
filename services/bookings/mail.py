"""The mails a booking sends, in Finnish with a line in English, times in Helsinki time.

Pure composition: given what a mail is about, it returns the message; the mail sender sends it.
A mail holds only what its recipient needs: never identity codes, member numbers or the
coachee's own message. The feedback request names nothing about the session, only a link to the
booking, which opens after logging in.
"""

from dataclasses import dataclass
from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr
from uuid import UUID

from services.bookings.calendar_invite import CANCEL, REQUEST, CalendarEvent, calendar
from services.bookings.notifications import (
    CANCELLATION,
    CONFIRMATION,
    FEEDBACK_REQUEST,
    REMINDER,
)
from services.infra.clock import HELSINKI
from services.infra.mail_message import new_message

WEEKDAYS = ("ma", "ti", "ke", "to", "pe", "la", "su")
DELIVERY_METHODS = {"video": "Videoyhteys", "phone": "Puhelin", "on_site": "Lähitapaaminen"}


@dataclass(frozen=True)
class BookingMail:
    kind: str
    job_id: UUID
    booking_id: UUID
    sequence: int
    starts_at: datetime
    ends_at: datetime
    service_name: str
    specification_name: str
    delivery_method: str
    coach_name: str
    recipient_name: str
    recipient_email: str
    link_base_url: str

    @property
    def link(self) -> str:
        return f"{self.link_base_url}/api/bookings/{self.booking_id}"


@dataclass(frozen=True)
class Wording:
    subject: str
    finnish: str
    english: str


WORDINGS = {
    CONFIRMATION: Wording(
        "Varausvahvistus",
        "Varauksesi on vahvistettu. Kalenterikutsu on liitteenä.",
        "Your booking is confirmed; the calendar invitation is attached.",
    ),
    CANCELLATION: Wording(
        "Varaus peruttu",
        "Varauksesi on peruttu.",
        "Your booking has been cancelled.",
    ),
    REMINDER: Wording(
        "Muistutus",
        "Muistutamme tulevasta valmennuksestasi.",
        "A reminder of your coming coaching session.",
    ),
    FEEDBACK_REQUEST: Wording(
        "Palautepyyntö",
        "Kiitos valmennuksesta! Kerrothan, miten onnistuimme: kirjaudu palveluun ja anna "
        "valmennukselle arvio asteikolla 1–5 ja halutessasi sanallinen palaute varauksesi "
        "sivulla:",
        "Thank you for your coaching session. Please log in and rate it from 1 to 5 on your "
        "booking's page; a comment is welcome too.",
    ),
}
CALENDAR_ATTACHMENTS = {CONFIRMATION: (REQUEST, "invite.ics"), CANCELLATION: (CANCEL, "cancel.ics")}


def helsinki_time(instant: datetime) -> str:
    """Like "ti 2.3.2027 klo 9.00"."""
    local = instant.astimezone(HELSINKI)
    day = f"{WEEKDAYS[local.weekday()]} {local.day}.{local.month}.{local.year}"
    return f"{day} klo {local.hour}.{local.minute:02d}"


def helsinki_period(starts_at: datetime, ends_at: datetime) -> str:
    end = ends_at.astimezone(HELSINKI)
    return f"{helsinki_time(starts_at)}–{end.hour}.{end.minute:02d}"


def delivery_label(method: str) -> str:
    return DELIVERY_METHODS.get(method, method)


def details(mail: BookingMail) -> list[str]:
    return [
        f"Palvelu: {mail.service_name}",
        f"Tarkennus: {mail.specification_name}",
        f"Aika: {helsinki_period(mail.starts_at, mail.ends_at)} (Suomen aikaa)",
        f"Toteutustapa: {delivery_label(mail.delivery_method)}",
        f"Valmentaja: {mail.coach_name}",
        f"Varaustunnus: {mail.booking_id}",
    ]


def about(mail: BookingMail) -> list[str]:
    return [mail.link] if mail.kind == FEEDBACK_REQUEST else details(mail)


def subject(mail: BookingMail) -> str:
    wording = WORDINGS[mail.kind].subject
    if mail.kind == FEEDBACK_REQUEST:
        return wording
    return f"{wording}: {mail.service_name}, {helsinki_time(mail.starts_at)}"


def body(mail: BookingMail, signature: str) -> str:
    wording = WORDINGS[mail.kind]
    lines = [
        f"Hei {mail.recipient_name},",
        "",
        wording.finnish,
        "",
        *about(mail),
        "",
        wording.english,
        "",
        "Ystävällisin terveisin",
        signature,
    ]
    return "\n".join(lines) + "\n"


def calendar_event(mail: BookingMail, organizer_name: str, organizer_email: str) -> CalendarEvent:
    domain = organizer_email.rpartition("@")[2]
    return CalendarEvent(
        uid=f"{mail.booking_id}@{domain}",
        sequence=mail.sequence,
        starts_at=mail.starts_at,
        ends_at=mail.ends_at,
        summary=f"{mail.service_name} ({mail.specification_name})",
        description="\n".join(details(mail)),
        location=delivery_label(mail.delivery_method),
        organizer_name=organizer_name,
        organizer_email=organizer_email,
        attendee_email=mail.recipient_email,
    )


def compose(mail: BookingMail, sender: str, now: datetime) -> EmailMessage:
    """The message for `mail`, from `sender` ("Name <address>"), dated `now`."""
    sender_name, sender_email = parseaddr(sender)
    signature = sender_name or sender_email
    message = new_message()
    message["Subject"] = subject(mail)
    message["From"] = sender
    message["To"] = Address(display_name=mail.recipient_name, addr_spec=mail.recipient_email)
    message["Date"] = format_datetime(now.astimezone(HELSINKI))
    message["Message-ID"] = f"<{mail.job_id}@{sender_email.rpartition('@')[2]}>"
    message.set_content(body(mail, signature))
    if mail.kind in CALENDAR_ATTACHMENTS:
        method, filename = CALENDAR_ATTACHMENTS[mail.kind]
        event = calendar_event(mail, signature, sender_email)
        message.add_attachment(
            calendar(event, method, now),
            maintype="text",
            subtype="calendar",
            filename=filename,
            params={"method": method, "charset": "utf-8"},
        )
    return message
