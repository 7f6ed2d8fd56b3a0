"""Logging in and out through the gateway over real HTTP, against the real accounts service."""

from gateway.cookies import SESSION_COOKIE
from tests.gateway.api_client import set_cookies, unique

TWO_DAYS = 2 * 24 * 3600
TWO_WEEKS = 14 * 24 * 3600
CLOCK_SLACK = 10


def test_login_answers_the_user_and_csrf_token_and_sets_a_two_day_host_cookie(client, make_coachee):
    coachee = make_coachee(name="Maija Meikäläinen")

    login = client.log_in(coachee.username, coachee.password)

    assert login.user == {
        "id": coachee.account_id,
        "username": coachee.username,
        "role": "coachee",
        "name": "Maija Meikäläinen",
    }
    assert len(login.csrf_token) >= 16
    assert login.cookie["path"] == "/"
    assert login.cookie["secure"] is True
    assert login.cookie["httponly"] is True
    assert login.cookie["samesite"] == "Lax"
    assert login.cookie["domain"] == ""
    assert TWO_DAYS - CLOCK_SLACK <= int(login.cookie["max-age"]) <= TWO_DAYS


def test_remember_me_keeps_the_cookie_for_two_weeks(client, make_coachee):
    coachee = make_coachee()

    login = client.log_in(coachee.username, coachee.password, remember_me=True)

    assert TWO_WEEKS - CLOCK_SLACK <= int(login.cookie["max-age"]) <= TWO_WEEKS


def test_wrong_password_and_unknown_username_get_the_same_401(client, make_coachee):
    coachee = make_coachee()

    wrong_password = client.try_log_in(coachee.username, "Ei-Tama-Ole-Oikea-1")
    unknown_user = client.try_log_in(unique("nobody"), "Ei-Tama-Ole-Oikea-1")

    assert wrong_password.status_code == unknown_user.status_code == 401
    assert wrong_password.json() == unknown_user.json()
    assert wrong_password.json()["error"]["code"] == "login_failed"
    assert SESSION_COOKIE not in set_cookies(wrong_password)


def test_login_body_problems_are_400_or_422_naming_the_field(client):
    malformed = client.request(
        "POST",
        "/api/session",
        data=b'{"username": "x",',
        headers={"Content-Type": "application/json"},
    )
    missing_password = client.request("POST", "/api/session", json={"username": "x"})

    assert malformed.status_code == 400
    assert missing_password.status_code == 422
    assert list(missing_password.json()["error"]["fields"]) == ["password"]


def test_the_session_is_answered_for_the_cookie_and_for_the_bearer_token(client, make_coachee):
    coachee = make_coachee()
    login = client.log_in(coachee.username, coachee.password)

    by_cookie = client.request("GET", "/api/session", headers=login.with_cookie())
    by_bearer = client.request("GET", "/api/session", headers=login.with_bearer())

    assert by_cookie.status_code == by_bearer.status_code == 200
    assert (
        by_cookie.json() == by_bearer.json() == {"user": login.user, "csrf_token": login.csrf_token}
    )


def test_without_a_valid_session_the_answer_is_401(client):
    no_token = client.request("GET", "/api/session")
    made_up = client.request("GET", "/api/me", headers={"Authorization": "Bearer made-up"})
    made_up_cookie = client.request("GET", "/api/me", headers={"Cookie": f"{SESSION_COOKIE}=x"})

    assert no_token.status_code == made_up.status_code == made_up_cookie.status_code == 401
    assert no_token.json()["error"]["code"] == "not_logged_in"


def test_every_login_gets_a_new_token_and_csrf_token(client, make_coachee):
    coachee = make_coachee()

    first = client.log_in(coachee.username, coachee.password)
    second = client.log_in(coachee.username, coachee.password)

    assert first.token != second.token
    assert first.csrf_token != second.csrf_token


def test_logout_revokes_the_session_and_clears_the_cookie(client, make_coachee):
    coachee = make_coachee()
    login = client.log_in(coachee.username, coachee.password)

    response = client.request("DELETE", "/api/session", headers=login.with_csrf())

    assert response.status_code == 204
    cleared = set_cookies(response)[SESSION_COOKIE]
    assert cleared.value == ""
    assert cleared["max-age"] == "0"
    assert client.request("GET", "/api/session", headers=login.with_bearer()).status_code == 401


def test_unsafe_cookie_request_without_the_right_csrf_token_is_403(client, make_coachee):
    coachee = make_coachee()
    login = client.log_in(coachee.username, coachee.password)

    missing = client.request("DELETE", "/api/session", headers=login.with_cookie())
    wrong = client.request("DELETE", "/api/session", headers=login.with_cookie("forged"))

    assert missing.status_code == wrong.status_code == 403
    assert missing.json()["error"]["code"] == "csrf_failed"
    assert client.request("GET", "/api/session", headers=login.with_cookie()).status_code == 200


def test_bearer_requests_need_no_csrf_token(client, make_coachee):
    coachee = make_coachee()
    login = client.log_in(coachee.username, coachee.password)

    response = client.request("DELETE", "/api/session", headers=login.with_bearer())

    assert response.status_code == 204
    assert client.request("GET", "/api/session", headers=login.with_bearer()).status_code == 401


def test_failed_logins_from_one_address_are_throttled_with_retry_after(client, make_coachee):
    coachee = make_coachee()
    for _ in range(10):
        assert client.try_log_in(unique("nobody"), "Ei-Tama-Ole-Oikea-1").status_code == 401

    throttled = client.try_log_in(coachee.username, coachee.password)

    assert throttled.status_code == 429
    assert throttled.json()["error"]["code"] == "throttled"
    assert 0 < int(throttled.headers["Retry-After"]) <= 900
    with client.from_another_address() as elsewhere:
        assert elsewhere.try_log_in(coachee.username, coachee.password).status_code == 200


def test_failed_logins_to_one_account_are_throttled_from_any_address(client, make_coachee):
    coachee = make_coachee()
    for _ in range(10):
        with client.from_another_address() as attacker:
            assert attacker.try_log_in(coachee.username, "Ei-Tama-Ole-Oikea-1").status_code == 401

    throttled = client.try_log_in(coachee.username, coachee.password)

    assert throttled.status_code == 429
    assert int(throttled.headers["Retry-After"]) > 0


def test_cookie_check_sets_a_session_only_cookie_and_tells_whether_it_came_back(client):
    first = client.request("GET", "/api/cookie-check")
    test_cookie = set_cookies(first)["valmennus_cookie_test"]
    second = client.request(
        "GET", "/api/cookie-check", headers={"Cookie": f"valmennus_cookie_test={test_cookie.value}"}
    )

    assert first.json() == {"cookies_enabled": False}
    assert second.json() == {"cookies_enabled": True}
    assert test_cookie["max-age"] == ""
    assert test_cookie["expires"] == ""
    assert test_cookie["samesite"] == "Lax"
    assert test_cookie["path"] == "/"
