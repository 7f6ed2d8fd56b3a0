"""The session cookie's attributes and lifetime, its removal, and the session-only test cookie."""

from datetime import UTC, datetime, timedelta

from werkzeug.wrappers import Response

from gateway.cookies import (
    SESSION_COOKIE,
    carries_test_cookie,
    clear_session_cookie,
    new_form_token,
    seconds_left,
    set_session_cookie,
    set_test_cookie,
)

NOW = datetime(2027, 3, 1, 8, 0, tzinfo=UTC)


def cookie_attributes(response: Response) -> tuple[str, dict]:
    """The `name=value` part and the attributes (lower-cased names) of the one Set-Cookie."""
    (header,) = response.headers.getlist("Set-Cookie")
    pair, *attributes = (part.strip() for part in header.split(";"))
    parsed = {}
    for attribute in attributes:
        name, _, value = attribute.partition("=")
        parsed[name.lower()] = value
    return pair, parsed


def test_session_cookie_is_host_only_secure_httponly_and_lax():
    response = Response()
    set_session_cookie(response, "token123", NOW + timedelta(days=2), NOW)

    pair, attributes = cookie_attributes(response)

    assert SESSION_COOKIE.startswith("__Host-")
    assert pair == f"{SESSION_COOKIE}=token123"
    assert attributes["path"] == "/"
    assert attributes["samesite"] == "Lax"
    assert "secure" in attributes
    assert "httponly" in attributes
    assert "domain" not in attributes


def test_session_cookie_lives_as_long_as_the_session():
    two_days, two_weeks = Response(), Response()
    set_session_cookie(two_days, "t", (NOW + timedelta(hours=48)).isoformat(), NOW)
    set_session_cookie(two_weeks, "t", NOW + timedelta(days=14), NOW)

    assert cookie_attributes(two_days)[1]["max-age"] == str(48 * 3600)
    assert cookie_attributes(two_weeks)[1]["max-age"] == str(14 * 24 * 3600)


def test_lifetime_of_an_already_expired_session_is_zero():
    assert seconds_left(NOW - timedelta(seconds=5), NOW) == 0


def test_logout_cookie_removes_the_session_cookie_at_once():
    response = Response()
    clear_session_cookie(response)

    pair, attributes = cookie_attributes(response)

    assert pair == f"{SESSION_COOKIE}="
    assert attributes["max-age"] == "0"
    assert attributes["path"] == "/"
    assert "secure" in attributes


def test_test_cookie_lasts_only_until_the_browser_closes():
    response = Response()
    set_test_cookie(response)

    pair, attributes = cookie_attributes(response)

    name, _, token = pair.partition("=")
    assert name == "valmennus_cookie_test"
    assert carries_test_cookie({name: token})
    assert "max-age" not in attributes
    assert "expires" not in attributes
    assert attributes["samesite"] == "Lax"
    assert attributes["path"] == "/"


def test_only_a_random_form_token_counts_as_the_test_cookie():
    assert carries_test_cookie({"valmennus_cookie_test": new_form_token()})
    assert not carries_test_cookie({"valmennus_cookie_test": "1"})
    assert not carries_test_cookie({})
