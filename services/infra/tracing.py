"""Which request a worker serves: its request id and its place in a trace, carried across services.

The gateway gives every HTTP request an id (see `gateway/observed.py`). It rides in nameko's
context data, which nameko sends along as `nameko.request_id` headers with every RPC call a worker
makes; the outbox keeps it with each event a worker writes and publishes it with the event, so
the event's handlers serve the same request. `RequestTracing` puts the id of the request a worker
serves where log lines find it (`logs.current_request`), and writes one line per RPC call or event
handled, so that a `grep` on one id shows a request's whole path.

With an OTLP endpoint configured (`OTLP_ENDPOINT`), each RPC and event handler is also a span of
an OpenTelemetry trace whose context (`traceparent`) rides the same way, so one HTTP request is
one trace across services. Without one no span is made and nothing is exported.
"""

import logging
import time
from weakref import WeakKeyDictionary

from nameko.events import EventHandler
from nameko.extensions import DependencyProvider
from nameko.rpc import Rpc
from opentelemetry import trace
from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor
from opentelemetry.sdk.trace.sampling import ParentBased, TraceIdRatioBased
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

from services.infra.logs import REQUEST_LABELS, serve_request

log = logging.getLogger(__name__)

REQUEST_ID = "request_id"
TRACEPARENT = "traceparent"
CARRIED_KEYS = (REQUEST_ID, TRACEPARENT)
HEADER_PREFIX = "nameko."
PROPAGATOR = TraceContextTextMapPropagator()


def carried_headers(context_data: dict) -> dict:
    """The AMQP headers that carry a worker's request on with an event it writes."""
    return {HEADER_PREFIX + key: context_data[key] for key in CARRIED_KEYS if context_data.get(key)}


def traceparent_of(span: trace.Span) -> str | None:
    carrier: dict[str, str] = {}
    PROPAGATOR.inject(carrier, context=trace.set_span_in_context(span))
    return carrier.get(TRACEPARENT)


def span_parent(traceparent: str | None):
    """The OpenTelemetry context a span continues; None starts a new trace."""
    return PROPAGATOR.extract({TRACEPARENT: traceparent}) if traceparent else None


def tracer_provider(service_name: str, config: dict) -> TracerProvider | None:
    """A provider exporting by OTLP over HTTP in batches, or None when no endpoint is set.

    OTLP over HTTP rather than gRPC: its `requests` client cooperates with eventlet.
    """
    endpoint = str(config.get("OTLP_ENDPOINT") or "").rstrip("/")
    if not endpoint:
        return None
    ratio = float(config.get("TRACES_SAMPLE_RATIO", 1.0))
    provider = TracerProvider(
        resource=Resource.create({"service.name": service_name}),
        sampler=ParentBased(TraceIdRatioBased(ratio)),
    )
    provider.add_span_processor(
        BatchSpanProcessor(OTLPSpanExporter(endpoint=f"{endpoint}/v1/traces"))
    )
    return provider


def entrypoint_kind(entrypoint) -> str | None:
    """ "rpc" or "event" for the entrypoints a request reaches; None for timers and others."""
    if isinstance(entrypoint, Rpc):
        return "rpc"
    if isinstance(entrypoint, EventHandler):
        return "event"
    return None


def outcome_of(entrypoint, exc_info) -> str:
    """ "ok", "refused" (an expected error: the caller's mistake) or "error"."""
    if exc_info is None:
        return "ok"
    if isinstance(exc_info[1], entrypoint.expected_exceptions):
        return "refused"
    return "error"


class RequestTracing(DependencyProvider):
    """Names the request each worker serves for its log lines, logs one line per RPC call or
    event handled, and makes each a span when tracing is configured."""

    def setup(self):
        self.provider = tracer_provider(self.container.service_name, self.container.config)
        self.tracer = self.provider.get_tracer(__name__) if self.provider else None
        self.started = WeakKeyDictionary()

    def stop(self):
        if self.provider is not None:
            self.provider.shutdown()

    def kill(self):
        self.stop()

    def worker_setup(self, worker_ctx):
        data = worker_ctx.data
        kind = entrypoint_kind(worker_ctx.entrypoint)
        if kind is not None:
            span = self._start_span(worker_ctx, kind)
            self.started[worker_ctx] = (time.perf_counter(), span)
            if span is not None:
                data[TRACEPARENT] = traceparent_of(span)
        serve_request(data.get(REQUEST_ID), data.get(TRACEPARENT))

    def worker_result(self, worker_ctx, result=None, exc_info=None):
        started = self.started.pop(worker_ctx, None)
        if started is None:
            return
        began, span = started
        entrypoint = worker_ctx.entrypoint
        outcome = outcome_of(entrypoint, exc_info)
        milliseconds = (time.perf_counter() - began) * 1000
        log.info(
            "%s %s.%s %s in %.1f ms",
            entrypoint_kind(entrypoint),
            worker_ctx.service_name,
            entrypoint.method_name,
            outcome,
            milliseconds,
            extra={"outcome": outcome, "duration_ms": round(milliseconds, 1)},
        )
        if span is not None:
            if outcome == "error":
                span.record_exception(exc_info[1])
                span.set_status(trace.Status(trace.StatusCode.ERROR, type(exc_info[1]).__name__))
            span.end()

    def worker_teardown(self, worker_ctx):
        REQUEST_LABELS.set(None)

    def _start_span(self, worker_ctx, kind: str):
        if self.tracer is None:
            return None
        entrypoint = worker_ctx.entrypoint
        attributes = {"rpc.system": "nameko", "rpc.method": entrypoint.method_name}
        if kind == "event":
            attributes["messaging.source"] = entrypoint.source_service
            attributes["messaging.event_type"] = entrypoint.event_type
        return self.tracer.start_span(
            f"{worker_ctx.service_name}.{entrypoint.method_name}",
            context=span_parent(worker_ctx.data.get(TRACEPARENT)),
            kind=trace.SpanKind.SERVER if kind == "rpc" else trace.SpanKind.CONSUMER,
            attributes=attributes,
        )
