"""The gateway remembers resolved sessions, over real HTTP against every service: a token used
again costs no `resolve_session` RPC, and a session that ends stops working on every gateway
at once (its own logout at once, any other change as soon as `sessions_changed` arrives)."""

from dataclasses import dataclass

import pytest
from prometheus_client import REGISTRY

from gateway.cookies import SESSION_COOKIE
from tests.conftest import free_port, wait_for
from tests.gateway.api_client import ApiClient
from tests.gateway.conftest import PASSWORD, start_every_service, start_gateway
from tests.gateway.pages.page_client import PageClient

LONGER_THAN_ANY_POLL = 60
REVOKED_WITHIN_SECONDS = 3
ERASED_WITHIN_SECONDS = 15


@pytest.fixture
def service_containers(container_factory, service_config):
    """Every service; accounts measures its RPCs, which is how the tests count them."""
    settings = {"accounts": {"METRICS_PORT": free_port()}}
    return start_every_service(container_factory, service_config, settings=settings)


def resolve_session_calls() -> float:
    labels = {"method": "resolve_session", "outcome": "ok"}
    return REGISTRY.get_sample_value("valmennus_rpc_seconds_count", labels) or 0.0


@pytest.fixture
def two_gateways(service_containers, container_factory, base_config):
    """Two gateway instances remembering sessions for longer than any poll here, so only the
    `sessions_changed` announcement can make one forget in time."""
    urls = [
        start_gateway(container_factory, base_config, SESSION_CACHE_SECONDS=LONGER_THAN_ANY_POLL)
        for _ in range(2)
    ]
    with ApiClient(urls[0]) as first, ApiClient(urls[1]) as second:
        yield first, second


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def session_status(client: ApiClient, token: str) -> int:
    return client.request("GET", "/api/session", headers=bearer(token)).status_code


def refused_within(client: ApiClient, token: str, seconds: float) -> bool:
    return wait_for(lambda: session_status(client, token) == 401, seconds=seconds, interval=0.1)


@dataclass(frozen=True)
class CoacheeOnTwoGateways:
    """One coachee logged in on each gateway: the second has remembered `remembered_token`'s
    session, and the coachee acts on the first with `acting_token`."""

    first: ApiClient
    second: ApiClient
    remembered_token: str
    acting_token: str


@pytest.fixture
def coachee_on_two_gateways(two_gateways, make_coachee):
    first, second = two_gateways
    coachee = make_coachee()
    remembered_token = second.log_in(coachee.username, coachee.password).token
    assert session_status(second, remembered_token) == 200
    acting_token = first.log_in(coachee.username, coachee.password).token
    return CoacheeOnTwoGateways(first, second, remembered_token, acting_token)


def test_a_token_used_again_asks_accounts_once(client, make_coachee):
    coachee = make_coachee()
    token = client.log_in(coachee.username, coachee.password).token
    before = resolve_session_calls()

    assert session_status(client, token) == 200
    assert session_status(client, token) == 200
    assert client.request("GET", "/api/me", headers=bearer(token)).status_code == 200

    assert resolve_session_calls() - before == 1


def test_with_the_cache_off_every_request_asks_accounts(
    service_containers, container_factory, base_config, make_coachee
):
    url = start_gateway(container_factory, base_config, SESSION_CACHE_SECONDS=0)
    coachee = make_coachee()
    with ApiClient(url) as client:
        token = client.log_in(coachee.username, coachee.password).token
        before = resolve_session_calls()

        assert session_status(client, token) == 200
        assert session_status(client, token) == 200

    assert resolve_session_calls() - before == 2


def test_after_logging_out_the_token_is_refused_on_the_very_next_request(client, make_coachee):
    coachee = make_coachee()
    token = client.log_in(coachee.username, coachee.password).token
    assert session_status(client, token) == 200

    assert client.request("DELETE", "/api/session", headers=bearer(token)).status_code == 204

    assert session_status(client, token) == 401


def test_after_logging_out_on_a_page_the_cookie_is_refused_on_the_very_next_page(
    service_containers, gateway_url, make_coachee
):
    coachee = make_coachee()
    browser = PageClient(gateway_url)
    browser.log_in(coachee.username, coachee.password)
    token = browser.cookies[SESSION_COOKIE]
    assert browser.get("/omat-tiedot").status_code == 200

    assert browser.post_form("/kirjaudu-ulos", {}).status_code == 303

    browser.cookies[SESSION_COOKIE] = token
    answer = browser.get("/omat-tiedot")
    assert answer.status_code == 303 and answer.headers["Location"].startswith("/kirjaudu")


def test_an_admin_disabling_the_account_ends_its_session_on_every_gateway(
    two_gateways, make_coachee, make_admin
):
    first, second = two_gateways
    coachee, admin = make_coachee(), make_admin()
    token = second.log_in(coachee.username, coachee.password).token
    assert session_status(second, token) == 200
    admin_token = first.log_in(admin.username, admin.password).token

    disabled = first.request(
        "PATCH",
        f"/api/coachees/{coachee.account_id}",
        headers=bearer(admin_token),
        json={"disabled": True},
    )

    assert disabled.status_code == 200
    assert refused_within(second, token, REVOKED_WITHIN_SECONDS)


def test_a_password_change_in_another_session_ends_this_one_on_every_gateway(
    coachee_on_two_gateways,
):
    logged_in = coachee_on_two_gateways

    changed = logged_in.first.request(
        "POST",
        "/api/me/password",
        headers=bearer(logged_in.acting_token),
        json={"current_password": PASSWORD, "new_password": "Uusi-Syksyinen-Salasana-5"},
    )

    assert changed.status_code == 204
    assert refused_within(logged_in.second, logged_in.remembered_token, REVOKED_WITHIN_SECONDS)


def test_an_erasure_ends_the_session_on_every_gateway(coachee_on_two_gateways):
    """The erasure runs as the privacy service's saga, whose first step disables the login."""
    logged_in = coachee_on_two_gateways

    asked = logged_in.first.request(
        "DELETE", "/api/me", headers=bearer(logged_in.acting_token), json={"password": PASSWORD}
    )

    assert asked.status_code == 202
    assert refused_within(logged_in.second, logged_in.remembered_token, ERASED_WITHIN_SECONDS)
