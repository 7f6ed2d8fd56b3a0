"""Every account page passes the WCAG 2.1 AA audit, logged out and logged in, and refused forms
too; each is photographed at 360 and 1280 px."""

import pytest
from playwright.sync_api import expect

from services.contracts.accounts import COACH
from tests.browser.accessibility import assert_accessible
from tests.browser.screenshots import screenshots

PUBLIC_PAGES = {
    "tietosuojaseloste": "/tietosuojaseloste",
    "saavutettavuusseloste": "/saavutettavuusseloste",
    "evasteet": "/evasteet",
    "linkki-lahetetty": "/unohtunut-salasana?lahetetty=1",
    "linkki-ei-toimi": "/unohtunut-salasana/uusi?token=ei-kelpaa",
    "uloskirjautunut": "/kirjaudu-ulos",
    "poisto-pyydetty": "/tietojeni-hallinta/poisto-pyydetty",
}


@pytest.mark.parametrize("name, path", PUBLIC_PAGES.items())
def test_a_public_account_page_passes_the_audit(page, name, path):
    page.goto(path)
    expect(page.locator("h1")).to_have_count(1)
    assert_accessible(page)
    screenshots(page, f"account-{name}")


def test_the_fixed_pages_pass_the_audit_in_swedish_and_english(page):
    for language in ("Svenska", "English"):
        page.goto("/tietosuojaseloste")
        page.get_by_role("button", name=language).click()
        for path in ("/tietosuojaseloste", "/saavutettavuusseloste", "/evasteet"):
            page.goto(path)
            assert_accessible(page)
    screenshots(page, "account-evasteet-en")


def test_a_coachees_own_pages_pass_the_audit_also_when_refused(
    page, context, registered_coachee, api_login_cookies
):
    api_login_cookies(context, registered_coachee.username, registered_coachee.password)
    page.goto("/omat-tiedot")
    assert_accessible(page)
    screenshots(page, "account-omat-tiedot")
    page.get_by_label("Nimi").fill("")
    page.get_by_label("Sähköpostiosoite").fill("ei-osoite")
    page.get_by_role("button", name="Tallenna tiedot").click()
    expect(page.get_by_role("alert")).to_be_visible()
    assert_accessible(page)
    screenshots(page, "account-omat-tiedot-refused")

    page.goto("/omat-tiedot/salasana")
    assert_accessible(page)
    page.get_by_role("button", name="Vaihda salasana").click()
    expect(page.get_by_role("alert")).to_be_visible()
    assert_accessible(page)
    screenshots(page, "account-salasana-refused")

    page.goto("/kirjaudu-ulos")
    expect(page.get_by_role("main").get_by_role("button", name="Kirjaudu ulos")).to_be_visible()
    assert_accessible(page)


def test_a_coach_sees_their_details_read_only(page, context, staff, api_login_cookies):
    coach = staff(COACH)
    api_login_cookies(context, coach.username, coach.password)
    page.goto("/omat-tiedot")

    expect(page.get_by_role("button", name="Tallenna tiedot")).to_have_count(0)
    expect(page.get_by_role("link", name="Vaihda salasana")).to_be_visible()
    assert_accessible(page)
