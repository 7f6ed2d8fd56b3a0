"""How long a service keeps the rows of events it relayed and events it handled.

A published outbox row is history once RabbitMQ has confirmed it, and a handled event's row in
`processed_events` only guards against handling a repeat, which comes within minutes: a relay or
a consumer restarted, a retry at most five minutes later (parked events are not handled, so a
replay of one days later finds no row to miss). Kept forever, each table would grow by a row
per event. `prune` deletes both kinds older than `EVENT_RECORDS_KEEP_DAYS` (default
30) in batches, each committed on its own so no transaction holds many rows; an outbox row not
yet published is never deleted, whatever its age.
"""

from datetime import datetime, timedelta

from nameko.extensions import DependencyProvider
from sqlalchemy import bindparam, delete, select, tuple_

from services.infra.database import step
from services.infra.tables import outbox, processed_events

BATCH_ROWS = 5000

OLD_OUTBOX_ROWS = delete(outbox).where(
    outbox.c.id.in_(
        select(outbox.c.id).where(outbox.c.published_at < bindparam("cutoff")).limit(BATCH_ROWS)
    )
)
OLD_PROCESSED_EVENTS = delete(processed_events).where(
    tuple_(processed_events.c.consumer, processed_events.c.event_id).in_(
        select(processed_events.c.consumer, processed_events.c.event_id)
        .where(processed_events.c.processed_at < bindparam("cutoff"))
        .limit(BATCH_ROWS)
    )
)


def prune(session, cutoff: datetime) -> dict[str, int]:
    """Delete published outbox rows and handled-event rows from before `cutoff`; returns how
    many of each, by table."""
    deleted = {}
    for table, statement in (
        ("outbox", OLD_OUTBOX_ROWS),
        ("processed_events", OLD_PROCESSED_EVENTS),
    ):
        deleted[table] = 0
        while True:
            with step(session):
                count = session.execute(statement, {"cutoff": cutoff}).rowcount
            deleted[table] += count
            if count < BATCH_ROWS:
                break
    return deleted


class EventRecords(DependencyProvider):
    """Gives workers `prune(session, now)`, which keeps the last `EVENT_RECORDS_KEEP_DAYS` days;
    made once, as nameko asks every worker of every entrypoint for it."""

    def setup(self):
        keep = timedelta(days=float(self.container.config.get("EVENT_RECORDS_KEEP_DAYS", 30)))
        self.prune_kept = lambda session, now: prune(session, now - keep)

    def get_dependency(self, worker_ctx):
        return self.prune_kept
