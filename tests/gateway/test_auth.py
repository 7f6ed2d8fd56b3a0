"""Resolving the caller: bearer or cookie, the CSRF decision, roles, audit of refusals."""

import uuid
from datetime import UTC, datetime, timedelta
from unittest.mock import call

import pytest
from nameko.testing.services import worker_factory
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

from gateway.auth import (
    CSRF_HEADER,
    Credential,
    bearer_token,
    client_address,
    credential_of,
    csrf_satisfied,
)
from gateway.cookies import SESSION_COOKIE
from gateway.errors import ApiError
from gateway.service import GatewayService
from gateway.sessions import ResolvedSessions, SessionCache
from services.contracts.accounts import ACCESS_AUDITED, ADMIN, COACHEE
from services.contracts.errors import Unauthenticated
from services.infra.clock import SettableClock

COOKIE = Credential("cookie-token", from_cookie=True)
BEARER = Credential("bearer-token", from_cookie=False)
CSRF_TOKEN = "csrf-of-this-session"
NOW = datetime(2027, 3, 1, 8, 0, tzinfo=UTC)


def make_request(method="GET", headers=None, cookies=None, remote_addr="192.0.2.7", rule=None):
    builder = EnvironBuilder(
        method=method,
        path="/api/anything",
        headers=headers or {},
        environ_base={"REMOTE_ADDR": remote_addr},
    )
    for name, value in (cookies or {}).items():
        builder.headers.add("Cookie", f"{name}={value}")
    request = Request(builder.get_environ())
    request.url_rule = rule
    return request


SUBSCRIBER_ID = str(uuid.uuid4())


def principal(role=COACHEE) -> dict:
    return {
        "account_id": str(uuid.uuid4()),
        "username": "someone",
        "role": role,
        "name": "Some One",
        "subscriber_id": SUBSCRIBER_ID if role == COACHEE else None,
        "member_number": "M-1" if role == COACHEE else None,
        "session_id": str(uuid.uuid4()),
        "csrf_token": CSRF_TOKEN,
        "expires_at": "2027-03-03T10:00:00+00:00",
    }


@pytest.mark.parametrize(
    ("header", "token"),
    [
        ("Bearer abc123", "abc123"),
        ("bearer abc123", "abc123"),
        ("  Bearer   abc123  ", "abc123"),
        ("Basic dXNlcjpwYXNz", None),
        ("Bearer", None),
        ("Bearer   ", None),
        ("", None),
        (None, None),
    ],
)
def test_bearer_token_is_read_only_from_a_bearer_authorization(header, token):
    assert bearer_token(header) == token


def test_bearer_header_wins_over_the_cookie():
    request = make_request(
        headers={"Authorization": "Bearer from-header"}, cookies={SESSION_COOKIE: "from-cookie"}
    )

    assert credential_of(request) == Credential("from-header", from_cookie=False)


def test_session_cookie_is_a_credential_that_needs_csrf():
    request = make_request(cookies={SESSION_COOKIE: "from-cookie"})

    assert credential_of(request) == Credential("from-cookie", from_cookie=True)


def test_request_without_token_has_no_credential():
    assert credential_of(make_request(cookies={"other": "x"})) is None


@pytest.mark.parametrize("method", ["GET", "HEAD", "OPTIONS"])
def test_safe_methods_need_no_csrf_token(method):
    assert csrf_satisfied(method, COOKIE, None, CSRF_TOKEN)


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
def test_unsafe_methods_with_the_cookie_need_the_sessions_csrf_token(method):
    assert csrf_satisfied(method, COOKIE, CSRF_TOKEN, CSRF_TOKEN)
    assert not csrf_satisfied(method, COOKIE, None, CSRF_TOKEN)
    assert not csrf_satisfied(method, COOKIE, "", CSRF_TOKEN)
    assert not csrf_satisfied(method, COOKIE, "another-sessions-token", CSRF_TOKEN)
    assert not csrf_satisfied(method, COOKIE, "täysin väärä", CSRF_TOKEN)


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
def test_bearer_requests_need_no_csrf_token(method):
    assert csrf_satisfied(method, BEARER, None, CSRF_TOKEN)


def test_client_address_is_the_peer_unless_proxy_headers_are_trusted():
    request = make_request(headers={"X-Forwarded-For": "203.0.113.9, 10.0.0.1"})

    assert client_address(request, trust_proxy_headers=False) == "192.0.2.7"
    assert client_address(request, trust_proxy_headers=True) == "203.0.113.9"


