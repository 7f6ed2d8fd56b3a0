"""Omat varaukset in Chromium: a photo's location is gone when it comes back, a booking is
cancelled with the keyboard alone and without JavaScript, and each page passes axe and is
photographed at 360 and 1280 px (.run/screenshots/my-bookings-*)."""

import re

import piexif
import pytest
from PIL import Image
from playwright.sync_api import expect

from tests.browser.accessibility import assert_accessible
from tests.browser.screenshots import screenshots
from tests.media import samples

TAB_LIMIT = 80
PHONE_PHOTO = (4000, 3000)
"""12 megapixels, as a phone takes them: some 3 MB as a JPEG of fine noise."""


@pytest.fixture
def booked(coachee, catalogue, api_login_cookies):
    """`booked(context)`: a new coachee with a booking next Tuesday (the harness's `coachee`),
    logged in in `context`; answers the booking."""

    def make(context) -> dict:
        person = coachee(catalogue())
        api_login_cookies(context, person.username, person.password)
        return person.booking

    return make


def tab_to(page, locator) -> None:
    """Moves the keyboard focus with Tab until `locator` has it."""
    for _ in range(TAB_LIMIT):
        page.keyboard.press("Tab")
        if locator.evaluate("element => element === document.activeElement"):
            return
    raise AssertionError(f"Tab never reached {locator}")


def test_a_photo_uploaded_through_the_page_comes_back_without_its_location(page, context, booked):
    booking = booked(context)
    photo = samples.jpeg_with_metadata(image=Image.effect_noise(PHONE_PHOTO, 6).convert("RGB"))
    assert len(photo) > 1024 * 1024, "a phone's photo is larger than a JSON body may be"
    assert piexif.load(photo)["GPS"]
    page.goto(f"/omat-varaukset/{booking['id']}")
    expect(page.get_by_text("Tiedosto saa olla enintään 10 Mt.")).to_be_visible()

    page.get_by_label("Liitettävä tiedosto").set_input_files(
        files=[{"name": "rantakuva.jpg", "mimeType": "image/jpeg", "buffer": photo}]
    )
    page.get_by_role("button", name="Liitä tiedosto").click()

    notice = page.get_by_role("status")
    expect(notice).to_contain_text("Liite rantakuva.jpg on tallennettu.")
    expect(notice).to_contain_text("sijaintitiedot")
    with page.expect_download() as download:
        page.get_by_role("link", name="Lataa rantakuva.jpg").click()
    returned = download.value.path().read_bytes()
    assert piexif.load(returned)["GPS"] == {}
    assert samples.give_aways_in(returned) == []
    assert_accessible(page)
    screenshots(page, "my-bookings-detail-attachment")


def test_a_refused_upload_is_said_at_the_field(page, context, booked):
    booking = booked(context)
    page.goto(f"/omat-varaukset/{booking['id']}")

    page.get_by_label("Liitettävä tiedosto").set_input_files(
        files=[{"name": "ohjelma.pdf", "mimeType": "application/pdf", "buffer": b"MZ" + bytes(62)}]
    )
    page.get_by_role("button", name="Liitä tiedosto").click()

    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Tätä tiedostotyyppiä ei voi liittää")
    expect(page.get_by_label("Liitettävä tiedosto")).to_have_attribute("aria-invalid", "true")
    assert_accessible(page)
    screenshots(page, "my-bookings-detail-refused-upload")


def test_the_list_and_a_booking_pass_axe(page, context, booked):
    booking = booked(context)

    page.goto("/omat-varaukset")
    expect(page.get_by_role("heading", name="Omat varaukset", level=1)).to_be_visible()
    card = page.get_by_role("listitem").filter(has=page.get_by_role("link", name=re.compile("klo")))
    expect(card.first).to_contain_text("Vahvistettu")
    assert_accessible(page)
    screenshots(page, "my-bookings-list")

    page.goto(f"/omat-varaukset/{booking['id']}")
    expect(page.get_by_role("link", name="Peru varaus")).to_be_visible()
    assert_accessible(page)
    screenshots(page, "my-bookings-detail")


def test_a_booking_is_cancelled_with_the_keyboard(page, context, booked):
    booking = booked(context)
    page.goto(f"/omat-varaukset/{booking['id']}")

    tab_to(page, page.get_by_role("link", name="Peru varaus"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Peru varaus", level=1)).to_be_visible()
    assert_accessible(page)
    screenshots(page, "my-bookings-cancel")
    tab_to(page, page.get_by_role("button", name="Kyllä, peru varaus"))
    page.keyboard.press("Enter")

    expect(page.get_by_role("status")).to_have_text("Varaus on peruttu.")
    expect(page.get_by_role("link", name="Peru varaus")).to_have_count(0)


def test_cancelling_works_without_javascript(no_js_page, booked):
    booking = booked(no_js_page.context)
    no_js_page.goto(f"/omat-varaukset/{booking['id']}/peru")

    no_js_page.get_by_role("button", name="Kyllä, peru varaus").click()

    expect(no_js_page.get_by_role("status")).to_have_text("Varaus on peruttu.")


def test_moving_a_booking_through_the_week_picker(page, context, booked):
    booking = booked(context)
    page.goto(f"/omat-varaukset/{booking['id']}")
    page.get_by_role("link", name="Siirrä toiseen aikaan").click()
    expect(page.get_by_role("heading", name="Valitse uusi aika", level=1)).to_be_visible()
    assert_accessible(page)
    screenshots(page, "my-bookings-new-time")

    page.get_by_role("link", name=re.compile("Seuraava viikko")).click()
    expect(page).to_have_url(re.compile(r"viikko="))
    page.locator(".slots button").first.click()
    expect(page.get_by_role("heading", name="Vahvista uusi aika", level=1)).to_be_visible()
    assert_accessible(page)
    screenshots(page, "my-bookings-confirm-new-time")
    page.get_by_role("button", name="Siirrä varaus uuteen aikaan").click()

    expect(page.get_by_role("status")).to_contain_text("Varaus on siirretty uuteen aikaan")
