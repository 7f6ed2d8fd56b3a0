"""The OpenAPI document states the rules the contract schemas enforce."""

import pytest

from gateway.openapi import openapi_document
from gateway.service import GatewayService


@pytest.fixture(scope="module")
def document() -> dict:
    return openapi_document(GatewayService)


def request_schemas(document: dict) -> dict[str, dict]:
    named = {}
    for operations in document["paths"].values():
        for operation in operations.values():
            body = operation.get("requestBody", {}).get("content", {}).get("application/json")
            if body:
                name = body["schema"]["$ref"].rsplit("/", 1)[-1]
                named[name] = document["components"]["schemas"][name]
    return named


def test_every_object_refuses_unknown_properties(document):
    for name, schema in document["components"]["schemas"].items():
        assert schema.get("additionalProperties") is False, name


def test_every_request_body_is_described(document):
    bodiless = ("GET", "DELETE")
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            takes_json = method.upper() not in bodiless and "requestBody" not in operation
            if takes_json and operation["operationId"] not in WITHOUT_JSON_BODY:
                pytest.fail(f"{method.upper()} {path} documents no request body")


WITHOUT_JSON_BODY = {
    "cancel_booking",  # nothing to say but the path
    "upload_attachment",  # multipart/form-data, described in its summary
    "replace_roster",  # text/csv or multipart, described in its summary
}


def test_the_booking_form_states_required_fields_formats_and_enums(document):
    schemas = document["components"]["schemas"]
    form = schemas["BookingRequest"]
    assert set(form["required"]) == {
        "service_id",
        "specification_id",
        "delivery_method",
        "starts_at",
    }
    properties = form["properties"]
    assert properties["delivery_method"]["enum"] == ["video", "phone", "on_site"]
    assert properties["starts_at"]["format"] == "date-time"
    assert properties["message"]["maxLength"] == 2000
    coachee = schemas["CoacheeRegistration"]
    assert set(coachee["required"]) == {
        "name",
        "email",
        "phone",
        "subscriber_id",
        "member_number",
        "password",
    }
    assert coachee["properties"]["member_number"]["maxLength"] == 64
    assert coachee["properties"]["email"]["format"] == "email"


def test_booleans_are_booleans(document):
    decision = document["components"]["schemas"]["EligibilityDecision"]
    assert decision["properties"]["approved"]["type"] == "boolean"
    assert decision["required"] == ["approved"]


def test_the_idempotency_key_header_is_documented_with_its_length(document):
    parameters = document["paths"]["/api/bookings"]["post"]["parameters"]
    (header,) = [p for p in parameters if p["in"] == "header"]
    assert header["name"] == "Idempotency-Key"
    assert (header["schema"]["minLength"], header["schema"]["maxLength"]) == (1, 200)