def test_trusted_proxy_without_forwarded_header_falls_back_to_the_peer():
    assert client_address(make_request(), trust_proxy_headers=True) == "192.0.2.7"


@pytest.fixture
def gateway():
    """The gateway's worker with mocks for its dependencies, but its real session cache in
    front of the mocked accounts."""
    service = worker_factory(GatewayService)
    service.clock = SettableClock(NOW)
    cache = SessionCache(timedelta(seconds=10), 100)
    service.sessions = ResolvedSessions(cache, service.accounts.resolve_session, service.clock)
    return service


def test_caller_without_any_token_is_401_without_asking_accounts(gateway):
    with pytest.raises(ApiError) as refused:
        gateway.caller(make_request())

    assert refused.value.status == 401
    gateway.accounts.resolve_session.assert_not_called()


def test_caller_with_an_unknown_token_gets_the_accounts_refusal(gateway):
    gateway.accounts.resolve_session.side_effect = Unauthenticated("Session expired.")

    with pytest.raises(Unauthenticated):
        gateway.caller(make_request(headers={"Authorization": "Bearer stale"}))


def test_caller_is_resolved_from_the_token_and_carries_its_actor(gateway):
    logged_in = principal(ADMIN)
    gateway.accounts.resolve_session.return_value = logged_in

    caller = gateway.caller(make_request(headers={"Authorization": "Bearer good"}), roles=(ADMIN,))

    gateway.accounts.resolve_session.assert_called_once_with("good")
    assert caller.actor == {
        "account_id": logged_in["account_id"],
        "role": ADMIN,
        "name": "Some One",
        "subscriber_id": None,
        "member_number": None,
    }
    gateway.dispatch.assert_not_called()


def test_a_coachees_actor_carries_the_name_and_membership_their_session_resolved(gateway):
    """What a booking's eligibility is decided for and billed by, without asking accounts."""
    gateway.accounts.resolve_session.return_value = principal(COACHEE)

    actor = gateway.caller(make_request(headers={"Authorization": "Bearer good"})).actor

    assert (actor["name"], actor["subscriber_id"], actor["member_number"]) == (
        "Some One",
        SUBSCRIBER_ID,
        "M-1",
    )


def test_cookie_post_without_csrf_token_is_403_and_audited(gateway):
    logged_in = principal()
    gateway.accounts.resolve_session.return_value = logged_in
    request = make_request("POST", cookies={SESSION_COOKIE: "t"}, rule="/api/me/password")

    with pytest.raises(ApiError) as refused:
        gateway.caller(request)

    assert (refused.value.status, refused.value.code) == (403, "csrf_failed")
    (audited,) = gateway.dispatch.call_args_list
    assert audited.args[0] == ACCESS_AUDITED
    assert audited.args[1]["actor_id"] == logged_in["account_id"]
    assert audited.args[1]["route"] == "/api/me/password"


def test_cookie_post_with_csrf_token_passes(gateway):
    gateway.accounts.resolve_session.return_value = principal()
    request = make_request("POST", headers={CSRF_HEADER: CSRF_TOKEN}, cookies={SESSION_COOKIE: "t"})

    assert gateway.caller(request).role == COACHEE


def test_wrong_role_is_403_and_the_denial_is_audited_with_ids_only(gateway):
    logged_in = principal(COACHEE)
    gateway.accounts.resolve_session.return_value = logged_in
    request = make_request(
        "GET", headers={"Authorization": "Bearer t"}, rule="/api/coachees/<uuid:account_id>"
    )

    with pytest.raises(ApiError) as refused:
        gateway.caller(request, roles=(ADMIN,))

    assert (refused.value.status, refused.value.code) == (403, "forbidden")
    event = gateway.dispatch.call_args_list[0].args[1]
    assert gateway.dispatch.call_args_list == [call(ACCESS_AUDITED, event)]
    assert uuid.UUID(event.pop("event_id"))
    assert event == {
        "actor_id": logged_in["account_id"],
        "subject_id": None,
        "action": "access_denied",
        "outcome": "denied",
        "method": "GET",
        "route": "/api/coachees/<uuid:account_id>",
        "occurred_at": NOW.isoformat(),
    }
