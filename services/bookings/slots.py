"""Free-slot search: when a coach can take a session, and which coaches can take each slot.

Pure domain logic, no I/O: the service loads working hours, exceptions and bookings and passes
them in, together with the window people may book in (minimum notice, how far ahead).

Time. Working hours are Helsinki wall-clock times; everything else is an aware instant. Each
day's hours become instants with zoneinfo, so a 08:00-16:00 day is eight real hours and starts at
08:00 Helsinki time on either side of a daylight-saving change. All arithmetic happens in UTC,
because adding a timedelta to a datetime in a DST zone adds wall-clock time, not elapsed time.
Wall times that the change skips or repeats (03:00-04:00 on the last Sundays of March and
October) follow zoneinfo's default reading, the same rule as java.time's `ZonedDateTime.of`:
- a skipped time is moved later by the length of the gap: 03:30 on 28 March 2027 means 04:30 EEST;
- a repeated time means its first occurrence: 03:30 on 31 October 2027 means 03:30 EEST (+03:00),
  so hours of 03:30-06:00 that day last three and a half real hours.
Hours that end up empty this way (03:30-04:10 on the spring day becomes 04:30-04:10) are dropped.
"""

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from services.contracts.bookings import AVAILABILITY_KINDS, EXTRA

HELSINKI = ZoneInfo("Europe/Helsinki")
CHANGE_KINDS = AVAILABILITY_KINDS

ONE_DAY = timedelta(days=1)
MIDNIGHT = time(0)

_Span = tuple[datetime, datetime]


@dataclass(frozen=True)
class WeeklyHours:
    """A coach's recurring working period in Helsinki wall-clock time; weekday 0 is Monday."""

    weekday: int
    starts: time
    ends: time

    def __post_init__(self):
        if not 0 <= self.weekday <= 6:
            raise ValueError(f"weekday must be 0 (Monday) to 6 (Sunday), not {self.weekday}")
        if self.ends <= self.starts:
            raise ValueError("weekly hours must end after they start, on the same day")


@dataclass(frozen=True)
class DatedChange:
    """An exception to the weekly hours: "time_off" removes availability, "extra" adds it."""

    starts_at: datetime
    ends_at: datetime
    kind: str

    def __post_init__(self):
        if self.kind not in CHANGE_KINDS:
            raise ValueError(f"kind must be one of {CHANGE_KINDS}, not {self.kind!r}")


@dataclass(frozen=True)
class Interval:
    """A busy period of a coach, such as an active booking."""

    starts_at: datetime
    ends_at: datetime


@dataclass(frozen=True)
class Slot:
    starts_at: datetime
    ends_at: datetime


@dataclass(frozen=True)
class OpenSlot:
    """A slot offered for "any coach": every qualified coach free for it, in the order given."""

    starts_at: datetime
    ends_at: datetime
    coach_ids: tuple[str, ...]


def coach_free_slots(
    *,
    first_day: date,
    last_day: date,
    duration: timedelta,
    weekly_hours: Iterable[WeeklyHours],
    changes: Iterable[DatedChange],
    busy: Iterable[Interval],
    buffer: timedelta,
    earliest_start: datetime,
    latest_start: datetime,
    step: timedelta,
) -> list[Slot]:
    """One coach's free slots on the Helsinki days first_day..last_day, sorted, in UTC.

    Starts lie on a grid of `step` from the start of each free availability period, so slots
    stay on round times however bookings fall. A slot keeps `buffer` away from every busy
    interval on both sides, and starts within earliest_start..latest_start inclusive.
    """
    if duration <= timedelta(0) or step <= timedelta(0):
        raise ValueError("duration and step must be positive")
    if buffer < timedelta(0):
        raise ValueError("buffer must not be negative")
    periods = _availability(first_day, last_day, weekly_hours, changes)
    blocked = _merge((_utc(b.starts_at) - buffer, _utc(b.ends_at) + buffer) for b in busy)
    earliest, latest = _utc(earliest_start), _utc(latest_start)
    return [
        Slot(start, start + duration)
        for (origin, _), gaps in _subtract(periods, blocked)
        for gap in gaps
        for start in _grid_starts(origin, gap, duration, step, earliest, latest)
    ]


