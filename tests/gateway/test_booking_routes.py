"""The booking routes over real HTTP: who may do what with a booking and its notes."""

import uuid

import pytest

from tests.gateway.booking_api import (
    PASSWORD,
    booking_form,
    free_slots,
    next_week_day,
    set_up_catalogue,
)


@pytest.fixture
def admin_login(client, make_admin):
    admin = make_admin()
    return client.log_in(admin.username, admin.password)


@pytest.fixture
def setup(client, admin_login):
    return set_up_catalogue(client, admin_login.with_bearer())


@pytest.fixture
def booked(client, setup):
    """A confirmed booking next Tuesday and the coachee's login."""
    slot = free_slots(client, setup, next_week_day(1))[0]
    created = client.request("POST", "/api/bookings", json=booking_form(setup, slot["starts_at"]))
    assert created.status_code == 201, created.text
    body = created.json()
    return body["booking"], client.log_in(body["username"], PASSWORD)


def test_the_catalogue_and_slots_are_public(client, setup):
    catalogue = client.request("GET", "/api/services").json()["items"]
    assert setup["service"]["id"] in [service["id"] for service in catalogue]
    slots = free_slots(client, setup, next_week_day(1))
    assert slots[0]["coach_name"] == "Kaisa Valmentaja"


def test_slot_search_without_a_service_is_422_naming_the_field(client, service_containers):
    response = client.request("GET", "/api/slots", params={"from": "2027-03-01", "to": "x"})
    assert response.status_code == 422
    assert {"service_id", "to"} <= set(response.json()["error"]["fields"])


def test_slots_for_any_coach_have_the_fixed_fields_and_a_free_coach_count(client, setup):
    day = next_week_day(1).isoformat()
    query = {"service_id": setup["service"]["id"], "from": day, "to": day}

    response = client.request("GET", "/api/slots", params=query)

    assert response.status_code == 200, response.text
    slot = response.json()["items"][0]
    assert set(slot) == {"starts_at", "ends_at", "coach_id", "coach_name", "free_coaches"}
    assert (slot["coach_id"], slot["free_coaches"]) == (setup["coach"]["id"], 1)


def test_slot_search_over_more_than_62_days_is_422_naming_to(client):
    query = {"service_id": str(uuid.uuid4()), "from": "2027-03-01", "to": "2027-05-02"}

    response = client.request("GET", "/api/slots", params=query)

    assert response.status_code == 422
    assert list(response.json()["error"]["fields"]) == ["to"]


def test_a_logged_in_coachee_books_without_personal_data(client, setup, booked):
    _, coachee = booked
    slot = free_slots(client, setup, next_week_day(2))[0]
    form = booking_form(setup, slot["starts_at"])
    del form["coachee"]

    created = client.request("POST", "/api/bookings", json=form, headers=coachee.with_csrf())

    assert created.status_code == 201, created.text
    assert "username" not in created.json()


def test_personal_data_with_a_session_is_422(client, setup, booked):
    _, coachee = booked
    slot = free_slots(client, setup, next_week_day(2))[0]
    refused = client.request(
        "POST",
        "/api/bookings",
        json=booking_form(setup, slot["starts_at"]),
        headers=coachee.with_bearer(),
    )
    assert refused.status_code == 422
    assert "coachee" in refused.json()["error"]["fields"]


def test_the_coachee_sees_the_booking_and_another_coachee_gets_404(client, setup, booked):
    booking, coachee = booked
    other_slot = free_slots(client, setup, next_week_day(3))[0]
    other = client.request(
        "POST", "/api/bookings", json=booking_form(setup, other_slot["starts_at"])
    ).json()
    stranger = client.log_in(other["username"], PASSWORD)

    own = client.request("GET", f"/api/bookings/{booking['id']}", headers=coachee.with_bearer())
    theirs = client.request("GET", f"/api/bookings/{booking['id']}", headers=stranger.with_bearer())

    assert own.status_code == 200
    assert theirs.status_code == 404


def test_notes_are_written_by_the_coach_and_hidden_from_the_coachee(client, setup, booked):
    booking, coachee = booked
    coach = client.log_in(*setup["coach_login"])
    notes_path = f"/api/bookings/{booking['id']}/notes"

    written = client.request(
        "POST", notes_path, json={"body": "Tavoite: CV valmiiksi."}, headers=coach.with_csrf()
    )
    assert written.status_code == 201, written.text

    listed = client.request("GET", notes_path, headers=coach.with_bearer()).json()["items"]
    assert [note["body"] for note in listed] == ["Tavoite: CV valmiiksi."]
    assert client.request("GET", notes_path, headers=coachee.with_bearer()).status_code == 403


