"""A coachee's own bookings as pages, over real HTTP with every service on the test's clock:
the list, a booking, cancelling and moving it within the notice, attachments and feedback."""

import re
from datetime import datetime

import pytest

from services.infra.clock import HELSINKI, SettableClock
from tests.gateway.booking_api import PASSWORD, booking_form, set_up_catalogue
from tests.gateway.conftest import start_every_service, start_gateway
from tests.gateway.pages.page_client import PageClient
from tests.media import samples

MONDAY = datetime(2027, 3, 1, 8, 0, tzinfo=HELSINKI)
TUESDAY_9 = "2027-03-02T09:00:00+02:00"
WEDNESDAY_9 = "2027-03-03T09:00:00+02:00"
WEDNESDAY_13 = "2027-03-03T13:00:00+02:00"
TOO_LATE = datetime(2027, 3, 1, 10, 0, tzinfo=HELSINKI)
AFTER_TUESDAY = datetime(2027, 3, 2, 12, 0, tzinfo=HELSINKI)
PROGRAM = b"MZ\x90\x00" + bytes(60)


@pytest.fixture
def clock():
    return SettableClock(MONDAY)


@pytest.fixture
def service_containers(container_factory, service_config, clock):
    return start_every_service(container_factory, service_config, clock)


@pytest.fixture
def gateway_url(container_factory, base_config, s3_config, clock):
    """The gateway on the test's clock, with the storage attachments need."""
    return start_gateway(container_factory, base_config, clock, **s3_config)


@pytest.fixture
def world(client, make_admin, gateway_url):
    """Two coachees with a booking each next Tuesday and Wednesday, and the coach."""
    admin_person = make_admin()
    admin = client.log_in(admin_person.username, admin_person.password)
    setup = set_up_catalogue(client, admin.with_bearer())
    people = {}
    for name, starts_at in (("maija", TUESDAY_9), ("other", WEDNESDAY_9)):
        created = client.request("POST", "/api/bookings", json=booking_form(setup, starts_at))
        assert created.status_code == 201, created.text
        body = created.json()
        page_client = PageClient(gateway_url)
        page_client.log_in(body["username"], PASSWORD)
        people[name] = (body["booking"], page_client)
    coach = PageClient(gateway_url)
    coach.log_in(*setup["coach_login"])
    return {"setup": setup, "coach": coach, **people}


def booking_path(world, who="maija") -> str:
    return f"/omat-varaukset/{world[who][0]['id']}"


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_list_shows_the_bookings_state_service_time_and_coach(world):
    booking, browser = world["maija"]

    answer = browser.get("/omat-varaukset")

    assert answer.status_code == 200
    page = text_of(answer.text)
    assert "Tulevat varaukset" in page
    assert "ti 2.3.2027 klo 9.00" in page
    assert world["setup"]["service"]["name"] in page
    assert "Kaisa Valmentaja" in page
    assert "Vahvistettu" in page
    assert f'href="/omat-varaukset/{booking["id"]}"' in answer.text
    assert world["other"][0]["id"] not in answer.text


def test_the_booking_says_what_can_still_be_done(world):
    booking, browser = world["maija"]

    answer = browser.get(booking_path(world))

    page = text_of(answer.text)
    assert answer.status_code == 200
    assert "Voit perua tai siirtää varauksen ma 1.3.2027 klo 9.00 asti." in page
    assert "Tiedosto saa olla enintään 10 Mt." in page
    assert "JPG, JPEG" in page and "DOCX" in page
    assert f'href="/varaukset/{booking["id"]}/kalenteri.ics"' in answer.text
    assert 'enctype="multipart/form-data"' in answer.text
    assert "Palaute" not in page


def test_cancelling_asks_first_then_cancels(world):
    _booking, browser = world["maija"]
    path = booking_path(world)

    asked = browser.get(f"{path}/peru")
    cancelled = browser.post_form(f"{path}/peru", {})
    shown = browser.get(path)

    assert asked.status_code == 200
    assert "Haluatko varmasti perua" in asked.text
    assert cancelled.status_code == 303
    assert cancelled.headers["Location"] == f"{path}?peruttu=1"
    page = text_of(browser.get(f"{path}?peruttu=1").text)
    assert "Varaus on peruttu." in page
    assert "Peruttu" in text_of(shown.text)
    assert f"{path}/peru" not in shown.text


def test_after_the_notice_the_rule_is_said_and_cancelling_is_refused(world, clock):
    _booking, browser = world["maija"]
    path = booking_path(world)
    clock.set(TOO_LATE)

    shown = browser.get(path)
    refused = browser.post_form(f"{path}/peru", {})

    page = text_of(shown.text)
    assert "Varausta ei voi enää perua eikä siirtää verkossa" in page
    assert "24 tuntia ennen alkua, eli ma 1.3.2027 klo 9.00 asti" in page
    assert f'href="{path}/peru"' not in shown.text
    assert refused.status_code == 409
    assert refused.headers["Content-Type"].startswith("text/html")
    assert "Tarkista lomakkeen tiedot" in refused.text


