"""The booking journey in a real browser: by keyboard only in Finnish, Swedish and English, with
JavaScript off, audited with axe on every step (the refused form too), with screenshots."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.accessibility import assert_accessible
from tests.browser.screenshots import screenshots
from tests.gateway.api_client import ApiClient, unique

PASSWORD = "Syksyinen-Sieniretki-2027"
IDENTITY_CODE = "131052-308T"
TAB_LIMIT = 400
WORDS = {
    "fi": {
        "services": "Varaa aika: valitse palvelu",
        "times": "Valitse aika",
        "form": "Varauslomake",
        "done": "Varaus vahvistettu",
        "next_week": "Seuraava viikko",
        "book": "Varaa aika",
        "refused": "Tarkista lomakkeen tiedot",
    },
    "sv": {
        "services": "Boka tid: välj tjänst",
        "times": "Välj tid",
        "form": "Bokningsformulär",
        "done": "Bokningen är bekräftad",
        "next_week": "Nästa vecka",
        "book": "Boka tid",
        "refused": "Kontrollera uppgifterna i formuläret",
    },
    "en": {
        "services": "Book a session: choose a service",
        "times": "Choose a time",
        "form": "Booking form",
        "done": "Booking confirmed",
        "next_week": "Next week",
        "book": "Book a session",
        "refused": "Check the form",
    },
}
LANGUAGE_NAMES = {"sv": "Svenska", "en": "English"}


def tab_to(page, target) -> None:
    """Tab (only the keyboard) until `target` has the focus."""
    for _ in range(TAB_LIMIT):
        page.keyboard.press("Tab")
        if target.evaluate("element => element === document.activeElement"):
            return
    raise AssertionError(f"{target} never got the focus by Tab")


def type_into(page, field, text: str) -> None:
    tab_to(page, field)
    page.keyboard.type(text)


def service_section(page, setup):
    return page.locator(
        "section.card", has=page.get_by_role("heading", name=setup["service"]["name"])
    )


def choose_service_by_keyboard(page, setup, words) -> None:
    expect(page.locator("h1")).to_have_text(words["services"])
    section = service_section(page, setup)
    tab_to(page, section.locator("input[name=specification_id]").first)
    page.keyboard.press("Space")
    tab_to(page, section.locator("input[name=delivery_method]").first)
    page.keyboard.press("Space")
    tab_to(page, section.get_by_role("button"))
    page.keyboard.press("Enter")


def next_week_by_keyboard(page, words) -> None:
    """htmx swaps the times in; the address follows, and the focus stays on the link."""
    expect(page.locator("h1")).to_have_text(words["times"])
    week = page.locator("#viikko-otsikko")
    shown = week.inner_text()
    tab_to(page, page.locator("#seuraava-viikko"))
    page.keyboard.press("Enter")
    expect(week).not_to_have_text(shown)
    expect(page).to_have_url(re.compile(r"viikko="))
    expect(page.locator("#seuraava-viikko")).to_be_focused()


def choose_time_by_keyboard(page) -> None:
    tab_to(page, page.locator("#ajat button[name=starts_at]").first)
    page.keyboard.press("Enter")


def fill_form_by_keyboard(page, setup, member_number: str) -> None:
    type_into(page, page.locator("#name"), "Maija Meikäläinen")
    type_into(page, page.locator("#email"), f"{unique('maija')}@example.fi")
    type_into(page, page.locator("#phone"), "040 123 4567")
    subscriber = page.locator("#subscriber_id")
    tab_to(page, subscriber)
    page.keyboard.type(setup["subscriber"]["name"])
    expect(subscriber).to_have_value(setup["subscriber"]["id"])
    expect(page.locator("#member_number-label")).to_have_text("Jäsennumero")
    type_into(page, page.locator("#member_number"), member_number)
    type_into(page, page.locator("#password"), PASSWORD)
    type_into(page, page.locator("#message"), "Haluan päivittää CV:ni.")


def send_form_by_keyboard(page, words) -> None:
    tab_to(page, page.get_by_role("button", name=words["book"], exact=True))
    page.keyboard.press("Enter")


def journey_by_keyboard(page, setup, language: str, at_each_step) -> None:
    """From the front page to the confirmation; `at_each_step(page, name)` on each page and on
    the refused form (a personal identity code as the member number)."""
    words = WORDS[language]
    at_each_step(page, "booking-1-services")
    choose_service_by_keyboard(page, setup, words)
    next_week_by_keyboard(page, words)
    at_each_step(page, "booking-2-times")
    choose_time_by_keyboard(page)
    expect(page.locator("h1")).to_have_text(words["form"])
    at_each_step(page, "booking-3-form")
    fill_form_by_keyboard(page, setup, IDENTITY_CODE)
    send_form_by_keyboard(page, words)
    summary = page.locator(".error-summary")
    expect(summary).to_contain_text(words["refused"])
    expect(page.locator("#member_number")).to_have_value("")
    expect(page.locator("#member_number")).to_have_attribute("aria-invalid", "true")
    at_each_step(page, "booking-3-form-refused")
    tab_to(page, summary.locator("a[href='#member_number']"))
    page.keyboard.press("Enter")
    expect(page.locator("#member_number")).to_be_focused()
    page.keyboard.type("M-100")
    type_into(page, page.locator("#password"), PASSWORD)
    send_form_by_keyboard(page, words)
    expect(page.locator("h1")).to_have_text(words["done"])
    expect(page.locator(".highlight")).to_have_text(re.compile(r"\S+"))
    at_each_step(page, "booking-4-done")


def audited(page, name: str) -> None:
    assert_accessible(page)


def audited_and_seen(page, name: str) -> None:
    assert_accessible(page)
    screenshots(page, name)


def test_the_whole_journey_by_keyboard_in_finnish(page, catalogue):
    setup = catalogue()
    page.goto("/")
    journey_by_keyboard(page, setup, "fi", audited_and_seen)
    expect(page.locator(".notice--success")).to_contain_text("Kirjoita tämä muistiin.")
    calendar_link = page.get_by_role("link", name="Lisää kalenteriin")
    tab_to(page, calendar_link)
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    text = Path(download.value.path()).read_text(encoding="utf-8")
    assert "BEGIN:VEVENT" in text and re.search(r"DTSTART:\d{8}T\d{6}Z", text)
    assert "Maija" not in text


@pytest.mark.parametrize("language", ["sv", "en"])
def test_the_journey_by_keyboard_after_choosing_a_language(page, catalogue, language):
    setup = catalogue()
    page.goto("/")
    tab_to(page, page.get_by_role("button", name=LANGUAGE_NAMES[language]))
    page.keyboard.press("Enter")
    expect(page.locator("html")).to_have_attribute("lang", language)
    page.reload()
    expect(page.locator("html")).to_have_attribute("lang", language)
    journey_by_keyboard(page, setup, language, audited)


def test_the_journey_without_javascript(no_js_page, catalogue, admin):
    """The subscriber calls its members' identifier something else: the hint lists each
    subscriber's label until one is chosen, then the field has that label."""
    page, setup = no_js_page, catalogue()
    subscriber = setup["subscriber"]
    renamed = admin.api.request(
        "PATCH",
        f"/api/subscribers/{subscriber['id']}",
        json={"identifier_label": "Henkilöstönumero"},
    )
    assert renamed.status_code == 200, renamed.text
    page.goto("/")
    section = service_section(page, setup)
    section.get_by_label("Urasuunnittelu").check()
    section.get_by_label("Puhelin").check()
    section.get_by_role("button").click()
    expect(page.locator("h1")).to_have_text("Valitse aika")
    page.locator("#seuraava-viikko").click()
    expect(page).to_have_url(re.compile(r"viikko="))
    expect(page.locator("h1")).to_have_text("Valitse aika")
    page.locator("#coach_id").select_option(setup["coach"]["id"])
    page.get_by_role("button", name="Näytä valmentajan ajat").click()
    expect(page.locator("#coach_id")).to_have_value(setup["coach"]["id"])
    page.locator("#ajat button[name=starts_at]").first.click()
    expect(page.locator("h1")).to_have_text("Varauslomake")
    expect(page.locator("dl.facts")).to_contain_text("Kaisa Valmentaja")
    expect(page.locator("#member_number-hint")).to_contain_text(
        f"{subscriber['name']}: Henkilöstönumero"
    )
    page.locator("#name").fill("Matti Meikäläinen")
    page.locator("#email").fill("ei-osoite")
    page.locator("#phone").fill("040 123 4567")
    page.locator("#subscriber_id").select_option(setup["subscriber"]["id"])
    page.locator("#member_number").fill("M-200")
    page.locator("#password").fill(PASSWORD)
    page.get_by_role("button", name="Varaa aika", exact=True).click()
    expect(page.locator(".error-summary a[href='#email']")).to_be_visible()
    expect(page.locator("#member_number-label")).to_have_text("Henkilöstönumero")
    page.locator("#email").fill(f"{unique('matti')}@example.fi")
    page.locator("#password").fill(PASSWORD)
    page.get_by_role("button", name="Varaa aika", exact=True).click()
    expect(page.locator("h1")).to_have_text("Varaus vahvistettu")
    expect(page.locator("dl.facts")).to_contain_text("Urasuunnittelu")
    expect(page.locator("dl.facts")).to_contain_text("Puhelin")


