"""The one table from errors to HTTP answers."""

import eventlet
import pytest
from marshmallow import ValidationError
from nameko.exceptions import UnknownService

from gateway.errors import ApiError, describe
from gateway.http import error_response
from services.contracts.errors import (
    Conflict,
    Forbidden,
    InvalidInput,
    NotFound,
    Throttled,
    Unauthenticated,
)


@pytest.mark.parametrize(
    ("error", "status", "code"),
    [
        (InvalidInput("Bad email.", {"email": ["Not a valid email."]}), 422, "invalid_input"),
        (NotFound("No such booking."), 404, "not_found"),
        (Conflict("Slot taken."), 409, "conflict"),
        (Unauthenticated("Session expired."), 401, "not_logged_in"),
        (Forbidden("Admins only."), 403, "forbidden"),
        (Throttled("Too many attempts.", retry_after=30), 429, "throttled"),
        (ValidationError({"name": ["Missing data."]}), 422, "invalid_input"),
        (ApiError(401, "not_logged_in", "Log in first."), 401, "not_logged_in"),
        (UnknownService("bookings"), 503, "service_unavailable"),
        (eventlet.Timeout(None, False), 503, "service_unavailable"),
    ],
)
def test_each_error_type_has_its_status_and_code(error, status, code):
    got_status, body = describe(error)
    assert got_status == status
    assert body["error"]["code"] == code


def test_field_problems_are_named_in_the_body():
    _, body = describe(ValidationError({"email": ["Not a valid email."]}))
    assert body["error"]["fields"] == {"email": ["Not a valid email."]}


def test_unexpected_errors_reveal_nothing():
    status, body = describe(KeyError("password_hash of user 42"))
    assert status == 500
    assert body == {
        "error": {
            "code": "internal_error",
            "message": "Something went wrong on our side.",
            "fields": {},
        }
    }


def test_throttled_answer_says_when_to_retry():
    response = error_response(Throttled("Too many failed logins.", retry_after=840))

    assert response.status_code == 429
    assert response.headers["Retry-After"] == "840"


def test_other_errors_carry_no_retry_after():
    assert "Retry-After" not in error_response(Unauthenticated("Log in first.")).headers
