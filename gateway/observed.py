"""What the gateway adds to every HTTP request for operators: a request id, a trace, metrics and
one log line.

`ObservedApp` wraps the gateway's WSGI application. It takes the client's `X-Request-ID` when it
is a plain token of at most 64 characters (letters, digits, `.`, `_`, `:`, `-`) and otherwise makes
one; the answer carries it back in `X-Request-ID`. The id, and the trace context when tracing is
configured, enter the worker's context data (`request_context`), which carries them through every
RPC and event the request causes (see `services.infra.tracing`). Each request is one trace: a
`traceparent` sent by a client is not continued. Per request it observes
`valmennus_http_request_seconds` by method, URL rule (never the raw path, which holds ids) and
status, and logs one line naming the same.
"""

import logging
import re
import time
import uuid

from opentelemetry import trace

from services.infra.logs import serve_request
from services.infra.metrics import HTTP_SECONDS
from services.infra.tracing import REQUEST_ID, TRACEPARENT, RequestTracing, traceparent_of

log = logging.getLogger(__name__)

REQUEST_ID_HEADER = "X-Request-ID"
ACCEPTED_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")
CONTEXT_KEY = "valmennus.context"
ROUTE_KEY = "valmennus.route"
UNMATCHED_ROUTE = "(unmatched)"
KNOWN_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


def request_id_for(sent: str | None) -> str:
    """The client's request id when it is an acceptable token; a new one otherwise."""
    if sent and ACCEPTED_REQUEST_ID.fullmatch(sent):
        return sent
    return uuid.uuid4().hex


def method_label(method: str) -> str:
    """The request's method, or "other": a client's made-up methods must not become labels."""
    return method if method in KNOWN_METHODS else "other"


def request_context(environ: dict) -> dict:
    """The context data a request's worker starts with (`WebServer.context_data_from_headers`)."""
    return dict(environ.get(CONTEXT_KEY, {}))


class ObservedApp:
    """WSGI middleware around the gateway's application; see the module's docstring."""

    def __init__(self, app, tracer: trace.Tracer | None, metrics_on: bool):
        self.app = app
        self.tracer = tracer
        self.metrics_on = metrics_on

    def __call__(self, environ, start_response):
        request_id = request_id_for(environ.get("HTTP_X_REQUEST_ID"))
        method = method_label(environ.get("REQUEST_METHOD", ""))
        span = None
        context = {REQUEST_ID: request_id}
        if self.tracer is not None:
            span = self.tracer.start_span(f"HTTP {method}", kind=trace.SpanKind.SERVER)
            context[TRACEPARENT] = traceparent_of(span)
        environ[CONTEXT_KEY] = context
        serve_request(request_id, context.get(TRACEPARENT))
        began = time.perf_counter()
        answered = []

        def start_with_request_id(status, headers, exc_info=None):
            answered.append(status.split(" ", 1)[0])
            headers.append((REQUEST_ID_HEADER, request_id))
            return start_response(status, headers, exc_info)

        try:
            return self.app(environ, start_with_request_id)
        finally:
            status = answered[-1] if answered else "500"
            self._observe(environ, method, status, time.perf_counter() - began, span)

    def _observe(self, environ, method: str, status: str, seconds: float, span) -> None:
        route = environ.get(ROUTE_KEY, UNMATCHED_ROUTE)
        if self.metrics_on:
            HTTP_SECONDS.labels(method, route, status).observe(seconds)
        log.info(
            "%s %s %s in %.1f ms",
            method,
            route,
            status,
            seconds * 1000,
            extra={"status": int(status), "duration_ms": round(seconds * 1000, 1)},
        )
        if span is not None:
            span.update_name(f"{method} {route}")
            span.set_attributes(
                {
                    "http.request.method": method,
                    "http.route": route,
                    "http.response.status_code": int(status),
                }
            )
            if status.startswith("5"):
                span.set_status(trace.Status(trace.StatusCode.ERROR))
            span.end()


def observed_app(server, app) -> ObservedApp:
    """`app` of the web server `server` wrapped: tracing as its container's `RequestTracing`
    configured it, metrics when its container serves them."""
    container = server.container
    tracing = next((dep for dep in container.dependencies if isinstance(dep, RequestTracing)), None)
    metrics_on = bool(int(container.config.get("METRICS_PORT", 0)))
    return ObservedApp(app, tracing.tracer if tracing else None, metrics_on)
