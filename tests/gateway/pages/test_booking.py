"""The booking journey's pages over real HTTP: each step, the refused form, one booking per
form, a time taken meanwhile, the confirmation and its calendar file."""

import html
import re
from datetime import UTC, date, datetime, timedelta
from urllib.parse import urlencode

import pytest

from gateway.cookies import SESSION_COOKIE
from tests.gateway.booking_api import booking_form, free_slots, next_week_day, set_up_catalogue

PASSWORD = "Syksyinen-Sieniretki-2027"
KEY = re.compile(r'name="avain" value="([^"]+)"')
TIME_BUTTON = re.compile(r'<button type="submit"[^>]* name="starts_at" value="([^"]+)"')


@pytest.fixture
def setup(client, make_admin):
    admin = make_admin()
    return set_up_catalogue(client, client.log_in(admin.username, admin.password).with_bearer())


def choice(setup, **changes) -> dict:
    values = {
        "service_id": setup["service"]["id"],
        "specification_id": setup["service"]["specifications"][0]["id"],
        "delivery_method": "video",
        "viikko": next_week_day(0).isoformat(),
    }
    values.update(changes)
    return {name: value for name, value in values.items() if value is not None}


def times_path(setup, **changes) -> str:
    return f"/varaa/aika?{urlencode(choice(setup, **changes))}"


def form_path(setup, starts_at: str, **changes) -> str:
    return f"/varaa/lomake?{urlencode(choice(setup, starts_at=starts_at, **changes))}"


def personal_details(setup, **changes) -> dict:
    details = {
        "name": "Maija Meikäläinen",
        "email": "maija@example.fi",
        "phone": "040 123 4567",
        "subscriber_id": setup["subscriber"]["id"],
        "member_number": "M-100",
        "password": PASSWORD,
        "message": "Haluan päivittää CV:ni.",
    }
    details.update(changes)
    return details


def hidden_fields(page: str) -> dict:
    """The form's hidden choice and idempotency key, as the browser would send them."""
    found = re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', page)
    return {
        name: html.unescape(value) for name, value in found if name not in ("csrf_token", "paluu")
    }


def open_form(browser, setup, starts_at: str, coach=True) -> dict:
    coach_id = setup["coach"]["id"] if coach else None
    page = browser.get(form_path(setup, starts_at, coach_id=coach_id))
    assert page.status_code == 200, page.text
    return hidden_fields(page.text)


def slot_next_tuesday(client, setup) -> str:
    return free_slots(client, setup, next_week_day(1))[0]["starts_at"]


def test_the_front_page_offers_each_service_with_specifications_and_delivery_methods(
    browser, setup
):
    page = browser.get("/")

    assert page.status_code == 200
    assert "Vaihe 1/4" in page.text
    assert html.escape(setup["service"]["name"]) in page.text
    for specification in setup["service"]["specifications"]:
        assert f'value="{specification["id"]}"' in page.text
    assert "Videoyhteys" in page.text and "Puhelin" in page.text
    assert 'action="/varaa/aika"' in page.text


def test_the_time_picker_shows_a_weeks_free_times_each_linking_to_the_form(browser, client, setup):
    page = browser.get(times_path(setup))

    assert page.status_code == 200
    assert "Vaihe 2/4" in page.text
    assert 'action="/varaa/lomake"' in page.text
    assert hidden_fields(page.text) == choice(setup)
    starts = {html.unescape(value) for value in TIME_BUTTON.findall(page.text)}
    tuesday = {slot["starts_at"] for slot in free_slots(client, setup, next_week_day(1))}
    assert tuesday <= starts
    assert {datetime.fromisoformat(start).isoweekday() for start in starts} <= set(range(1, 6))
    assert 'id="aiempi-viikko"' in page.text and 'id="seuraava-viikko"' in page.text
    assert "Kaisa Valmentaja" in page.text


def test_htmx_gets_only_the_times_region(browser, setup):
    region = browser.get(times_path(setup), headers={"HX-Request": "true"})

    assert region.status_code == 200
    assert region.headers["Content-Encoding"] == "gzip"
    assert "<html" not in region.text
    assert 'id="viikko-otsikko"' in region.text
    assert TIME_BUTTON.search(region.text)


def test_no_week_before_this_one_is_shown(browser, setup):
    page = browser.get(times_path(setup, viikko="2020-01-06"))

    assert page.status_code == 200
    assert 'id="aiempi-viikko"' not in page.text
    monday = date.today() - timedelta(days=date.today().weekday())
    assert f"viikko={(monday + timedelta(weeks=1)).isoformat()}" in page.text


