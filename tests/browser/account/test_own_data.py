"""Tietojeni hallinta in a browser: an export asked for with the password, followed until its
file can be downloaded; the erasure's facts shown before it is asked for."""

from playwright.sync_api import expect

from tests.browser.accessibility import assert_accessible
from tests.browser.screenshots import screenshots


def test_a_coachee_asks_for_an_export_and_downloads_it(
    page, context, registered_coachee, api_login_cookies
):
    api_login_cookies(context, registered_coachee.username, registered_coachee.password)
    page.goto("/tietojeni-hallinta")
    expect(page.get_by_text("kirjanpitolaki (1336/1997, 2 luvun 10 §)")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Salasana viennin vahvistamiseksi").fill("väärin-aivan")
    page.get_by_role("button", name="Pyydä tietojeni vienti").click()
    expect(page.get_by_role("alert")).to_contain_text("Salasana on väärin")
    assert_accessible(page)
    page.get_by_label("Salasana viennin vahvistamiseksi").fill(registered_coachee.password)
    page.get_by_role("button", name="Pyydä tietojeni vienti").click()
    expect(page.get_by_role("status")).to_contain_text("Vientipyyntösi on vastaanotettu")

    download = page.get_by_role("link", name="Lataa tiedosto")
    expect(download).to_be_visible(timeout=60_000)
    answer = page.request.get(download.get_attribute("href"))
    assert answer.status == 200
    assert answer.headers["content-type"] == "application/zip"
    assert_accessible(page)
    screenshots(page, "account-own-data")
