"""Answers remembered for a moment: slot searches, so that many people looking at the same week
cost one search (`SLOT_CACHE_SECONDS`, default 2), and the catalogue's services and qualified
coaches with their hours, which every booking and search reads (`CATALOGUE_CACHE_SECONDS`,
default 2); 0 reads every time.

A slot search's answer depends on the catalogue, the coaches, their hours and availability
changes, and the bookings; the catalogue's answers on the services, their specifications, the
coaches, who delivers what and the hours. Every write to those tables through this process's
engine moves the answers' generation counter, when the statement runs and again when its
transaction commits; an answer is kept with the generation it was computed under and served only
while that generation holds, for at most the configured seconds. So this process never serves an
answer older than its own last change, and another instance's change is seen within those
seconds. A booking is always checked against the bookings and availability changes in the
database itself (`availability.free_coaches_at`), never against a remembered search: a stale
answer can at worst offer a time the booking then finds taken (`SlotTaken`), as a time taken
between looking and booking always could. Only a change made through another instance within
the last seconds (a service taken out of use, hours shortened) can be missed by a booking.

A question asked while the same one is being computed under the same generation waits for that
answer instead of computing it again, so the many requests that find an answer expired at once
cost one computation; should that one fail, each waiter computes its own.
"""

import time
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass

from eventlet.event import Event
from nameko.extensions import DependencyProvider
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.sql.dml import UpdateBase

from services.infra.database import find_database

SLOTS_DEPEND_ON = frozenset(
    {
        "catalogue_services",
        "coaches",
        "coach_services",
        "working_hours",
        "availability_changes",
        "bookings",
    }
)
CATALOGUE_DEPENDS_ON = frozenset(
    {"catalogue_services", "specifications", "coaches", "coach_services", "working_hours"}
)


@dataclass(frozen=True)
class Remembered:
    answer: object
    generation: int
    at: float


@dataclass(frozen=True)
class Computing:
    generation: int
    done: Event


FAILED = object()
"""What waiters are sent when the computation they waited for failed: compute your own."""


class RememberedSearches:
    """Answers by search, each valid while nothing it depends on has changed since."""

    def __init__(
        self, seconds: float, entries: int, monotonic: Callable[[], float] = time.monotonic
    ):
        self.seconds = seconds
        self.entries = entries
        self.monotonic = monotonic
        self.generation = 0
        self.answers: OrderedDict[Hashable, Remembered] = OrderedDict()
        self.computing: dict[Hashable, Computing] = {}

    def changed(self) -> None:
        self.generation += 1

    def answer(self, search: Hashable, compute: Callable[[], object]):
        if self.seconds <= 0:
            return compute()
        now = self.monotonic()
        found = self.answers.get(search)
        if found and found.generation == self.generation and now - found.at < self.seconds:
            return found.answer
        running = self.computing.get(search)
        if running and running.generation == self.generation:
            shared = running.done.wait()
            return compute() if shared is FAILED else shared
        return self._compute(search, compute, now)

    def _compute(self, search: Hashable, compute: Callable[[], object], now: float):
        computing = self.computing[search] = Computing(self.generation, Event())
        answer = FAILED
        try:
            answer = compute()
        finally:
            if self.computing.get(search) is computing:
                del self.computing[search]
            computing.done.send(answer)
        if computing.generation == self.generation:
            self.answers[search] = Remembered(answer, computing.generation, now)
            self.answers.move_to_end(search)
            while len(self.answers) > self.entries:
                self.answers.popitem(last=False)
        return answer


def watch_writes(engine: Engine, tables: frozenset[str], changed: Callable[[], None]) -> None:
    """Call `changed` when a statement writes to one of `tables`, and again when that
    statement's transaction commits. The connections that wrote are remembered by identity:
    a connection the database dropped must not be asked anything while it is rolled back."""
    wrote: weakref.WeakSet = weakref.WeakSet()

    def before_execute(connection, statement, *args) -> None:
        if isinstance(statement, UpdateBase) and statement.table.name in tables:
            wrote.add(connection)
            changed()

    def after_commit(connection) -> None:
        if connection in wrote:
            wrote.discard(connection)
            changed()

    def after_rollback(connection) -> None:
        wrote.discard(connection)

    event.listen(engine, "before_execute", before_execute)
    event.listen(engine, "commit", after_commit)
    event.listen(engine, "rollback", after_rollback)


class RememberedAnswers(DependencyProvider):
    """Answers that depend on `tables`, remembered for `<setting>_SECONDS` (default 2), at most
    `<setting>_ENTRIES` (default 1000) of them."""

    def __init__(self, tables: frozenset[str], setting: str):
        self.tables = tables
        self.setting = setting

    def setup(self):
        config = self.container.config
        self.answers = RememberedSearches(
            float(config.get(f"{self.setting}_SECONDS", 2)),
            int(config.get(f"{self.setting}_ENTRIES", 1000)),
        )

    def start(self):
        engine = find_database(self.container).engine
        watch_writes(engine, self.tables, self.answers.changed)

    def get_dependency(self, worker_ctx) -> RememberedSearches:
        return self.answers


def never_remembered() -> RememberedSearches:
    """What a worker without remembered answers gets: every question computed afresh."""
    return RememberedSearches(seconds=0, entries=0)
