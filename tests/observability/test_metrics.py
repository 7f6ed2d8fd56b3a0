"""Each process's metrics, read from its own port as Prometheus reads them."""

import uuid

from nameko.standalone.events import event_dispatcher

from deploy.status import total
from services.contracts.bookings import BOOKING_CONFIRMED
from services.contracts.names import BOOKINGS
from tests.conftest import wait_for
from tests.gateway.api_client import ApiClient
from tests.gateway.booking_api import booking_form, free_slots, next_week_day

BOOKING_SERVICES = ("gateway", "accounts", "bookings", "billing")


def grew(before: dict, after: dict, name: str, **labels: str) -> bool:
    return total(after, name, **labels) > total(before, name, **labels)


def test_every_process_serves_its_own_metrics_with_cpu_and_workers(observed_system):
    for component in observed_system.metrics_ports:
        samples = observed_system.metrics(component)

        assert total(samples, "process_cpu_seconds_total") > 0, component
        assert total(samples, "valmennus_workers_max") == 10, component


def test_a_booking_moves_the_metrics_of_every_service_it_passes(
    observed_system, observed_catalogue
):
    before = {name: observed_system.metrics(name) for name in BOOKING_SERVICES}
    with ApiClient(observed_system.url) as client:
        slot = free_slots(client, observed_catalogue, next_week_day(3))[0]
        form = booking_form(observed_catalogue, slot["starts_at"])
        assert client.request("POST", "/api/bookings", json=form).status_code == 201

    def billing_handled_the_confirmation():
        after = observed_system.metrics("billing")
        confirmed = {"event": BOOKING_CONFIRMED, "outcome": "ok"}
        return grew(before["billing"], after, "valmennus_event_handler_seconds_count", **confirmed)

    wait_for(billing_handled_the_confirmation, seconds=20, interval=0.2)
    after = {name: observed_system.metrics(name) for name in BOOKING_SERVICES}
    http = {"method": "POST", "route": "/api/bookings", "status": "201"}
    assert grew(before["gateway"], after["gateway"], "valmennus_http_request_seconds_count", **http)
    assert grew(before["gateway"], after["gateway"], "valmennus_http_request_seconds_sum", **http)
    created = {"method": "create_booking", "outcome": "ok"}
    assert grew(before["bookings"], after["bookings"], "valmennus_rpc_seconds_count", **created)
    assert grew(before["bookings"], after["bookings"], "valmennus_rpc_seconds_sum", **created)
    assert grew(before["bookings"], after["bookings"], "valmennus_outbox_published_total")
    for service in ("accounts", "billing"):
        assert grew(before[service], after[service], "valmennus_rpc_seconds_count", outcome="ok")
        assert grew(before[service], after[service], "valmennus_rpc_seconds_sum", outcome="ok")
    assert total(after["bookings"], "valmennus_db_pool_size") > 0


def test_unknown_paths_and_methods_are_counted_under_one_label_each(observed_system):
    made_up = f"X{uuid.uuid4().hex[:8].upper()}"
    with ApiClient(observed_system.url) as client:
        assert client.request("GET", f"/api/no-such-thing/{uuid.uuid4()}").status_code == 404
        assert client.request(made_up, "/api/services").status_code == 405

    samples = observed_system.metrics("gateway")
    labels = [dict(labels) for (name, labels) in samples if "http_request" in name]
    routes = {label.get("route") for label in labels}
    methods = {label.get("method") for label in labels}
    assert "(unmatched)" in routes
    assert not any(route and "no-such-thing" in route for route in routes)
    assert "other" in methods and made_up not in methods


def test_an_event_that_keeps_failing_shows_in_the_parked_gauge(observed_system):
    parked_before = total(observed_system.metrics("billing"), "valmennus_parked_events")
    unusable = {"event_id": str(uuid.uuid4()), "booking_id": str(uuid.uuid4())}
    dispatch = event_dispatcher({"AMQP_URI": observed_system.amqp_uri})
    dispatch(BOOKINGS, BOOKING_CONFIRMED, unusable)

    def parked_now():
        """The gauge counts the parked rows at each scrape, and the counter moves just after
        the row is committed: a scrape in between sees only the gauge."""
        samples = observed_system.metrics("billing")
        gauge_moved = total(samples, "valmennus_parked_events") > parked_before
        return gauge_moved and total(samples, "valmennus_events_parked_total") >= 1 and samples

    samples = wait_for(parked_now, seconds=20, interval=0.2)
    assert total(samples, "valmennus_event_retries_total") >= 2
