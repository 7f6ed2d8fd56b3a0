"""The harness itself: the site answers the browser, logins reach the browser's cookie jar, and
the accessibility audit and screenshots work under the pages' strict CSP."""

import pytest
from playwright.sync_api import expect

from services.contracts.accounts import COACH, PRIVACY, SUBSCRIBER
from tests.browser.accessibility import assert_accessible
from tests.browser.mailbox import text_of
from tests.browser.screenshots import screenshots
from tests.gateway.booking_api import next_week_day

# The headers web.md fixes for every HTML page.
PAGE_HEADERS = {
    "Content-Type": "text/html; charset=utf-8",
    "Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self'; "
    "img-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
    "base-uri 'none'",
    "Referrer-Policy": "same-origin",
}
ACCESSIBLE = """<!doctype html><html lang="fi"><head><meta charset="utf-8">
<title>Testisivu – Valmennuskalenteri</title></head><body><main><h1>Testisivu</h1>
<form><label for="nimi">Nimi</label><input id="nimi" name="nimi">
<button type="submit">Tallenna nimi</button></form></main></body></html>"""
INACCESSIBLE = """<!doctype html><html><head><title></title></head><body>
<img src="/kuva.png"><input name="nimi"></body></html>"""


@pytest.fixture
def serve(page, site):
    """`serve(html, on=page)`: shows `html` at `site.url + "/harness/page"` with the pages'
    headers, so the browser treats it as one of the site's pages; requests to anything else
    reach the site."""

    def show(html: str, on=page):
        url = f"{site.url}/harness/page"
        on.route(url, lambda route: route.fulfill(status=200, headers=PAGE_HEADERS, body=html))
        on.goto(url)
        return on

    return show


def test_the_site_answers_the_browser(page):
    response = page.goto("/healthz")
    assert response.status == 200


def test_the_openapi_document_loads_in_the_browser(page):
    response = page.goto("/api/openapi.json")
    assert response.status == 200
    assert response.json()["info"]["title"]


def test_a_cookie_login_from_the_api_is_the_browsers_login(page, context, staff, api_login_cookies):
    coach = staff(COACH)
    api_login_cookies(context, coach.username, coach.password)
    me = page.goto("/api/me")
    assert me.json()["username"] == coach.username


def test_chromium_keeps_the_secure_host_cookie_the_gateway_sets_over_http(serve, context, staff):
    """`__Host-` cookies need `Secure`; Chromium takes them from http://127.0.0.1, a
    potentially trustworthy origin, so pages log in as they will over HTTPS."""
    privacy = staff(PRIVACY)
    page = serve(ACCESSIBLE)
    status = page.evaluate(
        """async ([username, password]) => {
            const response = await fetch("/api/session", {
                method: "POST",
                headers: {"Content-Type": "application/json"},
                body: JSON.stringify({username, password}),
            });
            return response.status;
        }""",
        [privacy.username, privacy.password],
    )
    assert status == 200
    [cookie] = context.cookies()
    assert cookie["name"].startswith("__Host-") and cookie["secure"]
    assert page.goto("/api/me").json()["username"] == privacy.username


def test_staff_get_their_roles_and_the_catalogue_is_bookable(page, staff, catalogue):
    made = catalogue()
    contact = staff(SUBSCRIBER, subscriber_id=made["subscriber"]["id"])
    me = contact.api.request("GET", "/api/me").json()
    assert me["role"] == SUBSCRIBER
    monday = next_week_day(0).isoformat()
    query = f"service_id={made['service']['id']}&from={monday}&to={monday}"
    assert page.goto(f"/api/slots?{query}").json()["items"]


def test_a_coachee_gets_the_confirmation_mail_and_sees_the_booking_logged_in(
    page, context, catalogue, coachee, mailbox, api_login_cookies
):
    booked = coachee(catalogue())
    mail = mailbox.wait_for_mail(booked.email)
    assert booked.booking["id"] in text_of(mail)
    api_login_cookies(context, booked.username, booked.password)
    assert page.goto(f"/api/bookings/{booked.booking['id']}").json()["status"] == "confirmed"


def test_the_audit_passes_an_accessible_page_under_the_pages_csp(serve):
    assert_accessible(serve(ACCESSIBLE))


def test_the_audit_names_each_broken_rule_and_where(serve):
    with pytest.raises(AssertionError) as refused:
        assert_accessible(serve(INACCESSIBLE))
    report = str(refused.value)
    for rule in ("image-alt (critical)", "html-has-lang", "document-title", "label"):
        assert rule in report
    assert "img" in report


def test_the_audit_runs_on_a_phone_and_refuses_a_page_without_javascript(
    serve, phone_page, no_js_page
):
    """axe's run would never finish where the page's scripts are off."""
    assert_accessible(serve(ACCESSIBLE, on=phone_page))
    assert phone_page.viewport_size == {"width": 360, "height": 740}
    with pytest.raises(ValueError, match="scripts off"):
        assert_accessible(serve(ACCESSIBLE, on=no_js_page))


def test_screenshots_at_phone_and_desktop_width(serve):
    page = serve(ACCESSIBLE)
    expect(page.get_by_role("heading", name="Testisivu")).to_be_visible()
    paths = screenshots(page, "harness-testisivu")
    assert [path.name for path in paths] == [
        "harness-testisivu-360.png",
        "harness-testisivu-1280.png",
    ]
    assert all(path.stat().st_size > 0 for path in paths)
    assert page.viewport_size == {"width": 1280, "height": 900}
