"""One request's path across processes: its id in every log line written for it, one trace."""

import json
import uuid
from functools import partial

from tests.conftest import wait_for
from tests.gateway.api_client import ApiClient
from tests.gateway.booking_api import booking_form, free_slots, next_week_day

BOOKING_SERVICES = ("gateway", "accounts", "bookings", "billing")


def lines_of(observed_system, component: str, request_id: str) -> list[dict]:
    return [
        line
        for line in observed_system.log_lines(component)
        if line.get("request_id") == request_id
    ]


def handled_confirmation(observed_system, request_id: str) -> list[dict]:
    return [
        line
        for line in lines_of(observed_system, "billing", request_id)
        if line["message"].startswith("event billing.") and "confirmed" in line["message"]
    ]


def whole_trace(observed_system, trace_id: str) -> list | None:
    """The trace's spans once every booking service's have arrived, billing's handler among
    them, and each span's parent too; None before.

    Each process exports its spans in batches on a timer of its own, so billing's handler span
    may well arrive before the gateway's, bookings' or accounts' spans of the same trace.
    """
    spans = [span for span in observed_system.traces.spans if span.trace_id == trace_id]
    ids = {span.span_id for span in spans}
    handled = any(span.service == "billing" and "confirmed" in span.name for span in spans)
    services = {span.service for span in spans}
    parents_there = all(span.parent_span_id in ids for span in spans if span.parent_span_id)
    whole = handled and services >= set(BOOKING_SERVICES) and parents_there
    return spans if whole else None


def book(observed_system, catalogue, request_id: str, weekday: int, slot_index: int, email=None):
    """The answer to a booking made from a client address of its own (`answer.client_address`)."""
    with ApiClient(observed_system.url) as client:
        slot = free_slots(client, catalogue, next_week_day(weekday))[slot_index]
        answer = client.request(
            "POST",
            "/api/bookings",
            json=booking_form(catalogue, slot["starts_at"], email),
            headers={"X-Request-ID": request_id},
        )
        answer.client_address = client.address
        return answer


def test_one_request_id_names_a_bookings_lines_in_every_service_and_no_other_requests(
    observed_system, observed_catalogue
):
    first, second = f"booking-{uuid.uuid4().hex}", f"booking-{uuid.uuid4().hex}"
    emails = {first: f"first.{uuid.uuid4().hex[:8]}@example.fi"}
    emails[second] = f"second.{uuid.uuid4().hex[:8]}@example.fi"
    answers = [
        book(observed_system, observed_catalogue, first, 4, 0, emails[first]),
        book(observed_system, observed_catalogue, second, 4, -1, emails[second]),
    ]

    assert [answer.status_code for answer in answers] == [201, 201]
    assert [answer.headers["X-Request-ID"] for answer in answers] == [first, second]
    for request_id in (first, second):
        wait_for(partial(handled_confirmation, observed_system, request_id), seconds=20)
        for component in BOOKING_SERVICES:
            assert lines_of(observed_system, component, request_id), component
    for component, log_file in observed_system.log_files.items():
        text = log_file.read_text()
        for request_id in (first, second):
            for raw in text.splitlines():
                if request_id in raw:
                    assert json.loads(raw)["request_id"] == request_id, (component, raw)
        for email in emails.values():
            assert email not in text, component
        for answer in answers:
            assert answer.client_address not in text, component
        assert "Meikäläinen" not in text, component


def test_a_request_id_that_is_not_a_plain_short_token_is_replaced(observed_system):
    with ApiClient(observed_system.url) as client:
        kept = client.request("GET", "/api/services", headers={"X-Request-ID": "abc-123.x_y:z"})
        too_long = client.request("GET", "/api/services", headers={"X-Request-ID": "a" * 65})
        spaced = client.request("GET", "/api/services", headers={"X-Request-ID": "a b"})
        missing = client.request("GET", "/api/services")

    assert kept.headers["X-Request-ID"] == "abc-123.x_y:z"
    for answer in (too_long, spaced, missing):
        made = answer.headers["X-Request-ID"]
        assert len(made) == 32 and int(made, 16) >= 0
    assert too_long.headers["X-Request-ID"] != spaced.headers["X-Request-ID"]


def test_a_booking_is_one_trace_across_services_and_the_event_it_causes(
    observed_system, observed_catalogue
):
    request_id = f"traced-{uuid.uuid4().hex}"
    answer = book(observed_system, observed_catalogue, request_id, 2, 0)
    assert answer.status_code == 201
    wait_for(lambda: handled_confirmation(observed_system, request_id), seconds=20)
    (gateway_line,) = [
        line
        for line in lines_of(observed_system, "gateway", request_id)
        if line["message"].startswith("POST /api/bookings ")
    ]
    trace_id = gateway_line["trace_id"]

    spans = wait_for(partial(whole_trace, observed_system, trace_id), seconds=20, interval=0.2)
    assert {span.service for span in spans} >= set(BOOKING_SERVICES)
    (root,) = [span for span in spans if not span.parent_span_id]
    assert (root.service, root.name) == ("gateway", "POST /api/bookings")
    by_id = {span.span_id: span for span in spans}
    assert all(span.parent_span_id in by_id for span in spans if span is not root)
    (handler,) = [span for span in spans if span.name == "billing.record_confirmed_booking"]
    assert by_id[handler.parent_span_id].name == "bookings.create_booking"
