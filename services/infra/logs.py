"""Log lines as JSON objects, one a line, each naming the request it was written for.

Every component's `config.yaml` sends its logging through `json_handler`, so the format is
written here once:

    {"time": "2026-05-04T09:12:44.170Z", "level": "INFO", "service": "bookings",
     "logger": "services.infra.tracing", "message": "rpc bookings.create_booking ok in 41.2 ms",
     "request_id": "0f8e…", "trace_id": "4bf9…", "outcome": "ok", "duration_ms": 41.2}

`request_id` and `trace_id` appear on lines written while a request is served: whoever starts
serving one in a green thread names it with `serve_request` (see `services.infra.tracing`).
Log messages name ids and outcomes, never a person's data.

This module makes no logger of its own. Every config.yaml keeps `disable_existing_loggers: false`:
`dictConfig` otherwise silences every logger made before it runs, nameko's own among them, and a
worker's unexpected error would go unlogged.
"""

import logging
from contextvars import ContextVar
from dataclasses import dataclass

from pythonjsonlogger.json import JsonFormatter

FIELDS = ["levelname", "name", "message"]
RENAMED = {"levelname": "level", "name": "logger"}


@dataclass(frozen=True)
class RequestLabels:
    """What a log line says about the request being served."""

    request_id: str | None
    trace_id: str | None


REQUEST_LABELS: ContextVar[RequestLabels | None] = ContextVar("request_labels", default=None)


def current_request() -> RequestLabels | None:
    """The request the running green thread serves (each green thread has its own)."""
    return REQUEST_LABELS.get()


def serve_request(request_id: str | None, traceparent: str | None) -> None:
    """Name the request the running green thread serves from now on."""
    REQUEST_LABELS.set(RequestLabels(request_id, trace_id_of(traceparent)))


def trace_id_of(traceparent: str | None) -> str | None:
    """The trace id in a W3C `traceparent` (`00-<trace id>-<span id>-<flags>`)."""
    if not traceparent:
        return None
    parts = traceparent.split("-")
    return parts[1] if len(parts) == 4 else None


class RequestFields(logging.Filter):
    """Adds the id of the request being served, and its trace's, to each record."""

    def filter(self, record: logging.LogRecord) -> bool:
        request = current_request()
        if request is not None:
            if request.request_id:
                record.request_id = request.request_id
            if request.trace_id:
                record.trace_id = request.trace_id
        return True


def json_formatter(service: str) -> JsonFormatter:
    return JsonFormatter(
        FIELDS,
        rename_fields=RENAMED,
        static_fields={"service": service},
        timestamp="time",
        json_ensure_ascii=False,
    )


def json_handler(service: str) -> logging.Handler:
    """A handler writing JSON lines to standard error; named in each config.yaml's LOGGING."""
    handler = logging.StreamHandler()
    handler.setFormatter(json_formatter(service))
    handler.addFilter(RequestFields())
    return handler
