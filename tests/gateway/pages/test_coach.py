"""A coach's pages over real HTTP: the calendar, a booking with its coachee, notes and outcome,
their hours; and who else may open them."""

import re
import uuid

import pytest

from tests.gateway.booking_api import (
    PASSWORD,
    booking_form,
    free_slots,
    move_into_the_past,
    next_week_day,
    set_up_catalogue,
)
from tests.gateway.pages.page_client import PageClient


@pytest.fixture
def setup(client, make_admin):
    admin = make_admin()
    return set_up_catalogue(client, client.log_in(admin.username, admin.password).with_bearer())


@pytest.fixture
def booked(client, setup):
    slot = free_slots(client, setup, next_week_day(1))[0]
    created = client.request("POST", "/api/bookings", json=booking_form(setup, slot["starts_at"]))
    assert created.status_code == 201, created.text
    return created.json()


@pytest.fixture
def coach_browser(browser, setup):
    browser.log_in(*setup["coach_login"])
    return browser


def test_the_coach_sees_next_weeks_session_in_the_calendar(coach_browser, booked):
    day = next_week_day(1).isoformat()

    week = coach_browser.get(f"/kalenteri?pvm={day}")
    one_day = coach_browser.get(f"/kalenteri?nakyma=paiva&pvm={day}")

    assert week.status_code == 200
    assert f"/kalenteri/varaus/{booked['booking']['id']}" in week.text
    assert f"/kalenteri/varaus/{booked['booking']['id']}" in one_day.text
    assert "Vahvistettu" in week.text


def test_a_calendar_day_that_is_no_date_is_refused_as_a_page(coach_browser):
    answer = coach_browser.get("/kalenteri?pvm=31.2.2027")

    assert answer.status_code == 422
    assert answer.headers["Content-Type"].startswith("text/html")


def test_the_booking_page_shows_how_to_reach_the_coachee_and_takes_notes(coach_browser, booked):
    path = f"/kalenteri/varaus/{booked['booking']['id']}"

    page = coach_browser.get(path)
    assert page.status_code == 200
    assert "Maija Meikäläinen" in page.text
    assert "tel:+358401234567" in page.text
    assert "Tuloksen voi kirjata, kun valmennus on alkanut." in page.text

    empty = coach_browser.post_form(f"{path}/muistiinpanot", {"body": ""})
    assert empty.status_code == 422
    assert 'href="#body"' in empty.text
    assert 'aria-describedby="body-error"' in empty.text

    written = coach_browser.post_form(f"{path}/muistiinpanot", {"body": "Tavoite: CV."})
    assert written.status_code == 303
    shown = coach_browser.get(written.headers["Location"])
    assert "Tavoite: CV." in shown.text
    assert "Muistiinpano tallennettu." in shown.text

    (edit_path,) = re.findall(rf'href="({path}/muistiinpanot/[0-9a-f-]+)"', shown.text)
    assert coach_browser.get(edit_path).status_code == 200
    edited = coach_browser.post_form(edit_path, {"body": "Tavoite: CV ja hakemus."})
    assert edited.status_code == 303
    assert "Tavoite: CV ja hakemus." in coach_browser.get(path).text


def test_the_coach_records_the_outcome_once_the_session_has_begun(
    coach_browser, booked, service_databases
):
    path = f"/kalenteri/varaus/{booked['booking']['id']}"
    move_into_the_past(service_databases["bookings"], booked["booking"]["id"])
    coach_browser.get(path)

    unchosen = coach_browser.post_form(f"{path}/tulos", {})
    recorded = coach_browser.post_form(f"{path}/tulos", {"outcome": "completed"})

    assert unchosen.status_code == 422
    assert 'href="#outcome"' in unchosen.text
    assert recorded.status_code == 303
    shown = coach_browser.get(recorded.headers["Location"])
    assert "Valmennuksen tulos kirjattu." in shown.text
    assert "Toteutunut" in shown.text


def test_another_coachs_booking_and_an_unknown_note_are_404_pages(
    browser, booked, make_coach, setup
):
    other = make_coach()
    browser.log_in(other.username, other.password)
    path = f"/kalenteri/varaus/{booked['booking']['id']}"

    assert browser.get(path).status_code == 404
    own = PageClient(browser.base_url)
    own.log_in(*setup["coach_login"])
    assert own.get(f"{path}/muistiinpanot/{uuid.uuid4()}").status_code == 404


def test_coach_pages_send_others_to_log_in_or_refuse_them(browser, booked, gateway_url):
    anonymous = browser.get("/kalenteri")
    assert anonymous.status_code == 303
    assert anonymous.headers["Location"] == "/kirjaudu?seuraava=/kalenteri"

    coachee = PageClient(gateway_url)
    coachee.log_in(booked["username"], PASSWORD)
    refused = coachee.get(f"/kalenteri/varaus/{booked['booking']['id']}")
    assert refused.status_code == 403
    assert "Sinulla ei ole pääsyä tälle sivulle" in refused.text


def test_a_note_posted_without_the_form_token_is_refused(coach_browser, booked):
    path = f"/kalenteri/varaus/{booked['booking']['id']}"
    coach_browser.get(path)

    answer = coach_browser.post_form(f"{path}/muistiinpanot", {"body": "x"}, token="vaara")

    assert answer.status_code == 403


def test_the_coach_home_and_hours_pages_show_their_own_week(coach_browser, setup):
    home = coach_browser.get("/tyopoyta")
    hours = coach_browser.get("/kalenteri/tyoajat")

    assert home.status_code == 200
    assert "Tämän päivän valmennukset" in home.text
    assert hours.status_code == 200
    assert "maanantai" in hours.text
    assert "8:00" in hours.text or "08:00" in hours.text