def test_a_week_without_free_times_says_so_and_links_the_next(browser, setup):
    page = browser.get(times_path(setup, viikko=(date.today() + timedelta(days=400)).isoformat()))

    assert page.status_code == 200
    assert "Tällä viikolla ei ole vapaita aikoja." in page.text


def test_a_time_picker_without_a_specification_is_the_first_step_again_with_the_error(
    browser, setup
):
    page = browser.get(times_path(setup, specification_id=None))

    assert page.status_code == 422
    assert "Vaihe 1/4" in page.text
    assert 'class="error-summary"' in page.text
    assert re.search(r'href="#palvelu-\d+-specification_id"', page.text)


def test_the_form_summarises_the_time_and_asks_for_the_subscribers_identifier(
    browser, client, setup
):
    starts_at = slot_next_tuesday(client, setup)

    page = browser.get(form_path(setup, starts_at, coach_id=setup["coach"]["id"]))

    assert page.status_code == 200
    assert "Vaihe 3/4" in page.text
    assert KEY.search(page.text)
    assert html.escape(setup["subscriber"]["name"]) in page.text
    assert 'id="member_number-label"' in page.text
    assert 'href="/tietosuojaseloste"' in page.text
    assert 'autocomplete="new-password"' in page.text
    assert "Vähintään 8 ja enintään 128 merkkiä" in page.text


def test_a_refused_form_is_422_with_an_error_summary_linking_its_fields(browser, client, setup):
    starts_at = slot_next_tuesday(client, setup)
    hidden = open_form(browser, setup, starts_at)

    details = personal_details(setup, email="ei-osoite", name="", password="lyhyt")
    answer = browser.post_form("/varaa/lomake", {**hidden, **details})

    assert answer.status_code == 422
    for field in ("name", "email", "password"):
        assert f'href="#{field}"' in answer.text
        assert f'id="{field}-error"' in answer.text
    assert 'value="ei-osoite"' in answer.text
    assert PASSWORD not in answer.text and 'value="lyhyt"' not in answer.text
    assert KEY.search(answer.text).group(1) == hidden["avain"]
    back = re.search(r'name="paluu" value="([^"]+)"', answer.text).group(1)
    assert html.unescape(back).startswith("/varaa/lomake?service_id=")


def test_a_personal_identity_code_is_refused_at_its_field_and_nothing_is_booked(
    browser, client, setup
):
    starts_at = slot_next_tuesday(client, setup)
    hidden = open_form(browser, setup, starts_at)

    details = personal_details(setup, member_number="131052-308T")
    answer = browser.post_form("/varaa/lomake", {**hidden, **details})

    assert answer.status_code == 422
    assert 'href="#member_number"' in answer.text
    error = re.search(r'id="member_number-error">(.*?)</p>', answer.text, re.S).group(1)
    assert "henkilötunnus" in error
    assert "131052-308T" not in answer.text
    assert SESSION_COOKIE not in browser.cookies
    assert starts_at in {slot["starts_at"] for slot in free_slots(client, setup, next_week_day(1))}


def test_a_member_the_subscriber_does_not_know_is_refused_at_the_identifier(browser, client, setup):
    starts_at = slot_next_tuesday(client, setup)
    hidden = open_form(browser, setup, starts_at)

    details = personal_details(setup, member_number="M-999")
    answer = browser.post_form("/varaa/lomake", {**hidden, **details})

    assert answer.status_code == 422
    assert 'href="#member_number"' in answer.text
    assert "Tilaaja ei tunnistanut tätä tunnistetta." in answer.text
    assert SESSION_COOKIE not in browser.cookies


def test_a_time_picker_for_a_delivery_method_the_service_lacks_is_the_first_step_again(
    browser, client, make_admin
):
    admin = make_admin()
    headers = client.log_in(admin.username, admin.password).with_bearer()
    service = client.request(
        "POST",
        "/api/services",
        headers=headers,
        json={
            "name": "Puhelinohjaus",
            "duration_minutes": 30,
            "specifications": ["CV"],
            "delivery_methods": ["phone"],
        },
    ).json()
    setup = {"service": service}

    page = browser.get(times_path(setup))

    assert page.status_code == 422
    assert re.search(r'href="#palvelu-\d+-delivery_method">[^<]+</a>', page.text)


