"""Logging in and out in a browser (R-COOKIE-2): the session cookie's lifetime with and without
"remember me", the logout removing it, a refused login, the keyboard alone and no JavaScript."""

import time

import pytest
from playwright.sync_api import expect

from gateway.cookies import SESSION_COOKIE
from tests.browser.accessibility import assert_accessible
from tests.browser.screenshots import screenshots

DAY = 24 * 3600


def session_cookie(context) -> dict | None:
    return next((c for c in context.cookies() if c["name"] == SESSION_COOKIE), None)


def fill_login(page, username: str, password: str) -> None:
    page.get_by_label("Käyttäjätunnus").fill(username)
    page.get_by_label("Salasana", exact=True).fill(password)


@pytest.mark.parametrize("remember, days", [(False, 2), (True, 14)])
def test_a_login_lasts_two_days_or_two_weeks_and_the_logout_removes_it(
    page, context, registered_coachee, remember, days
):
    page.goto("/omat-tiedot")
    expect(page).to_have_url("/kirjaudu?seuraava=/omat-tiedot")
    fill_login(page, registered_coachee.username, registered_coachee.password)
    if remember:
        page.get_by_label("Muista minut").check()
    page.get_by_role("button", name="Kirjaudu sisään").click()

    expect(page).to_have_url("/omat-tiedot")
    expect(page.get_by_text(registered_coachee.username).first).to_be_visible()
    lifetime = session_cookie(context)["expires"] - time.time()
    assert days * DAY - 120 < lifetime <= days * DAY

    page.get_by_role("button", name="Kirjaudu ulos").click()
    expect(page).to_have_url("/kirjaudu-ulos")
    expect(page.get_by_role("heading", name="Olet kirjautunut ulos")).to_be_visible()
    assert session_cookie(context) is None
    assert_accessible(page)


def test_a_refused_login_says_so_in_general_words_and_passes_the_audit(page, registered_coachee):
    page.goto("/kirjaudu")
    assert_accessible(page)
    screenshots(page, "account-login")
    fill_login(page, registered_coachee.username, "väärin-aivan")
    page.get_by_role("button", name="Kirjaudu sisään").click()

    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Käyttäjätunnus tai salasana on väärin")
    expect(page.get_by_label("Käyttäjätunnus")).to_have_value(registered_coachee.username)
    assert_accessible(page)
    screenshots(page, "account-login-refused")
    page.get_by_role("button", name="Kirjaudu sisään").click()
    expect(page.get_by_role("link", name="Salasana:")).to_be_visible()
    assert_accessible(page)


def focus_by_tab(page, element_id: str, presses: int = 30) -> None:
    for _press in range(presses):
        if page.evaluate("() => document.activeElement && document.activeElement.id") == element_id:
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached #{element_id}")


def test_logging_in_with_the_keyboard_alone(page, registered_coachee):
    page.goto("/kirjaudu?seuraava=/omat-tiedot")

    focus_by_tab(page, "username")
    page.keyboard.type(registered_coachee.username)
    page.keyboard.press("Tab")
    page.keyboard.type(registered_coachee.password)
    page.keyboard.press("Tab")
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")

    expect(page).to_have_url("/omat-tiedot")
    expect(page.get_by_role("heading", name="Omat tiedot")).to_be_visible()


def test_logging_in_works_without_javascript(no_js_page, registered_coachee):
    no_js_page.goto("/kirjaudu?seuraava=/omat-tiedot")
    fill_login(no_js_page, registered_coachee.username, registered_coachee.password)
    no_js_page.get_by_role("button", name="Kirjaudu sisään").click()

    expect(no_js_page).to_have_url("/omat-tiedot")
