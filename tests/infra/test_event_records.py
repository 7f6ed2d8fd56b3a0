"""Old event records are pruned by every service's hourly timer, on the real database."""

import uuid

from sqlalchemy import func, select, text

from services.infra.event_records import BATCH_ROWS
from services.infra.outbox import Outbox
from services.infra.tables import outbox, processed_events
from tests.conftest import run_now
from tests.infra.sample_services import SourceService


class OutboxThatNeverRelays(Outbox):
    """Leaves unpublished rows as they are, so the test sees what pruning alone does."""

    def start(self):
        pass


class SourceWithoutRelay(SourceService):
    outbox = OutboxThatNeverRelays()


def add_outbox_row(connection, days_ago: int, published: bool) -> uuid.UUID:
    event_id = uuid.uuid4()
    connection.execute(
        text(
            "INSERT INTO outbox (event_id, event_type, payload, created_at, published_at)"
            " VALUES (:event_id, 'note_written', '{}', now() - make_interval(days => :days),"
            " CASE WHEN :published THEN now() - make_interval(days => :days) END)"
        ),
        {"event_id": event_id, "days": days_ago, "published": published},
    )
    return event_id


def add_processed_events(connection, count: int, days_ago: int, consumer: str) -> None:
    connection.execute(
        text(
            "INSERT INTO processed_events (consumer, event_id, processed_at)"
            " SELECT :consumer, gen_random_uuid(), now() - make_interval(days => :days)"
            " FROM generate_series(1, :count)"
        ),
        {"consumer": consumer, "days": days_ago, "count": count},
    )


def test_pruning_keeps_the_last_30_days_and_every_unpublished_event(
    container_factory, sample_config, sample_engines
):
    engine = sample_engines["sample_source"]
    with engine.begin() as connection:
        old_published = add_outbox_row(connection, days_ago=31, published=True)
        recent_published = add_outbox_row(connection, days_ago=29, published=True)
        old_unpublished = add_outbox_row(connection, days_ago=400, published=False)
        add_processed_events(connection, BATCH_ROWS + 3, days_ago=31, consumer="old")
        add_processed_events(connection, 2, days_ago=29, consumer="recent")
    container = container_factory(SourceWithoutRelay, sample_config("sample_source"))
    container.start()

    deleted = run_now(container, "prune_event_records")

    assert deleted == {"outbox": 1, "processed_events": BATCH_ROWS + 3}
    with engine.connect() as connection:
        kept = set(connection.execute(select(outbox.c.event_id)).scalars())
        consumers = connection.execute(
            select(processed_events.c.consumer, func.count()).group_by(processed_events.c.consumer)
        ).all()
    assert old_published not in kept
    assert kept == {recent_published, old_unpublished}
    assert consumers == [("recent", 2)]
    assert run_now(container, "prune_event_records") == {"outbox": 0, "processed_events": 0}
