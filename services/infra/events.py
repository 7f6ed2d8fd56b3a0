"""Consuming events reliably: each event once, failures retried with backoff, then parked.

`handle_event(source, event_type)` decorates a service method like nameko's `event_handler`,
and adds:
- once per event: the handler's `event_id` is recorded in `processed_events` in the worker's own
  transaction; a repeat (redelivery, duplicate publish, replay) is skipped.
- retry: a handler that raises is rolled back and its message republished to a delay queue
  (`<queue>.retry-<ms>`, dead-lettering back to the handler's queue) for each configured delay;
  after the last one it is stored in `parked_events`, where an operator lists and replays it.
  The original message is acknowledged only after the retry or park is safely stored, so a
  failure is never acknowledged and forgotten.
"""

import functools
import logging
import traceback

from kombu import Exchange, Queue
from nameko.amqp.publish import Publisher
from nameko.constants import AMQP_URI_CONFIG_KEY
from nameko.events import EventHandler
from nameko.extensions import DependencyProvider
from sqlalchemy import func, insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert

from services.infra.database import find_database
from services.infra.metrics import EVENT_RETRIES, EVENTS_PARKED
from services.infra.tables import parked_events, processed_events
from services.infra.tracing import HEADER_PREFIX

log = logging.getLogger(__name__)

ATTEMPT_HEADER = "x-valmennus-attempt"
DEFAULT_RETRY_DELAYS_MS = "1000,10000,60000,300000"
DEFAULT_EXCHANGE = Exchange("", type="direct")


def retry_delays_ms(config) -> list[int]:
    raw = str(config.get("EVENT_RETRY_DELAYS_MS", DEFAULT_RETRY_DELAYS_MS))
    return [int(part) for part in raw.split(",") if part.strip()]


def retry_queue(queue_name: str, delay_ms: int) -> Queue:
    return Queue(
        f"{queue_name}.retry-{delay_ms}",
        exchange=DEFAULT_EXCHANGE,
        routing_key=f"{queue_name}.retry-{delay_ms}",
        durable=True,
        queue_arguments={
            "x-message-ttl": delay_ms,
            "x-dead-letter-exchange": "",
            "x-dead-letter-routing-key": queue_name,
        },
    )


class ReliableEventHandler(EventHandler):
    def setup(self):
        super().setup()
        config = self.container.config
        self.delays_ms = retry_delays_ms(config)
        self.publisher = Publisher(config[AMQP_URI_CONFIG_KEY], use_confirms=True)
        self.database = find_database(self.container)

    def queues_to_declare(self) -> list[Queue]:
        return [self.queue] + [retry_queue(self.queue.name, d) for d in self.delays_ms]

    def handle_result(self, message, worker_ctx, result=None, exc_info=None):
        if exc_info is None:
            self.queue_consumer.ack_message(message)
            return result, exc_info
        try:
            self._retry_or_park(message, exc_info)
        except Exception:
            log.exception("could not retry or park a message of %s; requeueing", self.queue.name)
            self.queue_consumer.requeue_message(message)
        else:
            self.queue_consumer.ack_message(message)
        return result, exc_info

    def _retry_or_park(self, message, exc_info):
        attempt = int((message.headers or {}).get(ATTEMPT_HEADER, 0))
        if attempt < len(self.delays_ms):
            delayed = retry_queue(self.queue.name, self.delays_ms[attempt])
            self.publisher.publish(
                message.payload,
                exchange=DEFAULT_EXCHANGE,
                routing_key=delayed.name,
                headers={**(message.headers or {}), ATTEMPT_HEADER: attempt + 1},
                declare=[delayed],
            )
            EVENT_RETRIES.labels(self.queue.name).inc()
            return
        error = "".join(traceback.format_exception_only(exc_info[0], exc_info[1])).strip()
        with self.database.transaction() as session:
            session.execute(
                insert(parked_events),
                {
                    "queue": self.queue.name,
                    "routing_key": self.event_type,
                    "payload": message.payload,
                    "error": error[:2000],
                    "attempts": attempt + 1,
                    "headers": carried_on(message.headers),
                },
            )
        EVENTS_PARKED.labels(self.queue.name).inc()
        log.error(
            "parked an event of %s after %d attempts: %s", self.queue.name, attempt + 1, error
        )


def carried_on(headers: dict | None) -> dict:
    """The headers a parked event is replayed with: the request it serves, not its attempts."""
    return {key: value for key, value in (headers or {}).items() if key.startswith(HEADER_PREFIX)}


CLAIM_EVENT = (
    pg_insert(processed_events).on_conflict_do_nothing().returning(processed_events.c.event_id)
)
"""Built once, as every handled event runs it."""


def claim_event(session, consumer: str, event_id: str) -> bool:
    """Record that `consumer` handles `event_id`; False when it already has."""
    claimed = session.execute(CLAIM_EVENT, {"consumer": consumer, "event_id": event_id}).first()
    return claimed is not None


def handle_event(source_service: str, event_type: str):
    """Mark a method of a service (with a `db` Database dependency) as a reliable event handler."""

    def decorate(method):
        @functools.wraps(method)
        def once_per_event(self, payload):
            consumer = f"{source_service}.{event_type}:{method.__name__}"
            if not claim_event(self.db, consumer, payload["event_id"]):
                log.info("skipping event %s already handled by %s", payload["event_id"], consumer)
                return None
            return method(self, payload)

        return ReliableEventHandler.decorator(source_service, event_type)(once_per_event)

    return decorate


class ParkedEventsView:
    """What a worker sees of its service's parked events: list them, replay one."""

    def __init__(self, session, publisher: Publisher):
        self._session = session
        self._publisher = publisher

    def list(self, limit: int = 100) -> list[dict]:
        return list_parked(self._session, limit)

    def replay(self, parked_id: int) -> bool:
        return replay_parked(self._session, self._publisher, parked_id)


class ParkedEvents(DependencyProvider):
    def setup(self):
        self.database = find_database(self.container)
        self.publisher = Publisher(self.container.config[AMQP_URI_CONFIG_KEY], use_confirms=True)

    def get_dependency(self, worker_ctx) -> ParkedEventsView:
        return ParkedEventsView(self.database.session_for(worker_ctx), self.publisher)


def list_parked(session, limit: int = 100) -> list[dict]:
    rows = session.execute(
        select(parked_events)
        .where(parked_events.c.replayed_at.is_(None))
        .order_by(parked_events.c.id)
        .limit(limit)
    ).mappings()
    return [
        {
            "id": row["id"],
            "queue": row["queue"],
            "routing_key": row["routing_key"],
            "payload": row["payload"],
            "error": row["error"],
            "attempts": row["attempts"],
            "headers": row["headers"] or {},
            "parked_at": row["parked_at"].isoformat(),
        }
        for row in rows
    ]


def replay_parked(session, publisher: Publisher, parked_id: int) -> bool:
    """Send a parked event back to its handler's queue with fresh retries; False if not parked."""
    row = (
        session.execute(
            select(parked_events)
            .where(parked_events.c.id == parked_id, parked_events.c.replayed_at.is_(None))
            .with_for_update()
        )
        .mappings()
        .first()
    )
    if row is None:
        return False
    publisher.publish(
        row["payload"],
        exchange=DEFAULT_EXCHANGE,
        routing_key=row["queue"],
        headers=row["headers"] or {},
    )
    session.execute(
        update(parked_events).where(parked_events.c.id == parked_id).values(replayed_at=func.now())
    )
    return True