def test_a_double_click_and_going_back_book_once(page, catalogue, site):
    """Back on the form, the coachee (logged in by the booking) is told the time is theirs
    already, so there is no form to send again. (Chromium sends one post for a double click;
    the same form posted twice is tests/gateway/pages/test_booking.py's.)"""
    setup = catalogue()
    page.goto("/")
    section = service_section(page, setup)
    section.get_by_label("Työnhaku").check()
    section.get_by_label("Videoyhteys").check()
    section.get_by_role("button").click()
    page.locator("#seuraava-viikko").click()
    expect(page).to_have_url(re.compile(r"viikko="))
    page.locator("#ajat button[name=starts_at]").first.click()
    page.locator("#name").fill("Maija Meikäläinen")
    page.locator("#email").fill(f"{unique('maija')}@example.fi")
    page.locator("#phone").fill("040 123 4567")
    page.locator("#subscriber_id").select_option(setup["subscriber"]["id"])
    page.locator("#member_number").fill("M-100")
    page.locator("#password").fill(PASSWORD)

    page.get_by_role("button", name="Varaa aika", exact=True).dblclick()

    expect(page.locator("h1")).to_have_text("Varaus vahvistettu")
    username = page.locator(".highlight").inner_text()
    page.go_back()
    expect(page.locator(".notice--success")).to_contain_text("Olet jo varannut tämän ajan.")
    with ApiClient(site.url) as client:
        coachee = client.log_in(username, PASSWORD)
        own = client.request("GET", "/api/bookings", headers=coachee.with_bearer())
    assert len(own.json()["items"]) == 1


def test_pages_and_htmx_times_come_gzipped_each_with_a_fresh_form_token(page, catalogue):
    """Compression and masked form tokens as Chromium meets them: the language switch posts the
    token of a page whose times htmx has swapped since."""
    setup = catalogue()
    front = page.goto("/")
    assert front.all_headers()["content-encoding"] == "gzip"
    front_token = page.locator("input[name=csrf_token]").first.get_attribute("value")
    section = service_section(page, setup)
    section.get_by_label("Työnhaku").check()
    section.get_by_label("Videoyhteys").check()
    section.get_by_role("button").click()
    expect(page.locator("h1")).to_have_text("Valitse aika")
    assert page.locator("input[name=csrf_token]").first.get_attribute("value") != front_token

    with page.expect_response(re.compile(r"viikko=")) as week:
        page.locator("#seuraava-viikko").click()
    assert week.value.request.all_headers().get("hx-request") == "true"
    assert week.value.all_headers()["content-encoding"] == "gzip"
    expect(page).to_have_url(re.compile(r"viikko="))
    page.get_by_role("button", name="English").click()

    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_have_text("Choose a time")
