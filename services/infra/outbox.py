"""Transactional outbox: an event is stored with the change it announces, then relayed.

`dispatch(event_type, payload)` writes an outbox row in the worker's transaction, so the change
and its event commit or vanish together. A relay loop per container publishes pending rows with
publisher confirms and marks them sent; it wakes when a worker that dispatched commits, and
polls otherwise, so rows left behind by a crash between commit and publish go out on the next
pass (or from another instance: rows are claimed with SKIP LOCKED). Delivery is at least once:
every payload carries an `event_id` that consumers use to skip repeats. The row keeps the
headers that carry the writing worker's request on (`tracing.carried_headers`), and the event is
published with them, so its handlers serve the same request.
"""

import logging
import uuid
from weakref import WeakKeyDictionary

from eventlet.queue import Empty, LightQueue
from nameko.amqp.publish import Publisher
from nameko.constants import AMQP_URI_CONFIG_KEY
from nameko.events import get_event_exchange
from nameko.extensions import DependencyProvider
from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from services.infra.database import find_database
from services.infra.metrics import OUTBOX_PUBLISHED
from services.infra.tables import outbox
from services.infra.tracing import carried_headers

log = logging.getLogger(__name__)


def write_event(
    session: Session, event_type: str, payload: dict, headers: dict | None = None
) -> uuid.UUID:
    event_id = uuid.uuid4()
    body = dict(payload, event_id=str(event_id))
    session.execute(
        insert(outbox),
        {
            "event_id": event_id,
            "event_type": event_type,
            "payload": body,
            "headers": headers or None,
        },
    )
    return event_id


class OutboxWriter:
    """What a worker sees: `dispatch` adds an event to the worker's transaction."""

    def __init__(
        self, session: Session, on_dispatch, own_transaction=None, context_data: dict | None = None
    ):
        self._session = session
        self._on_dispatch = on_dispatch
        self._own_transaction = own_transaction
        self._context_data = {} if context_data is None else context_data

    def dispatch(self, event_type: str, payload: dict) -> uuid.UUID:
        headers = carried_headers(self._context_data)
        event_id = write_event(self._session, event_type, payload, headers)
        self._on_dispatch()
        return event_id

    def dispatch_regardless(self, event_type: str, payload: dict) -> uuid.UUID:
        """Store the event in a transaction of its own, so it survives the worker's rollback.

        For facts that stay true when the worker fails, such as an access being refused.
        """
        with self._own_transaction() as session:
            event_id = write_event(
                session, event_type, payload, carried_headers(self._context_data)
            )
        self._on_dispatch()
        return event_id


def claim_statement(batch_size: int):
    """Marks up to `batch_size` pending events published, oldest first, and returns them; rows
    another relay holds are skipped. Built once per relay, as it runs after every dispatching
    worker."""
    pending = (
        select(outbox.c.id)
        .where(outbox.c.published_at.is_(None))
        .order_by(outbox.c.id)
        .limit(batch_size)
        .with_for_update(skip_locked=True)
    )
    return (
        update(outbox)
        .where(outbox.c.id.in_(pending))
        .values(published_at=func.now())
        .returning(outbox.c.id, outbox.c.event_type, outbox.c.payload, outbox.c.headers)
    )


class Outbox(DependencyProvider):
    def setup(self):
        config = self.container.config
        self.database = find_database(self.container)
        self.exchange = get_event_exchange(self.container.service_name, config)
        self.publisher = Publisher(config[AMQP_URI_CONFIG_KEY], use_confirms=True)
        self.poll_seconds = float(config.get("OUTBOX_POLL_SECONDS", 2.0))
        self.batch_size = int(config.get("OUTBOX_BATCH_SIZE", 100))
        self.claim = claim_statement(self.batch_size)
        self.dispatching_workers = WeakKeyDictionary()
        self.wakeups = LightQueue()

    def start(self):
        self.container.spawn_managed_thread(self._relay_forever, identifier="outbox-relay")

    def get_dependency(self, worker_ctx) -> OutboxWriter:
        def remember():
            self.dispatching_workers[worker_ctx] = True

        return OutboxWriter(
            self.database.session_for(worker_ctx),
            remember,
            self.database.transaction,
            worker_ctx.data,
        )

    def worker_result(self, worker_ctx, result=None, exc_info=None):
        if self.dispatching_workers.pop(worker_ctx, False):
            self.wakeups.put(True)

    def relay_pending(self) -> int:
        """Publish every pending row; returns how many were published."""
        published = 0
        while True:
            count = self._relay_batch()
            published += count
            if count < self.batch_size:
                return published

    def _relay_batch(self) -> int:
        """Claim and mark a batch in one statement, publish it, then commit: a failed publish
        rolls the marks back, and the batch goes out again on the next pass."""
        with self.database.transaction() as session:
            rows = sorted(session.execute(self.claim).all(), key=lambda row: row.id)
            for row in rows:
                self.publisher.publish(
                    row.payload,
                    exchange=self.exchange,
                    routing_key=row.event_type,
                    headers=row.headers or {},
                    declare=[self.exchange],
                )
            OUTBOX_PUBLISHED.inc(len(rows))
            return len(rows)

    def _relay_forever(self):
        while True:
            try:
                self.relay_pending()
            except Exception:
                log.exception("outbox relay of %s failed; retrying", self.container.service_name)
            try:
                self.wakeups.get(timeout=self.poll_seconds)
                while self.wakeups.qsize():
                    self.wakeups.get_nowait()
            except Empty:
                pass
