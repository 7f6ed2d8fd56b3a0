"""No personal data or secret reaches any process's log: a booking flow with planted markers
(a name, an email address, a phone number, a member number, a password) runs through every
process, also down paths that fail (invalid input, a wrong password, the database away in the
middle of a registration), and a forgotten password is replaced by the mailed link (asked for
by the email address: the link's token and the new password are markers too); no log line of
any process holds any marker."""

import re
import secrets
import uuid

import pytest
from nameko.standalone.rpc import ClusterRpcProxy

from tests.conftest import wait_for
from tests.gateway.api_client import ApiClient
from tests.gateway.booking_api import free_slots, next_week_day, set_up_catalogue

RESET_TOKEN = re.compile(r"/unohtunut-salasana/uusi\?token=([A-Za-z0-9_-]+)")


def letters(count: int) -> str:
    """Random lowercase letters: a marker that fits a name and appears nowhere by chance."""
    return "".join(chr(ord("a") + secrets.randbelow(26)) for _ in range(count))


def digits(count: int) -> str:
    return "".join(str(secrets.randbelow(10)) for _ in range(count))


def markers() -> dict[str, str]:
    return {
        "name": letters(12),
        "email": letters(12),
        "phone": digits(7),
        "member_number": digits(9),
        "password": f"Salasana-{letters(12)}",
    }


def coachee_of(planted: dict[str, str], subscriber_id: str) -> dict:
    return {
        "name": f"Maija {planted['name'].capitalize()}",
        "email": f"{planted['email']}@example.fi",
        "phone": f"040 {planted['phone']}",
        "subscriber_id": subscriber_id,
        "member_number": f"M-{planted['member_number']}",
        "password": planted["password"],
    }


@pytest.fixture(scope="module")
def catalogue(hardening_system):
    username, password = f"admin{letters(8)}", secrets.token_urlsafe(16)
    with ClusterRpcProxy({"AMQP_URI": hardening_system.amqp_uri}, timeout=30) as rpc:
        rpc.accounts.create_admin(username, password)
    with ApiClient(hardening_system.url) as client:
        admin = client.log_in(username, password).with_bearer()
        return {**set_up_catalogue(client, admin), "admin": admin}


def booking_form(catalogue: dict, slot: dict, coachee: dict) -> dict:
    return {
        "service_id": catalogue["service"]["id"],
        "specification_id": catalogue["service"]["specifications"][0]["id"],
        "delivery_method": "video",
        "starts_at": slot["starts_at"],
        "coach_id": catalogue["coach"]["id"],
        "coachee": coachee,
    }


def replace_forgotten_password(client, smtp_sink, email: str) -> tuple[str, str]:
    """Asks for a link by the email address and sets a new password with it; returns the
    link's token and the new password."""
    asked = client.request("POST", "/api/password-reset", json={"login": email})
    assert asked.status_code == 202, asked.text
    mailed = wait_for(
        lambda: [
            found
            for message in smtp_sink.received(to=email)
            if (found := RESET_TOKEN.search(message.get_body(("plain",)).get_content()))
        ],
        seconds=60,
        interval=0.5,
    )
    token, new_password = mailed[0][1], f"Uusi-{letters(12)}"
    body = {"token": token, "password": new_password}
    confirmed = client.request("POST", "/api/password-reset/confirm", json=body)
    assert confirmed.status_code == 204, confirmed.text
    return token, new_password


def test_no_log_line_of_any_process_holds_personal_data(hardening_system, catalogue, smtp_sink):
    planted, failed_registration = markers(), markers()
    subscriber = catalogue["subscriber"]["id"]
    admin = catalogue["admin"]
    coachee = coachee_of(planted, subscriber)
    with ApiClient(hardening_system.url) as client:
        roster = f"jäsennumero\n{coachee['member_number']}\n".encode()
        client.request(
            "PUT",
            f"/api/subscribers/{subscriber}/roster",
            headers={**admin, "Content-Type": "text/csv"},
            data=roster,
        ).raise_for_status()
        slots = free_slots(client, catalogue, next_week_day(1))

        created = client.request(
            "POST", "/api/bookings", json=booking_form(catalogue, slots[0], coachee)
        )
        assert created.status_code == 201, created.text
        username = created.json()["username"]
        assert client.try_log_in(username, planted["password"] + "x").status_code == 401
        login = client.log_in(username, planted["password"]).with_bearer()
        assert client.request("GET", "/api/me", headers=login).status_code == 200
        reset = replace_forgotten_password(client, smtp_sink, coachee["email"])
        found = client.request("GET", "/api/coachees", headers=admin, params={"q": coachee["name"]})
        assert found.status_code == 200, found.text

        invalid = dict(
            coachee, email=f"{planted['email']}-not-an-address", name=f"{coachee['name']}\x00"
        )
        refused = client.request(
            "POST", "/api/bookings", json=booking_form(catalogue, slots[1], invalid)
        )
        assert refused.status_code == 422

        hardening_system.database.cut()
        try:
            cut_off = client.request(
                "POST",
                "/api/bookings",
                json=booking_form(catalogue, slots[1], coachee_of(failed_registration, subscriber)),
                headers={"Idempotency-Key": str(uuid.uuid4())},
            )
        finally:
            hardening_system.database.restore()
        assert cut_off.status_code == 503

    wait_for(lambda: smtp_sink.received(to=coachee["email"]), seconds=60, interval=0.5)
    log = hardening_system.log_text()
    for marker in (*planted.values(), *failed_registration.values(), *reset):
        leaks = [line for line in log.splitlines() if marker.lower() in line.lower()]
        assert not leaks, leaks[:3]
