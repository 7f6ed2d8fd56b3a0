"""A booking as an iCalendar (RFC 5545) object: an invitation, or its cancellation.

Times are written in Europe/Helsinki with the zone's rules included (VTIMEZONE), so a calendar
shows the session at the right hour on both sides of a daylight-saving change. One UID per
booking and a SEQUENCE that grows with each change let calendars update or remove the event.
"""

from dataclasses import dataclass
from datetime import datetime

from services.infra.clock import HELSINKI
from services.infra.icalendar_text import escape_text, fold, utc_stamp

TZID = "Europe/Helsinki"
REQUEST = "REQUEST"
CANCEL = "CANCEL"

HELSINKI_VTIMEZONE = (
    "BEGIN:VTIMEZONE",
    f"TZID:{TZID}",
    "BEGIN:DAYLIGHT",
    "TZOFFSETFROM:+0200",
    "TZOFFSETTO:+0300",
    "TZNAME:EEST",
    "DTSTART:19700329T030000",
    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
    "END:DAYLIGHT",
    "BEGIN:STANDARD",
    "TZOFFSETFROM:+0300",
    "TZOFFSETTO:+0200",
    "TZNAME:EET",
    "DTSTART:19701025T040000",
    "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
    "END:STANDARD",
    "END:VTIMEZONE",
)


@dataclass(frozen=True)
class CalendarEvent:
    uid: str
    sequence: int
    starts_at: datetime
    ends_at: datetime
    summary: str
    description: str
    location: str
    organizer_name: str
    organizer_email: str
    attendee_email: str


def quoted_parameter(value: str) -> str:
    return '"' + value.replace('"', "") + '"'


def helsinki_local(instant: datetime) -> str:
    return instant.astimezone(HELSINKI).strftime("%Y%m%dT%H%M%S")


def event_lines(event: CalendarEvent, method: str, stamp: datetime) -> list[str]:
    status = "CANCELLED" if method == CANCEL else "CONFIRMED"
    return [
        "BEGIN:VEVENT",
        f"UID:{event.uid}",
        f"DTSTAMP:{utc_stamp(stamp)}",
        f"SEQUENCE:{event.sequence}",
        f"DTSTART;TZID={TZID}:{helsinki_local(event.starts_at)}",
        f"DTEND;TZID={TZID}:{helsinki_local(event.ends_at)}",
        f"SUMMARY:{escape_text(event.summary)}",
        f"DESCRIPTION:{escape_text(event.description)}",
        f"LOCATION:{escape_text(event.location)}",
        f"ORGANIZER;CN={quoted_parameter(event.organizer_name)}:mailto:{event.organizer_email}",
        "ATTENDEE;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=FALSE:"
        f"mailto:{event.attendee_email}",
        f"STATUS:{status}",
        "TRANSP:OPAQUE",
        "END:VEVENT",
    ]


def calendar(event: CalendarEvent, method: str, stamp: datetime) -> bytes:
    """The VCALENDAR for `method` (REQUEST or CANCEL), CRLF-terminated, folded, UTF-8."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Valmennuskalenteri//Bookings//FI",
        "CALSCALE:GREGORIAN",
        f"METHOD:{method}",
        *HELSINKI_VTIMEZONE,
        *event_lines(event, method, stamp),
        "END:VCALENDAR",
    ]
    return "".join(fold(line) + "\r\n" for line in lines).encode()
