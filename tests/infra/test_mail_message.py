"""Mails composed with the remembering header registry are byte for byte the standard library's
(services/infra/mail_message.py), and each header's class is made once."""

import re
from email.message import EmailMessage

from services.infra.mail_message import MAIL_POLICY, new_message


def composed(message: EmailMessage) -> bytes:
    message["Subject"] = "Varausvahvistus: Uraohjaus ti 2.3.2027 klo 9.00 – Åbo & Jyväskylä"
    message["From"] = "Valmennuskalenteri <noreply@valmennuskalenteri.local>"
    message["To"] = "Matti Meikäläinen <matti@example.fi>"
    message["Date"] = "Tue, 02 Mar 2027 09:00:00 +0200"
    message.set_content("Hei Matti,\n\nvarauksesi on vahvistettu.\n")
    message.add_alternative("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", subtype="calendar")
    message.add_attachment(
        b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n",
        maintype="text",
        subtype="calendar",
        filename="kutsu.ics",
    )
    boundaries = re.compile(rb"={15}\d+==")
    return boundaries.sub(b"BOUNDARY", message.as_bytes())


def test_a_mail_is_the_standard_librarys_byte_for_byte():
    assert composed(new_message()) == composed(EmailMessage())


def test_each_header_class_is_made_once():
    registry = MAIL_POLICY.header_factory
    assert registry["Subject"] is registry["subject"]
    assert registry["To"] is not registry["Subject"]
