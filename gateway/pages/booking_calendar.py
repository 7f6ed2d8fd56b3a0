"""A booking as a calendar file (RFC 5545) the coachee adds to their own calendar.

Times are in UTC (`…Z`), which every calendar reads without a time zone definition. The UID is
the booking's, so adding the file twice updates one event. It says what was booked — service,
specification, how it is delivered, when and with whom — and nothing of the person: no name,
contact details, member number or message. A booking that waits for the
subscriber's decision is TENTATIVE. The text rules (escaping, 75-octet lines) are the
booking mails' own (`services.infra.icalendar_text`).
"""

from datetime import datetime

from services.contracts.bookings import PENDING
from services.infra.icalendar_text import escape_text, fold, utc_stamp

PRODUCT = "-//Valmennuskalenteri//Booking pages//FI"


def calendar_file(
    booking: dict, summary: str, description: str, location: str, uid_domain: str, now: datetime
) -> bytes:
    starts_at = datetime.fromisoformat(str(booking["starts_at"]))
    ends_at = datetime.fromisoformat(str(booking["ends_at"]))
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODUCT}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:{booking['id']}@{uid_domain}",
        f"DTSTAMP:{utc_stamp(now)}",
        f"DTSTART:{utc_stamp(starts_at)}",
        f"DTEND:{utc_stamp(ends_at)}",
        f"SUMMARY:{escape_text(summary)}",
        f"DESCRIPTION:{escape_text(description)}",
        f"LOCATION:{escape_text(location)}",
        f"STATUS:{'TENTATIVE' if booking['status'] == PENDING else 'CONFIRMED'}",
        "TRANSP:OPAQUE",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "".join(fold(line) + "\r\n" for line in lines).encode()
