"""The one table from errors to HTTP answers."""

import eventlet
import pytest
from marshmallow import ValidationError
from nameko.exceptions import UnknownService

from gateway.errors import ApiError, describe
from services.contracts.errors import Conflict, InvalidInput, NotFound


@pytest.mark.parametrize(
    ("error", "status", "code"),
    [
        (InvalidInput("Bad email.", {"email": ["Not a valid email."]}), 422, "invalid_input"),
        (NotFound("No such booking."), 404, "not_found"),
        (Conflict("Slot taken."), 409, "conflict"),
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
