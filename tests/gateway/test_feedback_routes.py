"""The feedback routes over real HTTP, every service on the test's settable clock: the coachee
gives and changes feedback, who reads it, the 30-day window, validation, the admins' summary."""

from datetime import datetime, timedelta

import pytest

from services.infra.clock import HELSINKI, SettableClock
from tests.gateway.api_client import unique
from tests.gateway.booking_api import PASSWORD, booking_form, set_up_catalogue
from tests.gateway.conftest import start_every_service

MONDAY = datetime(2027, 3, 1, 10, 0, tzinfo=HELSINKI)
TUESDAY_9 = "2027-03-02T09:00:00+02:00"
WEDNESDAY_9 = "2027-03-03T09:00:00+02:00"
AFTER_THE_SESSION = datetime(2027, 3, 2, 12, 0, tzinfo=HELSINKI)
WINDOW_CLOSED = datetime.fromisoformat(TUESDAY_9) + timedelta(days=30, seconds=1)


@pytest.fixture
def clock():
    return SettableClock(MONDAY)


@pytest.fixture
def service_containers(container_factory, service_config, clock):
    return start_every_service(container_factory, service_config, clock)


def book(client, setup, starts_at: str) -> tuple[dict, object]:
    """A booking made through the form, and its new coachee's login."""
    created = client.request("POST", "/api/bookings", json=booking_form(setup, starts_at))
    assert created.status_code == 201, created.text
    body = created.json()
    return body["booking"], client.log_in(body["username"], PASSWORD)


@pytest.fixture
def session(client, make_admin, clock):
    """Tuesday's session, completed by its coach, with the logins of everyone involved."""
    admin_person = make_admin()
    admin = client.log_in(admin_person.username, admin_person.password)
    setup = set_up_catalogue(client, admin.with_bearer())
    booking, coachee = book(client, setup, TUESDAY_9)
    unfinished, other_coachee = book(client, setup, WEDNESDAY_9)
    clock.set(AFTER_THE_SESSION)
    coach = client.log_in(*setup["coach_login"])
    outcome = client.request(
        "POST",
        f"/api/bookings/{booking['id']}/outcome",
        json={"outcome": "completed"},
        headers=coach.with_bearer(),
    )
    assert outcome.status_code == 200, outcome.text
    return {
        "path": f"/api/bookings/{booking['id']}/feedback",
        "setup": setup,
        "admin": admin,
        "coach": coach,
        "coachee": coachee,
        "unfinished": unfinished,
        "other_coachee": other_coachee,
    }


def put(client, session, body, headers=None):
    headers = headers or session["coachee"].with_bearer()
    return client.request("PUT", session["path"], json=body, headers=headers)


def test_the_coachee_gives_feedback_changes_it_and_reads_it(client, session):
    given = put(client, session, {"rating": 4, "comment": "Sain hyviä vinkkejä."})
    changed = put(client, session, {"rating": 5})
    read = client.request("GET", session["path"], headers=session["coachee"].with_bearer())

    assert given.status_code == 200, given.text
    assert (given.json()["rating"], given.json()["comment"]) == (4, "Sain hyviä vinkkejä.")
    assert changed.status_code == 200
    assert (changed.json()["rating"], changed.json()["comment"]) == (5, None)
    assert read.status_code == 200
    assert read.json() == changed.json()
    assert read.json()["changeable_until"] == "2027-04-01T07:00:00+00:00"


def test_giving_feedback_with_the_cookie_needs_the_csrf_token(client, session):
    coachee = session["coachee"]

    without = put(client, session, {"rating": 3}, headers=coachee.with_cookie())
    with_token = put(client, session, {"rating": 3}, headers=coachee.with_csrf())

    assert (without.status_code, without.json()["error"]["code"]) == (403, "csrf_failed")
    assert with_token.status_code == 200


def staff_login(client, session, role: str):
    username = unique(role)
    created = client.request(
        "POST",
        "/api/staff",
        headers=session["admin"].with_bearer(),
        json={
            "username": username,
            "role": role,
            "name": "Pia Esimerkki",
            "email": f"{username}@example.fi",
        },
    )
    assert created.status_code == 201, created.text
    return client.log_in(username, created.json()["initial_password"])


def test_the_assigned_coach_and_admins_read_feedback_others_do_not(client, session):
    put(client, session, {"rating": 5, "comment": "Kiitos!"})
    another_coach = staff_login(client, session, "coach")
    privacy_staff = staff_login(client, session, "privacy")

    def read(login) -> int:
        headers = login.with_bearer() if login else {}
        return client.request("GET", session["path"], headers=headers).status_code

    assert [read(session["coach"]), read(session["admin"])] == [200, 200]
    assert [read(another_coach), read(session["other_coachee"])] == [404, 404]
    assert read(privacy_staff) == 403
    assert read(None) == 401


