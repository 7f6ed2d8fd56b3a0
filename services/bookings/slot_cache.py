"""Slot searches remembered for a moment, so that many people looking at the same week cost one
search (`SLOT_CACHE_SECONDS`, default 2; 0 searches every time).

A search's answer depends on the catalogue, the coaches, their hours and availability changes,
and the bookings. Every write to those tables through this process's engine moves a generation
counter, when the statement runs and again when its transaction commits; an answer is kept with
the generation it was computed under and served only while that generation holds, for at most
`SLOT_CACHE_SECONDS`. So this process never serves an answer older than its own last change, and
another instance's change is seen within `SLOT_CACHE_SECONDS`. A booking is always checked
against the database itself (`availability.free_coaches_at`), never against a remembered answer:
a stale answer can at worst offer a time the booking then finds taken (`SlotTaken`), as a time
taken between looking and booking always could.
"""

import time
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass

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


@dataclass(frozen=True)
class Remembered:
    answer: object
    generation: int
    at: float


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

    def changed(self) -> None:
        self.generation += 1

    def answer(self, search: Hashable, compute: Callable[[], object]):
        if self.seconds <= 0:
            return compute()
        now = self.monotonic()
        found = self.answers.get(search)
        if found and found.generation == self.generation and now - found.at < self.seconds:
            return found.answer
        generation = self.generation
        answer = compute()
        if generation == self.generation:
            self.answers[search] = Remembered(answer, generation, now)
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


class SlotCache(DependencyProvider):
    def setup(self):
        config = self.container.config
        self.searches = RememberedSearches(
            float(config.get("SLOT_CACHE_SECONDS", 2)), int(config.get("SLOT_CACHE_ENTRIES", 1000))
        )

    def start(self):
        engine = find_database(self.container).engine
        watch_writes(engine, SLOTS_DEPEND_ON, self.searches.changed)

    def get_dependency(self, worker_ctx) -> RememberedSearches:
        return self.searches
