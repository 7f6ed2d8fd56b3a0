"""The booking flow through the gateway's HTTP API, with every service a real process."""

import uuid

import eventlet
import pytest
from nameko.standalone.rpc import ClusterRpcProxy

from tests.conftest import wait_for
from tests.gateway.api_client import ApiClient, unique
from tests.gateway.booking_api import (
    PASSWORD,
    booking_form,
    free_slots,
    next_week_day,
    set_up_catalogue,
)


@pytest.fixture(scope="module")
def admin_login(running_system, system_amqp_uri):
    _, url = running_system
    username = unique("admin")
    with ClusterRpcProxy({"AMQP_URI": system_amqp_uri}, timeout=30) as rpc:
        rpc.accounts.create_admin(username, "ylläpitäjän-salasana-1")
    with ApiClient(url) as client:
        yield client.log_in(username, "ylläpitäjän-salasana-1")


@pytest.fixture(scope="module")
def setup(running_system, admin_login):
    _, url = running_system
    with ApiClient(url) as client:
        return set_up_catalogue(client, admin_login.with_bearer())


def test_first_booking_creates_a_username_the_coachee_logs_in_with(
    running_system, setup, smtp_sink
):
    _, url = running_system
    email = f"{unique('maija')}@example.fi"
    with ApiClient(url) as client:
        slot = free_slots(client, setup, next_week_day(1))[0]
        created = client.request(
            "POST", "/api/bookings", json=booking_form(setup, slot["starts_at"], email)
        )

        assert created.status_code == 201, created.text
        body = created.json()
        assert body["booking"]["status"] == "confirmed"
        login = client.log_in(body["username"], PASSWORD)
        own = client.request("GET", "/api/bookings", headers=login.with_bearer()).json()
        assert [b["id"] for b in own["items"]] == [body["booking"]["id"]]
        assert slot["starts_at"] not in [
            s["starts_at"] for s in free_slots(client, setup, next_week_day(1))
        ]

    confirmation = wait_for(lambda: smtp_sink.received(to=email), seconds=30, interval=0.5)[0]
    invite = next(
        part for part in confirmation.iter_attachments() if part.get_filename() == "invite.ics"
    )
    assert "BEGIN:VCALENDAR" in invite.get_content()


def test_a_retried_request_with_the_same_key_books_once(running_system, setup):
    _, url = running_system
    with ApiClient(url) as client:
        slot = free_slots(client, setup, next_week_day(2))[0]
        form = booking_form(setup, slot["starts_at"])
        key = {"Idempotency-Key": str(uuid.uuid4())}

        first = client.request("POST", "/api/bookings", json=form, headers=key)
        again = client.request("POST", "/api/bookings", json=form, headers=key)

    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()


def test_fifty_concurrent_requests_for_one_slot_give_one_201_and_49_409(running_system, setup):
    _, url = running_system
    with ApiClient(url) as client:
        slot = free_slots(client, setup, next_week_day(3))[0]

    def attempt(_):
        with ApiClient(url) as own:
            return own.request("POST", "/api/bookings", json=booking_form(setup, slot["starts_at"]))

    responses = list(eventlet.GreenPool(50).imap(attempt, range(50)))

    statuses = sorted(response.status_code for response in responses)
    assert statuses == [201] + [409] * 49
    assert {r.json()["error"]["code"] for r in responses if r.status_code == 409} == {"slot_taken"}


def test_a_member_not_on_the_roster_gets_403_not_eligible(running_system, setup):
    _, url = running_system
    with ApiClient(url) as client:
        slot = free_slots(client, setup, next_week_day(4))[0]
        form = booking_form(setup, slot["starts_at"])
        form["coachee"]["member_number"] = "M-999"

        refused = client.request("POST", "/api/bookings", json=form)

    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "not_eligible"


def test_an_identity_code_in_the_form_gets_422_naming_the_field(running_system, setup):
    _, url = running_system
    with ApiClient(url) as client:
        slot = free_slots(client, setup, next_week_day(4))[0]
        form = booking_form(setup, slot["starts_at"])
        form["coachee"]["name"] = "Maija 131052-308T"

        refused = client.request("POST", "/api/bookings", json=form)

    assert refused.status_code == 422
    assert "name" in refused.json()["error"]["fields"]["coachee"]
