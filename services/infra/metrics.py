"""Prometheus metrics of one process, served at `/metrics` on a port of its own.

Every process serves only its own figures (`METRICS_PORT`; 0 serves none and measures nothing),
so a service scaled to three processes is three scrape targets, and Prometheus adds them up.
The metrics are module-level objects of `prometheus_client`'s default registry, as its authors
intend: a process that runs several containers (the tests) shares them instead of registering
names twice. What is read from a container's database and pool at scrape time is a collector
registered while that container serves.

- `valmennus_rpc_seconds{method, outcome}`, `valmennus_event_handler_seconds{source, event,
  handler, outcome}`, `valmennus_timer_seconds{method, outcome}`: each call's duration; the
  histograms' `_count` counts calls, `outcome` is `ok`, `refused` (an expected error) or `error`.
- `valmennus_http_request_seconds{method, route, status}`: the gateway's requests by URL rule.
- `valmennus_event_retries_total{queue}`, `valmennus_events_parked_total{queue}`: failed handlers
  sent to a delay queue, and given up on; `valmennus_parked_events`: parked, not yet replayed.
- `valmennus_outbox_backlog`, `valmennus_outbox_oldest_seconds`: events stored, not yet published;
  `valmennus_outbox_published_total`.
- `valmennus_db_pool_size`, `valmennus_db_connections{state}`: the pool and its use.
- `valmennus_workers_busy`, `valmennus_workers_max`: workers running, and the most that may.
- `process_cpu_seconds_total` and the other `process_*` figures of `prometheus_client`.
"""

import logging
import time
from weakref import WeakKeyDictionary

import eventlet
import eventlet.wsgi
from nameko.events import EventHandler
from nameko.extensions import DependencyProvider
from nameko.rpc import Rpc
from nameko.timer import Timer
from prometheus_client import REGISTRY, Counter, Histogram, make_wsgi_app
from prometheus_client.core import GaugeMetricFamily
from sqlalchemy import func, select

from services.infra.database import Database
from services.infra.tables import outbox, parked_events
from services.infra.tracing import outcome_of

log = logging.getLogger(__name__)

BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300)

RPC_SECONDS = Histogram(
    "valmennus_rpc_seconds",
    "RPC calls handled, by method and outcome",
    ["method", "outcome"],
    buckets=BUCKETS,
)
EVENT_SECONDS = Histogram(
    "valmennus_event_handler_seconds",
    "Events handled, by source, event type, handler and outcome",
    ["source", "event", "handler", "outcome"],
    buckets=BUCKETS,
)
TIMER_SECONDS = Histogram(
    "valmennus_timer_seconds",
    "Timer job runs, by method and outcome",
    ["method", "outcome"],
    buckets=BUCKETS,
)
HTTP_SECONDS = Histogram(
    "valmennus_http_request_seconds",
    "HTTP requests answered, by method, URL rule and status, until the answer starts",
    ["method", "route", "status"],
    buckets=BUCKETS,
)
EVENT_RETRIES = Counter(
    "valmennus_event_retries", "Failed event handlings sent to a delay queue to retry", ["queue"]
)
EVENTS_PARKED = Counter(
    "valmennus_events_parked", "Events given up on after the last retry, and parked", ["queue"]
)
OUTBOX_PUBLISHED = Counter("valmennus_outbox_published", "Events published from the outbox")


def observe_worker(worker_ctx, seconds: float, exc_info) -> None:
    """Record one worker's duration under the histogram of its kind of entrypoint."""
    entrypoint = worker_ctx.entrypoint
    outcome = outcome_of(entrypoint, exc_info)
    if isinstance(entrypoint, Rpc):
        RPC_SECONDS.labels(entrypoint.method_name, outcome).observe(seconds)
    elif isinstance(entrypoint, EventHandler):
        EVENT_SECONDS.labels(
            entrypoint.source_service, entrypoint.event_type, entrypoint.method_name, outcome
        ).observe(seconds)
    elif isinstance(entrypoint, Timer):
        TIMER_SECONDS.labels(entrypoint.method_name, outcome).observe(seconds)


class ContainerState:
    """The figures read at scrape time: workers, and for a service with a database its pool,
    outbox and parked events (one query)."""

    def __init__(self, container):
        self.container = container
        self.database = next(
            (dep for dep in container.dependencies if isinstance(dep, Database)), None
        )

    def describe(self):
        return []

    def collect(self):
        yield gauge(
            "valmennus_workers_busy", "Workers running", len(self.container._worker_threads)
        )
        yield gauge(
            "valmennus_workers_max", "Workers that may run at once", self.container.max_workers
        )
        if self.database is not None:
            yield from self.pool_figures()
            yield from self.table_figures()

    def pool_figures(self):
        pool = self.database.engine.pool
        yield gauge("valmennus_db_pool_size", "Connections the pool keeps", pool.size())
        connections = GaugeMetricFamily(
            "valmennus_db_connections", "Database connections by state", labels=["state"]
        )
        connections.add_metric(["in_use"], pool.checkedout())
        connections.add_metric(["idle"], pool.checkedin())
        yield connections

    def table_figures(self):
        unpublished = outbox.c.published_at.is_(None)
        query = select(
            select(func.count()).where(unpublished).scalar_subquery(),
            select(func.extract("epoch", func.now() - func.min(outbox.c.created_at)))
            .where(unpublished)
            .scalar_subquery(),
            select(func.count())
            .select_from(parked_events)
            .where(parked_events.c.replayed_at.is_(None))
            .scalar_subquery(),
        )
        try:
            with self.database.engine.connect() as connection:
                backlog, oldest, parked = connection.execute(query).one()
        except Exception:
            log.warning("could not read the outbox and parked events for metrics", exc_info=True)
            return
        yield gauge("valmennus_outbox_backlog", "Events stored, not yet published", backlog)
        yield gauge(
            "valmennus_outbox_oldest_seconds",
            "Age of the oldest event not yet published (0 when none waits)",
            float(oldest or 0),
        )
        yield gauge("valmennus_parked_events", "Parked events not yet replayed", parked)


def gauge(name: str, documentation: str, value: float) -> GaugeMetricFamily:
    return GaugeMetricFamily(name, documentation, value=value)


class Metrics(DependencyProvider):
    """Times every worker and serves the process's metrics on `METRICS_HOST:METRICS_PORT`."""

    def setup(self):
        config = self.container.config
        self.port = int(config.get("METRICS_PORT", 0))
        self.host = str(config.get("METRICS_HOST", "127.0.0.1"))
        self.state = ContainerState(self.container)
        self.started = WeakKeyDictionary()
        self.server = None

    def start(self):
        if not self.port:
            return
        listener = eventlet.listen((self.host, self.port))
        REGISTRY.register(self.state)
        self.server = self.container.spawn_managed_thread(
            lambda: eventlet.wsgi.server(listener, make_wsgi_app(), log_output=False),
            identifier="metrics-server",
        )

    def stop(self):
        if self.server is not None:
            self.server.kill()
            REGISTRY.unregister(self.state)
            self.server = None

    def kill(self):
        self.stop()

    def worker_setup(self, worker_ctx):
        if self.port:
            self.started[worker_ctx] = time.perf_counter()

    def worker_result(self, worker_ctx, result=None, exc_info=None):
        began = self.started.pop(worker_ctx, None)
        if began is not None:
            observe_worker(worker_ctx, time.perf_counter() - began, exc_info)
