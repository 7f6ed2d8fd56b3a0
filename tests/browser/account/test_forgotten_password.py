"""A forgotten password end to end: the form, the mail in the SMTP sink, its link, the new
password, and logging in with it; a used link says so."""

from playwright.sync_api import expect

from tests.browser.accessibility import assert_accessible
from tests.browser.screenshots import screenshots

NEW_PASSWORD = "Talvinen-Ilta-Teetä-2028"


def test_a_forgotten_password_is_replaced_through_the_mailed_link(
    page, registered_coachee, mailbox
):
    page.goto("/kirjaudu")
    page.get_by_role("link", name="Unohditko salasanasi?").click()
    assert_accessible(page)
    screenshots(page, "account-forgotten-password")
    page.get_by_label("Käyttäjätunnus tai sähköpostiosoite").fill(registered_coachee.email)
    page.get_by_role("button", name="Lähetä linkki").click()
    expect(page.get_by_role("heading", name="Katso sähköpostisi")).to_be_visible()
    assert_accessible(page)

    link = mailbox.link(mailbox.wait_for_mail(registered_coachee.email), "/unohtunut-salasana/uusi")
    page.goto(link)
    expect(page.get_by_role("heading", name="Valitse uusi salasana")).to_be_visible()
    page.get_by_label("Uusi salasana", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Uusi salasana uudelleen").fill(NEW_PASSWORD + "!")
    page.get_by_role("button", name="Tallenna uusi salasana").click()
    expect(page.get_by_role("alert")).to_contain_text("Salasanat eivät ole samat")
    assert_accessible(page)
    screenshots(page, "account-new-password-refused")
    page.get_by_label("Uusi salasana", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Uusi salasana uudelleen").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Tallenna uusi salasana").click()

    expect(page.get_by_role("status")).to_contain_text("Salasanasi on vaihdettu")
    page.get_by_label("Käyttäjätunnus").fill(registered_coachee.username)
    page.get_by_label("Salasana", exact=True).fill(NEW_PASSWORD)
    page.get_by_role("button", name="Kirjaudu sisään").click()
    expect(page).to_have_url("/")
    page.goto("/omat-tiedot")
    expect(page.get_by_role("heading", name="Omat tiedot")).to_be_visible()

    page.goto(link)
    expect(page.get_by_role("heading", name="Linkki ei enää toimi")).to_be_visible()
    assert_accessible(page)
    screenshots(page, "account-reset-link-used")
