"""A forgotten password through the gateway's HTTP API, with every service in this process on
the test's clock and the SMTP sink: the link arrives by mail, works once, ends every session,
expires, and an unknown login gets the very same answer and no mail."""

import re
import time
from datetime import UTC, datetime, timedelta

import pytest

from gateway.cookies import PREFERENCES_COOKIE
from services.contracts.names import ACCOUNTS
from services.infra.clock import SettableClock
from tests.conftest import run_now, wait_for
from tests.gateway.api_client import unique
from tests.gateway.conftest import start_every_service

NEW_PASSWORD = "Talven-Ensilumi-Sataa-5"
LINK = re.compile(r"(\S+/unohtunut-salasana/uusi)\?token=([A-Za-z0-9_-]+)")


@pytest.fixture
def clock():
    return SettableClock(datetime.now(UTC).replace(microsecond=0))


@pytest.fixture
def service_containers(container_factory, service_config, clock, gateway_url):
    """Every service in this process on the test's clock; reset links point at this gateway."""
    return start_every_service(
        container_factory, service_config, clock, {ACCOUNTS: {"ACCOUNT_LINK_BASE_URL": gateway_url}}
    )


def ask(client, login: str, **kwargs):
    return client.request("POST", "/api/password-reset", json={"login": login}, **kwargs)


def send_mails(service_containers) -> None:
    """Sends the due mails now; the service's own timer may have taken some of them first."""
    run_now(service_containers[ACCOUNTS], "send_password_reset_mails")


def mails_to(smtp_sink, email: str, count: int) -> list:
    return wait_for(lambda: (found := smtp_sink.received(to=email))[count - 1 :] and found)


def last_link(smtp_sink, email: str, count: int) -> re.Match:
    return LINK.search(mails_to(smtp_sink, email, count)[-1].get_content())


def token_error(response) -> dict:
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert list(error["fields"]) == ["token"]
    return error


def test_a_forgotten_password_is_replaced_through_a_mailed_link_once(
    client, make_coachee, service_containers, gateway_url, smtp_sink, clock
):
    email = f"{unique('maija')}@example.fi"
    coachee = make_coachee(email=email)
    sessions = [client.log_in(coachee.username, coachee.password) for _ in range(2)]
    mails_before = len(smtp_sink.received())

    asked = ask(client, coachee.username)
    unknown = ask(client, unique("nobody"))

    assert asked.status_code == unknown.status_code == 202
    assert asked.json() == unknown.json()
    assert asked.headers["Content-Type"] == unknown.headers["Content-Type"]
    send_mails(service_containers)
    link = last_link(smtp_sink, email, 1)
    assert len(smtp_sink.received()) == mails_before + 1
    assert smtp_sink.received(to=email)[0]["Subject"] == "Uusi salasana"
    assert link[1] == f"{gateway_url}/unohtunut-salasana/uusi"
    token = link[2]

    checked = client.request("POST", "/api/password-reset/check", json={"token": token})
    assert (checked.status_code, checked.json()) == (200, {"valid": True})
    weak = client.request(
        "POST", "/api/password-reset/confirm", json={"token": token, "password": "password123"}
    )
    assert weak.status_code == 422 and list(weak.json()["error"]["fields"]) == ["password"]
    body = {"token": token, "password": NEW_PASSWORD}
    confirmed = client.request("POST", "/api/password-reset/confirm", json=body)
    assert confirmed.status_code == 204, confirmed.text

    for session in sessions:
        assert (
            client.request("GET", "/api/session", headers=session.with_bearer()).status_code == 401
        )
    assert client.try_log_in(coachee.username, coachee.password).status_code == 401
    assert client.log_in(coachee.username, NEW_PASSWORD).user["username"] == coachee.username
    reused = client.request(
        "POST", "/api/password-reset/confirm", json={**body, "password": "Kevään-Ensi-Kukat-6"}
    )
    assert token_error(reused)["code"] == "invalid_reset_token"
    token_error(client.request("POST", "/api/password-reset/check", json={"token": token}))

    ask(client, email)
    send_mails(service_containers)
    expiring = last_link(smtp_sink, email, 2)[2]
    assert expiring != token
    clock.advance(timedelta(hours=1))
    token_error(client.request("POST", "/api/password-reset/check", json={"token": expiring}))
    token_error(
        client.request(
            "POST",
            "/api/password-reset/confirm",
            json={"token": expiring, "password": NEW_PASSWORD},
        )
    )
    assert len(smtp_sink.received(to=email)) == 2


def test_the_mail_is_in_the_language_the_browser_chose(
    client, make_coachee, service_containers, smtp_sink
):
    email = f"{unique('maija')}@example.fi"
    make_coachee(email=email)

    answer = ask(client, email, headers={"Cookie": f"{PREFERENCES_COOKIE}=en.dark"})
    send_mails(service_containers)

    assert answer.status_code == 202
    (mail,) = mails_to(smtp_sink, email, 1)
    assert mail["Subject"] == "A new password"


def test_requests_are_throttled_per_address_with_retry_after(client, service_containers):
    answers = [ask(client, unique("nobody")).status_code for _ in range(10)]
    throttled = ask(client, unique("nobody"))

    assert answers == [202] * 10
    assert throttled.status_code == 429
    assert throttled.json()["error"]["code"] == "throttled"
    assert 0 < int(throttled.headers["Retry-After"]) <= 15 * 60
    assert ask(client.from_another_address(), unique("nobody")).status_code == 202


def test_a_known_and_an_unknown_login_take_about_as_long(client, make_coachee, service_containers):
    """Not a proof of constant time, but a guard against work done for one kind only (such as
    sending the mail while the client waits). The two are asked in turn, so both see the same
    load on a busy machine."""
    coachee = make_coachee(email=f"{unique('maija')}@example.fi")
    timings = {"known": [], "unknown": []}

    for _ in range(9):
        for kind, login in (("known", coachee.username), ("unknown", unique("nobody"))):
            started = time.perf_counter()
            assert ask(client.from_another_address(), login).status_code == 202
            timings[kind].append((time.perf_counter() - started) * 1000)

    known, unknown = (sorted(timings[kind])[4] for kind in ("known", "unknown"))
    print(f"\nmedian answer: known login {known:.1f} ms, unknown login {unknown:.1f} ms")
    assert abs(known - unknown) < 30


def test_bodies_without_a_login_or_token_are_refused_naming_the_field(client, service_containers):
    missing = client.request("POST", "/api/password-reset", json={})
    no_token = client.request("POST", "/api/password-reset/check", json={"token": ""})
    unknown = client.request(
        "POST", "/api/password-reset/confirm", json={"token": "ei-ole", "password": NEW_PASSWORD}
    )

    assert missing.status_code == 422 and list(missing.json()["error"]["fields"]) == ["login"]
    assert no_token.status_code == 422 and list(no_token.json()["error"]["fields"]) == ["token"]
    assert token_error(unknown)["code"] == "invalid_reset_token"