def test_the_assigned_coach_sees_how_to_reach_the_coachee_and_no_one_else_does(
    client, setup, booked, make_coach
):
    booking, coachee = booked
    path = f"/api/bookings/{booking['id']}/coachee"
    coach = client.log_in(*setup["coach_login"])
    other = make_coach()
    other_coach = client.log_in(other.username, other.password)

    seen = client.request("GET", path, headers=coach.with_bearer())

    assert seen.status_code == 200, seen.text
    assert seen.json() == {
        "id": booking["coachee_id"],
        "name": "Maija Meikäläinen",
        "email": seen.json()["email"],
        "phone": "+358401234567",
    }
    assert client.request("GET", path, headers=other_coach.with_bearer()).status_code == 404
    assert client.request("GET", path, headers=coachee.with_bearer()).status_code == 403


def test_time_off_is_listed_for_the_coach_themself_and_admins(client, setup, admin_login):
    coach_path = f"/api/coaches/{setup['coach']['id']}/availability-changes"
    day = next_week_day(2)
    change = {
        "starts_at": f"{day.isoformat()}T08:00:00+02:00",
        "ends_at": f"{day.isoformat()}T12:00:00+02:00",
        "kind": "time_off",
    }
    added = client.request("POST", coach_path, json=change, headers=admin_login.with_bearer())
    assert added.status_code == 201, added.text
    coach = client.log_in(*setup["coach_login"])

    own = client.request("GET", coach_path, headers=coach.with_bearer())
    past = client.request(
        "GET",
        coach_path,
        params={"from": "2020-01-01", "to": "2020-01-31"},
        headers=admin_login.with_bearer(),
    )
    backwards = client.request(
        "GET",
        coach_path,
        params={"from": "2030-01-02", "to": "2030-01-01"},
        headers=admin_login.with_bearer(),
    )

    assert own.status_code == 200, own.text
    assert [item["id"] for item in own.json()["items"]] == [added.json()["id"]]
    assert past.json()["items"] == []
    assert backwards.status_code == 422
    assert "to" in backwards.json()["error"]["fields"]


def test_cancelling_by_cookie_needs_the_csrf_token(client, booked):
    booking, coachee = booked
    path = f"/api/bookings/{booking['id']}/cancel"

    without = client.request("POST", path, headers=coachee.with_cookie())
    with_token = client.request("POST", path, headers=coachee.with_csrf())

    assert without.status_code == 403
    assert with_token.status_code == 200
    assert with_token.json()["status"] == "cancelled"
    again = client.request("POST", path, headers=coachee.with_csrf())
    assert again.status_code == 409


def test_booking_routes_need_a_login(client, booked):
    booking, _ = booked
    assert client.request("GET", "/api/bookings").status_code == 401
    assert client.request("GET", f"/api/bookings/{booking['id']}/notes").status_code == 401


def test_only_admins_change_the_catalogue(client, booked):
    _, coachee = booked
    response = client.request(
        "POST", "/api/services", json={"name": "X"}, headers=coachee.with_bearer()
    )
    assert response.status_code == 403


def test_a_coachees_account_cannot_be_made_a_coach(client, admin_login, booked):
    booking, coachee = booked
    response = client.request(
        "POST",
        "/api/coaches",
        headers=admin_login.with_bearer(),
        json={"account_id": booking["coachee_id"], "name": "Maija Meikäläinen"},
    )
    assert response.status_code == 422, response.text
    assert list(response.json()["error"]["fields"]) == ["account_id"]


def test_zero_is_not_a_boolean(client, admin_login, booked):
    booking, _ = booked
    response = client.request(
        "POST",
        f"/api/bookings/{booking['id']}/eligibility",
        headers=admin_login.with_bearer(),
        json={"approved": 0},
    )
    assert response.status_code == 422, response.text
    assert list(response.json()["error"]["fields"]) == ["approved"]


def test_unknown_properties_in_working_hours_are_refused_by_name(client, admin_login, setup):
    hours = [{"weekday": 0, "starts": "08:00", "ends": "16:00", "lunch": "11:00"}]
    response = client.request(
        "PUT",
        f"/api/coaches/{setup['coach']['id']}/hours",
        headers=admin_login.with_bearer(),
        json={"hours": hours, "timezone": "UTC"},
    )
    assert response.status_code == 422, response.text
    assert response.json()["error"]["fields"] == {
        "hours": {"0": {"lunch": ["Unknown field."]}},
        "timezone": ["Unknown field."],
    }


def test_someone_elses_idempotency_key_with_another_form_is_422_and_shows_nothing(client, setup):
    first_slot, second_slot = free_slots(client, setup, next_week_day(2))[:3:2]
    key = {"Idempotency-Key": f"key-{uuid.uuid4()}"}
    mine = client.request(
        "POST", "/api/bookings", json=booking_form(setup, first_slot["starts_at"]), headers=key
    )
    assert mine.status_code == 201, mine.text

    with client.from_another_address() as other:
        theirs = other.request(
            "POST", "/api/bookings", json=booking_form(setup, second_slot["starts_at"]), headers=key
        )

    assert theirs.status_code == 422, theirs.text
    assert theirs.json()["error"]["code"] == "idempotency_key_reused"
    assert mine.json()["username"] not in theirs.text
    assert mine.json()["booking"]["id"] not in theirs.text