def test_moving_through_the_journeys_week_picker_and_a_confirmation(world):
    _booking, browser = world["maija"]
    path = booking_path(world)

    picker = browser.get(f"{path}/uusi-aika")
    assert f'action="{path}/uusi-aika/vahvista"' in picker.text
    chosen = re.search(r'name="starts_at" value="([^"]+)"', picker.text).group(1)
    confirmation = browser.get(f"{path}/uusi-aika/vahvista", params={"starts_at": chosen})
    nothing_chosen = browser.post_form(f"{path}/uusi-aika", {})
    moved = browser.post_form(f"{path}/uusi-aika", {"starts_at": WEDNESDAY_13})
    shown = browser.get(moved.headers["Location"])

    assert picker.status_code == 200
    assert "Vapaat ajat 1.3.2027–7.3.2027" in text_of(picker.text)
    assert confirmation.status_code == 200
    assert "Vahvista uusi aika" in confirmation.text
    assert nothing_chosen.status_code == 422
    assert "Valitse uusi aika vapaiden aikojen joukosta." in text_of(nothing_chosen.text)
    assert moved.status_code == 303
    assert "Varaus on siirretty uuteen aikaan: ke 3.3.2027 klo 13.00." in text_of(shown.text)


def test_a_time_taken_meanwhile_is_refused_with_the_picker(world):
    _booking, browser = world["maija"]
    path = booking_path(world)
    browser.get(f"{path}/uusi-aika")

    taken = browser.post_form(f"{path}/uusi-aika", {"starts_at": WEDNESDAY_9})

    assert taken.status_code == 422
    assert "Valitsemasi aika ei ole enää vapaana." in text_of(taken.text)


def test_an_upload_is_refused_with_the_form_or_saved_and_said_what_was_removed(world):
    _booking, browser = world["maija"]
    path = booking_path(world)
    browser.get(path)

    refused = browser.post_form(
        f"{path}/liitteet", {}, files={"file": ("ohjelma.jpg", PROGRAM, "image/jpeg")}
    )
    saved = browser.post_form(
        f"{path}/liitteet", {}, files={"file": ("kuva.jpg", samples.jpeg_with_metadata(), "")}
    )
    shown = browser.get(saved.headers["Location"])

    assert refused.status_code == 422
    assert 'href="#file"' in refused.text
    assert 'aria-invalid="true"' in refused.text
    assert "Tätä tiedostotyyppiä ei voi liittää" in text_of(refused.text)
    assert saved.status_code == 303
    page = text_of(shown.text)
    assert "Liite kuva.jpg on tallennettu." in page
    assert "sijaintitiedot" in page
    download = re.search(r'href="(/api/attachments/[^"]+)"', shown.text).group(1)
    assert browser.get(download).status_code == 200
    attachment_id = download.rsplit("/", 1)[1]
    removed = browser.post_form(f"{path}/liitteet/{attachment_id}/poista", {})
    assert removed.status_code == 303
    assert "Varaukseen ei ole liitetty tiedostoja." in text_of(browser.get(path).text)


def test_feedback_on_a_completed_session(world, clock):
    booking, browser = world["maija"]
    path = booking_path(world)
    clock.set(AFTER_TUESDAY)
    completed = world["coach"].request(
        "POST",
        f"/api/bookings/{booking['id']}/outcome",
        json={"outcome": "completed"},
        headers={"X-CSRF-Token": csrf_of(world["coach"])},
    )
    assert completed.status_code == 200, completed.text
    browser.get(path)

    without_rating = browser.post_form(f"{path}/palaute", {"comment": "Hyvä"})
    given = browser.post_form(f"{path}/palaute", {"rating": "5", "comment": "Hyvä"})
    shown = browser.get(given.headers["Location"])

    assert without_rating.status_code == 422
    assert 'href="#rating"' in without_rating.text
    assert given.status_code == 303
    page = text_of(shown.text)
    assert "Kiitos palautteestasi!" in page
    assert "Toteutunut" in page
    assert 'value="5" checked' in shown.text


def csrf_of(page_client: PageClient) -> str:
    answer = page_client.get("/api/session")
    return answer.json()["csrf_token"]


def test_another_persons_booking_is_a_404_page(world):
    _booking, browser = world["maija"]

    answer = browser.get(booking_path(world, "other"))
    cancel = browser.get(f"{booking_path(world, 'other')}/peru")

    assert answer.status_code == 404
    assert answer.headers["Content-Type"].startswith("text/html")
    assert cancel.status_code == 404


def test_staff_get_403_and_visitors_are_sent_to_log_in(world, gateway_url):
    stranger = PageClient(gateway_url)

    staff = world["coach"].get("/omat-varaukset")
    visitor = stranger.get(booking_path(world))

    assert staff.status_code == 403
    assert staff.headers["Content-Type"].startswith("text/html")
    assert visitor.status_code == 303
    assert visitor.headers["Location"] == f"/kirjaudu?seuraava={booking_path(world)}"


def test_a_large_photo_is_accepted_and_one_over_the_limit_said_too_large(world):
    _booking, browser = world["maija"]
    path = booking_path(world)
    browser.get(path)
    large = samples.jpeg_with_metadata() + bytes(3 * 1024 * 1024)

    saved = browser.post_form(
        f"{path}/liitteet", {}, files={"file": ("iso.jpg", large, "image/jpeg")}
    )
    too_large = browser.post_form(
        f"{path}/liitteet", {}, files={"file": ("liian-iso.jpg", bytes(11 * 1024 * 1024), "")}
    )

    assert saved.status_code == 303, saved.text
    assert too_large.status_code == 422
    assert "Tiedosto on liian suuri" in text_of(too_large.text)
