"""The booking flow through the gateway's HTTP API, with every service a real process."""

import uuid
from datetime import date, timedelta

import eventlet
import pytest
from nameko.standalone.rpc import ClusterRpcProxy

from tests.conftest import wait_for
from tests.gateway.api_client import ApiClient, unique

PASSWORD = "kesäinen-aamu-2027"


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
    """A service, a coach working weekdays 8–16 and a roster subscriber, made through the API."""
    _, url = running_system
    admin = admin_login.with_bearer()
    with ApiClient(url) as client:
        service = client.request(
            "POST",
            "/api/services",
            headers=admin,
            json={
                "name": unique("Uraohjaus "),
                "duration_minutes": 60,
                "specifications": ["Työnhaku", "Urasuunnittelu"],
                "delivery_methods": ["video", "phone", "on_site"],
            },
        ).json()
        staff = client.request(
            "POST",
            "/api/staff",
            headers=admin,
            json={
                "username": unique("coach"),
                "role": "coach",
                "name": "Kaisa Valmentaja",
                "email": f"{unique('k')}@example.fi",
            },
        ).json()
        coach = client.request(
            "POST",
            "/api/coaches",
            headers=admin,
            json={
                "account_id": staff["account"]["id"],
                "name": "Kaisa Valmentaja",
                "service_ids": [service["id"]],
            },
        ).json()
        hours = [{"weekday": d, "starts": "08:00", "ends": "16:00"} for d in range(5)]
        assert (
            client.request(
                "PUT", f"/api/coaches/{coach['id']}/hours", headers=admin, json={"hours": hours}
            ).status_code
            == 200
        )
        subscriber = client.request(
            "POST",
            "/api/subscribers",
            headers=admin,
            json={
                "name": unique("Liitto "),
                "business_id": "0112038-9",
                "billing_contact_emails": ["laskutus@example.fi"],
                "member_number_in_report": True,
                "eligibility_method": "roster",
            },
        ).json()
        roster = client.request(
            "PUT",
            f"/api/subscribers/{subscriber['id']}/roster",
            headers={**admin, "Content-Type": "text/csv"},
            data="jäsennumero\nM-100\nM-200\n".encode(),
        )
        assert roster.status_code == 200, roster.text
    return {"service": service, "coach": coach, "subscriber": subscriber}


def next_week_day(weekday: int) -> date:
    today = date.today()
    return today + timedelta(days=7 - today.weekday() + weekday)


def free_slots(client, setup, day: date) -> list[dict]:
    response = client.request(
        "GET",
        "/api/slots",
        params={
            "service_id": setup["service"]["id"],
            "from": day.isoformat(),
            "to": day.isoformat(),
            "coach_id": setup["coach"]["id"],
        },
    )
    assert response.status_code == 200, response.text
    return response.json()["items"]


def booking_form(setup, starts_at: str, email: str | None = None) -> dict:
    return {
        "service_id": setup["service"]["id"],
        "specification_id": setup["service"]["specifications"][0]["id"],
        "delivery_method": "video",
        "starts_at": starts_at,
        "coach_id": setup["coach"]["id"],
        "message": "Haluan päivittää CV:ni.",
        "coachee": {
            "name": "Maija Meikäläinen",
            "email": email or f"{unique('maija')}@example.fi",
            "phone": "040 123 4567",
            "subscriber_id": setup["subscriber"]["id"],
            "member_number": "M-100",
            "password": PASSWORD,
        },
    }


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
