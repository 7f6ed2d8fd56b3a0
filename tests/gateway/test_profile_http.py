"""A person's own account through the gateway: profile, password, erasure request."""

import uuid

from gateway.cookies import SESSION_COOKIE
from tests.gateway.api_client import set_cookies

IDENTITY_CODE = "131052-308T"
NEW_PASSWORD = "Uusi-Kesa-Mokki-2027"


def test_coachee_sees_own_profile(client, make_coachee):
    coachee = make_coachee(email="Maija.M@Example.FI", phone="040 123 4567")
    login = client.log_in(coachee.username, coachee.password)

    response = client.request("GET", "/api/me", headers=login.with_bearer())

    assert response.status_code == 200
    profile = response.json()
    assert profile["id"] == coachee.account_id
    assert profile["username"] == coachee.username
    assert profile["email"] == "Maija.M@example.fi"
    assert profile["phone"] == "+358401234567"
    assert "password_hash" not in profile


def test_coachee_edits_own_profile_with_the_cookie_and_csrf_token(client, make_coachee):
    coachee = make_coachee()
    login = client.log_in(coachee.username, coachee.password)

    response = client.request(
        "PATCH", "/api/me", headers=login.with_csrf(), json={"phone": "050 765 4321"}
    )

    assert response.status_code == 200
    assert response.json()["phone"] == "+358507654321"
    profile = client.request("GET", "/api/me", headers=login.with_cookie()).json()
    assert profile["phone"] == "+358507654321"


def test_username_cannot_be_changed(client, make_coachee):
    coachee = make_coachee()
    login = client.log_in(coachee.username, coachee.password)

    response = client.request(
        "PATCH", "/api/me", headers=login.with_bearer(), json={"username": "uusi-nimi"}
    )

    assert response.status_code == 422
    assert response.json()["error"]["fields"] == {"username": ["The username cannot be changed."]}
    profile = client.request("GET", "/api/me", headers=login.with_bearer()).json()
    assert profile["username"] == coachee.username


def test_identity_code_in_the_profile_is_refused_naming_the_field(client, make_coachee):
    coachee = make_coachee()
    login = client.log_in(coachee.username, coachee.password)

    response = client.request(
        "PATCH", "/api/me", headers=login.with_bearer(), json={"member_number": IDENTITY_CODE}
    )

    assert response.status_code == 422
    assert "henkilötunnus" in response.json()["error"]["fields"]["member_number"][0]


def test_invalid_email_is_refused_naming_the_field(client, make_coachee):
    coachee = make_coachee()
    login = client.log_in(coachee.username, coachee.password)

    response = client.request(
        "PATCH", "/api/me", headers=login.with_bearer(), json={"email": "not-an-address"}
    )

    assert response.status_code == 422
    assert list(response.json()["error"]["fields"]) == ["email"]


def test_password_change_ends_every_session_and_clears_the_cookie(client, make_coachee):
    coachee = make_coachee()
    browser = client.log_in(coachee.username, coachee.password)
    other_device = client.log_in(coachee.username, coachee.password)

    response = client.request(
        "POST",
        "/api/me/password",
        headers=browser.with_csrf(),
        json={"current_password": coachee.password, "new_password": NEW_PASSWORD},
    )

    assert response.status_code == 204
    assert set_cookies(response)[SESSION_COOKIE]["max-age"] == "0"
    for login in (browser, other_device):
        assert client.request("GET", "/api/me", headers=login.with_bearer()).status_code == 401
    assert client.try_log_in(coachee.username, coachee.password).status_code == 401
    assert client.try_log_in(coachee.username, NEW_PASSWORD).status_code == 200


def test_wrong_current_password_is_422_and_the_session_stays(client, make_coachee):
    coachee = make_coachee()
    login = client.log_in(coachee.username, coachee.password)

    response = client.request(
        "POST",
        "/api/me/password",
        headers=login.with_bearer(),
        json={"current_password": "Arvattu-Vaarin-1", "new_password": NEW_PASSWORD},
    )

    assert response.status_code == 422
    assert list(response.json()["error"]["fields"]) == ["current_password"]
    assert client.request("GET", "/api/me", headers=login.with_bearer()).status_code == 200


def test_common_new_password_is_refused_naming_the_field(client, make_coachee):
    coachee = make_coachee()
    login = client.log_in(coachee.username, coachee.password)

    response = client.request(
        "POST",
        "/api/me/password",
        headers=login.with_bearer(),
        json={"current_password": coachee.password, "new_password": "password123"},
    )

    assert response.status_code == 422
    assert list(response.json()["error"]["fields"]) == ["new_password"]


def test_erasure_request_needs_the_password_and_is_accepted(client, make_coachee):
    coachee = make_coachee()
    login = client.log_in(coachee.username, coachee.password)

    wrong = client.request(
        "DELETE", "/api/me", headers=login.with_csrf(), json={"password": "Arvattu-Vaarin-1"}
    )
    accepted = client.request(
        "DELETE", "/api/me", headers=login.with_csrf(), json={"password": coachee.password}
    )

    assert wrong.status_code == 422
    assert list(wrong.json()["error"]["fields"]) == ["password"]
    assert accepted.status_code == 202
    assert uuid.UUID(accepted.json()["request_id"])


def test_staff_have_no_coachee_profile_to_edit_or_erase(client, make_admin):
    admin = make_admin()
    login = client.log_in(admin.username, admin.password)

    edit = client.request("PATCH", "/api/me", headers=login.with_bearer(), json={"name": "X"})
    erase = client.request(
        "DELETE", "/api/me", headers=login.with_bearer(), json={"password": admin.password}
    )
    own = client.request("GET", "/api/me", headers=login.with_bearer())

    assert edit.status_code == erase.status_code == 403
    assert own.status_code == 200
    assert own.json()["role"] == "admin"
