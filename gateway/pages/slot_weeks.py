"""Free times one week at a time, Monday to Sunday in Helsinki: the week picker's data.

`week_of(text, today)` reads the week asked for in the address (`?viikko=2027-03-01`, any day of
it) and never goes back before the current week; `days_with_slots` groups bookings' `find_slots`
answer by day, so a template lists each day with its times, or says it has none.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from gateway.pages.i18n import HELSINKI

WEEK_FIELD = "viikko"


@dataclass(frozen=True)
class Week:
    monday: date
    current: date

    @property
    def sunday(self) -> date:
        return self.monday + timedelta(days=6)

    @property
    def days(self) -> list[date]:
        return [self.monday + timedelta(days=n) for n in range(7)]

    @property
    def previous(self) -> date | None:
        """The Monday before, unless this week is the current one."""
        return None if self.monday <= self.current else self.monday - timedelta(days=7)

    @property
    def next(self) -> date:
        return self.monday + timedelta(days=7)

    def query(self) -> dict:
        """The dates of bookings' `SlotQuery` (`from`, `to`)."""
        return {"from": self.monday.isoformat(), "to": self.sunday.isoformat()}


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def week_of(text: str | None, now: datetime) -> Week:
    """The week of `text` (an ISO date), or the current one when it is missing, not a date or
    in the past."""
    current = monday_of(now.astimezone(HELSINKI).date())
    try:
        asked = monday_of(date.fromisoformat(text or ""))
    except ValueError:
        asked = current
    return Week(monday=max(asked, current), current=current)


def days_with_slots(week: Week, slots: list[dict]) -> list[tuple[date, list[dict]]]:
    by_day: dict[date, list[dict]] = {day: [] for day in week.days}
    for slot in slots:
        day = datetime.fromisoformat(slot["starts_at"]).astimezone(HELSINKI).date()
        if day in by_day:
            by_day[day].append(slot)
    return list(by_day.items())
