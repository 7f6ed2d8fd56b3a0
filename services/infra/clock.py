"""The clock every service reads "now" from, so tests can move time instead of sleeping."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from nameko.extensions import DependencyProvider

HELSINKI = ZoneInfo("Europe/Helsinki")


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class SettableClock:
    """A clock for tests: it stands still until it is set or advanced."""

    def __init__(self, start: datetime):
        if start.tzinfo is None:
            raise ValueError("SettableClock needs an aware datetime")
        self._now = start

    def now(self) -> datetime:
        return self._now

    def set(self, instant: datetime) -> None:
        if instant.tzinfo is None:
            raise ValueError("SettableClock needs an aware datetime")
        self._now = instant

    def advance(self, delta: timedelta) -> None:
        self._now += delta


class Clock(DependencyProvider):
    """Gives workers a clock; `source` is the system clock unless a test replaces it."""

    def __init__(self):
        self.source = SystemClock()

    def get_dependency(self, worker_ctx):
        return self.source
