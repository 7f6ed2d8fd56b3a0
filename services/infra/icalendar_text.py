"""The text rules of iCalendar (RFC 5545) content lines: escaping, folding, UTC stamps.

Shared by the bookings service's invitations and the gateway's calendar file download.
"""

from datetime import UTC, datetime

MAX_LINE_OCTETS = 75


def escape_text(value: str) -> str:
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\n")
        .replace("\r", "\n")
        .replace("\n", "\\n")
    )


def fold(line: str) -> str:
    """Split a content line into physical lines of at most 75 octets, never inside a character."""
    if len(line.encode()) <= MAX_LINE_OCTETS:
        return line
    physical, current, size = [], "", 0
    for char in line:
        octets = len(char.encode())
        if size + octets > MAX_LINE_OCTETS:
            physical.append(current)
            current, size = " ", 1
        current += char
        size += octets
    physical.append(current)
    return "\r\n".join(physical)


def utc_stamp(instant: datetime) -> str:
    return instant.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