def test_only_the_sessions_coachee_gives_feedback(client, session):
    def give(login) -> int:
        headers = login.with_bearer() if login else {}
        return client.request(
            "PUT", session["path"], json={"rating": 1}, headers=headers
        ).status_code

    assert [give(session["coach"]), give(session["admin"])] == [403, 403]
    assert give(session["other_coachee"]) == 404
    assert give(None) == 401


def test_feedback_on_a_session_not_completed_is_409(client, session):
    path = f"/api/bookings/{session['unfinished']['id']}/feedback"

    response = client.request(
        "PUT", path, json={"rating": 5}, headers=session["other_coachee"].with_bearer()
    )

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "conflict"


def test_a_change_after_30_days_is_409(client, session, clock):
    put(client, session, {"rating": 4})
    clock.set(WINDOW_CLOSED)
    coachee = client.log_in(session["coachee"].user["username"], PASSWORD)

    late = put(client, session, {"rating": 2}, headers=coachee.with_bearer())

    assert (late.status_code, late.json()["error"]["code"]) == (409, "too_late")
    read = client.request("GET", session["path"], headers=coachee.with_bearer())
    assert read.json()["rating"] == 4


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"comment": "Hyvä."}, "rating"),
        ({"rating": 9}, "rating"),
        ({"rating": 3, "comment": "x" * 2001}, "comment"),
        ({"rating": 3, "comment": "Hetuni on 131052-308T."}, "comment"),
    ],
    ids=["no-rating", "rating-out-of-range", "long-comment", "identity-code"],
)
def test_invalid_feedback_is_422_naming_the_field(client, session, body, field):
    response = put(client, session, body)

    assert response.status_code == 422
    assert list(response.json()["error"]["fields"]) == [field]


def test_feedback_that_is_not_json_is_415(client, session):
    response = client.request(
        "PUT", session["path"], data="rating=5", headers=session["coachee"].with_bearer()
    )
    assert response.status_code == 415


def test_admins_get_the_summary_without_comments_or_coachees(client, session):
    put(client, session, {"rating": 4, "comment": "Sain hyviä vinkkejä."})
    query = {
        "from": "2027-03-02",
        "to": "2027-03-02",
        "service_id": session["setup"]["service"]["id"],
    }

    def summary(login, params=query):
        return client.request(
            "GET", "/api/feedback/summary", params=params, headers=login.with_bearer()
        )

    answer = summary(session["admin"])

    assert answer.status_code == 200, answer.text
    assert answer.json() == {
        "from": "2027-03-01",
        "to": "2027-03-31",
        "items": [
            {
                "service_id": session["setup"]["service"]["id"],
                "service_name": session["setup"]["service"]["name"],
                "coach_id": session["setup"]["coach"]["id"],
                "coach_name": "Kaisa Valmentaja",
                "count": 1,
                "average_rating": 4.0,
            }
        ],
    }
    for outsider in (session["coach"], session["coachee"]):
        assert summary(outsider).status_code == 403
    backwards = summary(session["admin"], {"from": "2027-03-02", "to": "2027-03-01"})
    assert (backwards.status_code, list(backwards.json()["error"]["fields"])) == (422, ["to"])
    no_start = summary(session["admin"], {"to": "2027-03-01"})
    assert (no_start.status_code, list(no_start.json()["error"]["fields"])) == (422, ["from"])


def test_the_summary_over_the_whole_calendar_answers_and_beyond_it_is_422(client, session):
    put(client, session, {"rating": 5})

    def summary(first: str, last: str):
        return client.request(
            "GET",
            "/api/feedback/summary",
            params={"from": first, "to": last, "service_id": session["setup"]["service"]["id"]},
            headers=session["admin"].with_bearer(),
        )

    whole = summary("1900-01-01", "2999-12-31")
    beyond = summary("0001-01-01", "9999-12-31")

    assert whole.status_code == 200, whole.text
    assert (whole.json()["from"], whole.json()["to"]) == ("1900-01-01", "2999-12-31")
    assert [item["count"] for item in whole.json()["items"]] == [1]
    assert beyond.status_code == 422
    assert set(beyond.json()["error"]["fields"]) == {"from", "to"}


def test_the_openapi_document_describes_the_feedback_routes(gateway_url, web_session):
    document = web_session.get(f"{gateway_url}/api/openapi.json", timeout=5).json()
    paths = document["paths"]

    assert set(paths["/api/bookings/{booking_id}/feedback"]) == {"get", "put"}
    put_feedback = paths["/api/bookings/{booking_id}/feedback"]["put"]
    assert put_feedback["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/FeedbackInput"
    }
    summary = paths["/api/feedback/summary"]["get"]
    assert {p["name"] for p in summary["parameters"]} == {"from", "to", "service_id", "coach_id"}
    rating = document["components"]["schemas"]["FeedbackInput"]["properties"]["rating"]
    assert (rating["minimum"], rating["maximum"]) == (1, 5)
