"""Display preferences over real HTTP: a year-long cookie holding only the language and theme,
changed a field at a time, refused when invalid, and removed on request (R-COOKIE-2)."""

from http.cookies import SimpleCookie

import pytest

from gateway.cookies import PREFERENCES_COOKIE

YEAR = 365 * 24 * 3600


def set_cookie_of(response) -> tuple[str, dict]:
    """The value of the preference cookie the response sets, and its attributes."""
    [header] = response.raw.headers.getlist("Set-Cookie")
    morsel = SimpleCookie(header)[PREFERENCES_COOKIE]
    return morsel.value, {name: value for name, value in morsel.items() if value}


def change(gateway_url, web_session, body: dict, cookie: str | None = None):
    headers = {"Cookie": f"{PREFERENCES_COOKIE}={cookie}"} if cookie else {}
    return web_session.put(f"{gateway_url}/api/preferences", json=body, headers=headers)


def test_without_the_cookie_the_defaults_apply(gateway_url, web_session):
    response = web_session.get(f"{gateway_url}/api/preferences")

    assert response.status_code == 200
    assert response.json() == {"language": "fi", "theme": "system"}
    assert "Set-Cookie" not in response.headers


def test_a_change_sets_a_host_only_cookie_for_a_year(gateway_url, web_session):
    response = change(gateway_url, web_session, {"language": "sv"})

    assert response.status_code == 200
    assert response.json() == {"language": "sv", "theme": "system"}
    value, attributes = set_cookie_of(response)
    assert PREFERENCES_COOKIE.startswith("__Host-")
    assert value == "sv.system"
    assert attributes["max-age"] == str(YEAR)
    assert attributes["path"] == "/"
    assert attributes["samesite"] == "Lax"
    assert attributes["secure"] and attributes["httponly"]
    assert "domain" not in attributes


def test_a_change_keeps_what_it_does_not_name(gateway_url, web_session):
    response = change(gateway_url, web_session, {"theme": "dark"}, cookie="en.light")

    assert response.json() == {"language": "en", "theme": "dark"}
    assert set_cookie_of(response)[0] == "en.dark"
    read = web_session.get(
        f"{gateway_url}/api/preferences", headers={"Cookie": f"{PREFERENCES_COOKIE}=en.dark"}
    )
    assert read.json() == {"language": "en", "theme": "dark"}


@pytest.mark.parametrize(
    "body, field",
    [
        ({"language": "de"}, "language"),
        ({"theme": "pink"}, "theme"),
        ({"email": "a@b.fi"}, "email"),
    ],
)
def test_an_invalid_preference_is_422_naming_it_and_sets_no_cookie(
    gateway_url, web_session, body, field
):
    response = change(gateway_url, web_session, body)

    assert response.status_code == 422
    assert list(response.json()["error"]["fields"]) == [field]
    assert "Set-Cookie" not in response.headers


def test_a_cookie_that_is_not_ours_reads_as_the_defaults(gateway_url, web_session):
    response = web_session.get(
        f"{gateway_url}/api/preferences",
        headers={"Cookie": f"{PREFERENCES_COOKIE}=fi.<script>"},
    )

    assert response.json() == {"language": "fi", "theme": "system"}


def test_forgetting_removes_the_cookie(gateway_url, web_session):
    response = web_session.delete(f"{gateway_url}/api/preferences")

    assert response.status_code == 204
    value, attributes = set_cookie_of(response)
    assert value == ""
    assert attributes["max-age"] == "0"