def any_coach_slots(slots_by_coach: Mapping[str, list[Slot]]) -> list[OpenSlot]:
    """Merge coaches' free slots into one offer per slot, listing every coach free for it."""
    coaches_by_slot: dict[Slot, list[str]] = defaultdict(list)
    for coach_id, slots in slots_by_coach.items():
        for slot in slots:
            coaches_by_slot[slot].append(coach_id)
    return [
        OpenSlot(slot.starts_at, slot.ends_at, tuple(coaches_by_slot[slot]))
        for slot in sorted(coaches_by_slot, key=lambda slot: (slot.starts_at, slot.ends_at))
    ]


def _helsinki_instant(day: date, wall: time) -> datetime:
    """The UTC instant of a Helsinki wall-clock time, read as the module docstring describes."""
    return datetime.combine(day, wall, tzinfo=HELSINKI).astimezone(UTC)


def _availability(
    first_day: date,
    last_day: date,
    weekly_hours: Iterable[WeeklyHours],
    changes: Iterable[DatedChange],
) -> list[_Span]:
    """Sorted, disjoint periods of availability: weekly hours plus extra hours minus time off."""
    window = (
        _helsinki_instant(first_day, MIDNIGHT),
        _helsinki_instant(last_day + ONE_DAY, MIDNIGHT),
    )
    extra, time_off = [], []
    for change in changes:
        span = (_utc(change.starts_at), _utc(change.ends_at))
        (extra if change.kind == EXTRA else time_off).append(span)
    working = _merge([*_weekly_spans(first_day, last_day, weekly_hours), *_clip(extra, window)])
    return [piece for _, pieces in _subtract(working, _merge(time_off)) for piece in pieces]


def _weekly_spans(
    first_day: date, last_day: date, weekly_hours: Iterable[WeeklyHours]
) -> Iterator[_Span]:
    hours_by_weekday = defaultdict(list)
    for hours in weekly_hours:
        hours_by_weekday[hours.weekday].append(hours)
    day = first_day
    while day <= last_day:
        for hours in hours_by_weekday[day.weekday()]:
            yield _helsinki_instant(day, hours.starts), _helsinki_instant(day, hours.ends)
        day += ONE_DAY


def _clip(spans: Iterable[_Span], window: _Span) -> Iterator[_Span]:
    for start, end in spans:
        yield max(start, window[0]), min(end, window[1])


def _merge(spans: Iterable[_Span]) -> list[_Span]:
    """Sort spans and join those that overlap or touch; empty spans are dropped."""
    merged: list[_Span] = []
    for start, end in sorted(span for span in spans if span[0] < span[1]):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _subtract(spans: list[_Span], holes: list[_Span]) -> Iterator[tuple[_Span, list[_Span]]]:
    """Pair each span with the pieces of it that no hole covers.

    Both lists are sorted and disjoint, so one sweep serves them all: holes that end before a span
    are never looked at again.
    """
    first_hole = 0
    for start, end in spans:
        while first_hole < len(holes) and holes[first_hole][1] <= start:
            first_hole += 1
        pieces, cursor, hole = [], start, first_hole
        while hole < len(holes) and holes[hole][0] < end:
            hole_start, hole_end = holes[hole]
            if cursor < hole_start:
                pieces.append((cursor, hole_start))
            cursor = max(cursor, hole_end)
            hole += 1
        if cursor < end:
            pieces.append((cursor, end))
        yield (start, end), pieces


def _grid_starts(
    origin: datetime,
    gap: _Span,
    duration: timedelta,
    step: timedelta,
    earliest: datetime,
    latest: datetime,
) -> Iterator[datetime]:
    """Starts origin + k * step whose slot fits in the gap and that lie in earliest..latest."""
    low = max(gap[0], earliest)
    high = min(gap[1] - duration, latest)
    first = -((origin - low) // step)  # ceiling division: the first grid point at or after low
    last = (high - origin) // step
    for k in range(first, last + 1):
        yield origin + k * step


def _utc(instant: datetime) -> datetime:
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise ValueError(f"an aware datetime is needed, not {instant!r}")
    return instant.astimezone(UTC)
