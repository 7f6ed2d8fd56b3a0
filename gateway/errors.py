"""One table from error types to HTTP answers; nothing else in the gateway picks a status.

Every error body is `{"error": {"code", "message", "fields"}}`. Unknown errors become a generic
500 and are logged here: no exception text or stack ever reaches the client. Faults (a service
that does not answer, the broker, the database or the object store out of reach) are a 503
with `Retry-After`.
"""

import logging

import eventlet
from amqp.exceptions import ConnectionError as AmqpConnectionError
from botocore.exceptions import ConnectionError as S3ConnectionError
from kombu.exceptions import OperationalError as BrokerUnreachable
from marshmallow import ValidationError
from nameko.exceptions import UnknownService
from werkzeug.exceptions import HTTPException

from services.contracts.accounts import InvalidResetToken
from services.contracts.errors import (
    Conflict,
    DomainError,
    Forbidden,
    InvalidInput,
    NotFound,
    Throttled,
    Unauthenticated,
    Unavailable,
)
from services.contracts.media import FileTooLarge, UnsupportedType

log = logging.getLogger(__name__)


class ApiError(Exception):
    """An HTTP-level refusal raised by the gateway itself (auth, malformed request …)."""

    def __init__(self, status: int, code: str, message: str, fields: dict | None = None):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.fields = fields or {}


class ServiceUnavailable(Exception):
    """A service did not answer in time, or could not be asked."""

    def __init__(self, service: str):
        super().__init__(service)
        self.service = service


RETRY_AFTER_FAULT_SECONDS = 5
FAULTS = (
    ServiceUnavailable,
    UnknownService,
    Unavailable,
    BrokerUnreachable,
    AmqpConnectionError,
    S3ConnectionError,
    eventlet.Timeout,
)
"""Nothing the client did: a service, the broker, a database or the object store is away."""


class RequestTimedOut(Exception):
    """The client did not send its request's body within the deadline (408); its connection is
    closed. Not an `OSError`, which Werkzeug would take for the client going away (400)."""


CLIENT_ERRORS = (ApiError, ValidationError, DomainError, HTTPException, RequestTimedOut)
"""What a caller got wrong: nameko logs these as expected (a warning), not as a failure."""

DOMAIN_STATUS = (
    (FileTooLarge, 413),
    (UnsupportedType, 415),
    (Unauthenticated, 401),
    (Forbidden, 403),
    (InvalidInput, 422),
    (InvalidResetToken, 422),
    (NotFound, 404),
    (Conflict, 409),
    (Throttled, 429),
)

HTTP_CODES = {
    400: "bad_request",
    404: "not_found",
    405: "method_not_allowed",
    408: "request_timeout",
    413: "too_large",
    414: "uri_too_long",
    415: "unsupported_media_type",
    431: "headers_too_large",
    505: "http_version_not_supported",
}


def status_of_domain_error(exc: DomainError) -> int:
    for error_type, status in DOMAIN_STATUS:
        if isinstance(exc, error_type):
            return status
    return 400


def describe(exc: BaseException) -> tuple[int, dict]:
    """The HTTP status and error body for any exception raised while answering a request."""
    if isinstance(exc, ApiError):
        return exc.status, error_body(exc.code, exc.message, exc.fields)
    if isinstance(exc, ValidationError):
        return 422, error_body("invalid_input", "The request has invalid fields.", exc.messages)
    if isinstance(exc, FAULTS):
        log.warning("answering 503: %r", exc)
        return 503, error_body("service_unavailable", "A service did not answer; try again soon.")
    if isinstance(exc, DomainError):
        return status_of_domain_error(exc), error_body(exc.code, exc.message, exc.fields)
    if isinstance(exc, RequestTimedOut):
        return 408, error_body("request_timeout", "The request did not arrive in time.")
    if isinstance(exc, HTTPException):
        status = exc.code or 500
        return status, error_body(HTTP_CODES.get(status, "http_error"), exc.name)
    log.error("unexpected error answering a request", exc_info=exc)
    return 500, error_body("internal_error", "Something went wrong on our side.")


def retry_after_of(exc: BaseException) -> int | None:
    """Seconds a client should wait before trying again, when the answer says so."""
    if isinstance(exc, Throttled):
        return exc.retry_after
    if isinstance(exc, FAULTS):
        return RETRY_AFTER_FAULT_SECONDS
    return None


def error_body(code: str, message: str, fields: dict | None = None) -> dict:
    return {"error": {"code": code, "message": message, "fields": fields or {}}}