def test_a_first_booking_logs_in_and_shows_the_username_and_a_calendar_file(browser, client, setup):
    starts_at = slot_next_tuesday(client, setup)
    hidden = open_form(browser, setup, starts_at)

    answer = browser.post_form("/varaa/lomake", {**hidden, **personal_details(setup)})

    assert answer.status_code == 303, answer.text
    location = answer.headers["Location"]
    assert re.fullmatch(r"/varaa/valmis/[0-9a-f-]{36}\?uusi=1", location)
    assert SESSION_COOKIE in browser.cookies
    done = browser.get(location)
    assert done.status_code == 200
    assert "Vaihe 4/4" in done.text and "Kirjoita tämä muistiin." in done.text
    username = re.search(r'<p class="highlight">([^<]+)</p>', done.text).group(1)
    assert client.log_in(username, PASSWORD)
    booking_id = location.split("/")[-1].split("?")[0]
    calendar = browser.get(f"/varaukset/{booking_id}/kalenteri.ics")
    assert calendar.status_code == 200
    assert calendar.headers["Content-Type"].startswith("text/calendar")
    text = calendar.text
    assert f"UID:{booking_id}@" in text
    assert f"DTSTART:{datetime.fromisoformat(starts_at).astimezone(UTC):%Y%m%dT%H%M%SZ}" in text
    assert "DTEND:" in text and "SUMMARY:" in text and text.endswith("END:VCALENDAR\r\n")
    for personal in ("Maija", "maija@example.fi", "M-100", "CV", "+358"):
        assert personal not in text


def test_the_same_form_sent_twice_books_once(browser, client, setup):
    starts_at = slot_next_tuesday(client, setup)
    hidden = open_form(browser, setup, starts_at, coach=False)
    form = {**hidden, **personal_details(setup)}
    token = browser.form_token
    cookies = dict(browser.cookies)

    first = browser.post_form("/varaa/lomake", form, token=token)
    browser.cookies = dict(cookies)
    second = browser.post_form("/varaa/lomake", form, token=token)

    assert first.status_code == second.status_code == 303
    assert first.headers["Location"] == second.headers["Location"]
    username_page = browser.get(second.headers["Location"])
    username = re.search(r'<p class="highlight">([^<]+)</p>', username_page.text).group(1)
    coachee = client.log_in(username, PASSWORD)
    own = client.request("GET", "/api/bookings", headers=coachee.with_bearer()).json()["items"]
    assert len(own) == 1


def test_a_time_taken_meanwhile_sends_back_to_the_times_with_a_message(browser, client, setup):
    starts_at = slot_next_tuesday(client, setup)
    hidden = open_form(browser, setup, starts_at)
    taken = client.request("POST", "/api/bookings", json=booking_form(setup, starts_at))
    assert taken.status_code == 201, taken.text

    answer = browser.post_form("/varaa/lomake", {**hidden, **personal_details(setup)})

    assert answer.status_code == 303
    location = answer.headers["Location"]
    assert location.startswith("/varaa/aika?") and "varattu=1" in location
    assert f"viikko={next_week_day(0).isoformat()}" in location
    assert f"coach_id={setup['coach']['id']}" in location
    back = browser.get(location)
    assert "Aika ehdittiin varata" in back.text
    assert SESSION_COOKIE not in browser.cookies


def test_a_logged_in_coachee_books_with_a_message_only(browser, client, setup):
    first = client.request(
        "POST", "/api/bookings", json=booking_form(setup, slot_next_tuesday(client, setup))
    )
    username = first.json()["username"]
    browser.log_in(username, "kesäinen-aamu-2027")
    starts_at = free_slots(client, setup, next_week_day(2))[0]["starts_at"]

    page = browser.get(form_path(setup, starts_at, coach_id=setup["coach"]["id"]))
    assert page.status_code == 200
    assert 'id="name"' not in page.text and 'id="message"' in page.text
    answer = browser.post_form("/varaa/lomake", {**hidden_fields(page.text), "message": "Hei"})

    assert answer.status_code == 303, answer.text
    assert "uusi=1" not in answer.headers["Location"]
    assert browser.get(answer.headers["Location"]).status_code == 200
    again = browser.get(form_path(setup, starts_at, coach_id=setup["coach"]["id"]))
    assert "Olet jo varannut tämän ajan." in again.text


def test_the_confirmation_and_calendar_file_are_only_the_bookings_coachees(browser, client, setup):
    created = client.request(
        "POST", "/api/bookings", json=booking_form(setup, slot_next_tuesday(client, setup))
    )
    booking_id = created.json()["booking"]["id"]

    anonymous = browser.get(f"/varaukset/{booking_id}/kalenteri.ics")
    assert anonymous.status_code == 303
    assert anonymous.headers["Location"].startswith("/kirjaudu?seuraava=")

    other = client.request(
        "POST",
        "/api/bookings",
        json=booking_form(setup, free_slots(client, setup, next_week_day(3))[0]["starts_at"]),
    )
    browser.log_in(other.json()["username"], "kesäinen-aamu-2027")
    assert browser.get(f"/varaukset/{booking_id}/kalenteri.ics").status_code == 404
    assert browser.get(f"/varaa/valmis/{booking_id}").status_code == 404
