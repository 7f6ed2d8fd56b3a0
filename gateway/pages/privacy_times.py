"""Times as privacy staff type them and read them: Helsinki wall-clock inputs, hours left.

A `datetime-local` or `date` input sends a Helsinki time without a zone; the contract schemas
want aware times, so a page reads the typed value as Helsinki time before the schema checks it.
A value that is not a time is passed on unchanged, for the schema to refuse at its field.
"""

import math
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from gateway.pages.i18n import HELSINKI

HOUR = timedelta(hours=1)


def aware_moment(typed: str | None) -> str | None:
    """`2026-12-06T09:30` (Helsinki) → `2026-12-06T09:30:00+02:00`; anything else as it was."""
    if not typed:
        return typed
    try:
        moment = datetime.fromisoformat(typed)
    except ValueError:
        return typed
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=HELSINKI)
    return moment.isoformat()


def day_start(typed: str | None, days_later: int = 0) -> str | None:
    """The Helsinki midnight that starts the day `typed` (`2026-12-06`), or `days_later` after."""
    if not typed:
        return typed
    try:
        day = date.fromisoformat(typed)
    except ValueError:
        return typed
    return datetime.combine(day + timedelta(days=days_later), time(), HELSINKI).isoformat()


def typed_moment(moment: str | None) -> str:
    """An aware time back as the `datetime-local` input shows it, in Helsinki."""
    if not moment:
        return ""
    return datetime.fromisoformat(moment).astimezone(HELSINKI).strftime("%Y-%m-%dT%H:%M")


@dataclass(frozen=True)
class TimeLeft:
    """Whole hours until a deadline, or since it passed (`late`)."""

    late: bool
    hours: int


def time_left(deadline: str, now: datetime) -> TimeLeft:
    remaining = datetime.fromisoformat(deadline) - now
    if remaining <= timedelta(0):
        return TimeLeft(late=True, hours=math.floor(-remaining / HOUR))
    return TimeLeft(late=False, hours=math.floor(remaining / HOUR))
