"""A coach's and a subscriber contact's main tasks in the browser: the coach writes a note and
records the outcome; the contact downloads their organisation's report and no one else's."""

import re
from datetime import date, timedelta

import requests
from nameko.standalone.rpc import ClusterRpcProxy
from playwright.sync_api import expect
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from services.contracts.accounts import SUBSCRIBER
from tests.browser.accessibility import assert_accessible
from tests.browser.screenshots import screenshots
from tests.gateway.booking_api import booking_form, move_into_the_past, next_week_day


def booked(site, setup) -> dict:
    """A confirmed booking next Tuesday at the coach's first free time, made as a first-time
    coachee through the API; then moved to have begun an hour ago."""
    day = next_week_day(1).isoformat()
    slots = requests.get(
        f"{site.url}/api/slots",
        params={"service_id": setup["service"]["id"], "from": day, "to": day},
        timeout=30,
    ).json()["items"]
    created = requests.post(
        f"{site.url}/api/bookings", json=booking_form(setup, slots[0]["starts_at"]), timeout=30
    )
    assert created.status_code == 201, created.text
    booking = created.json()["booking"]
    move_into_the_past(site.env["BOOKINGS_DATABASE_URL"], booking["id"])
    return booking


def test_the_coach_writes_a_note_and_records_the_outcome(
    page, context, site, catalogue, api_login_cookies
):
    setup = catalogue()
    booking = booked(site, setup)
    api_login_cookies(context, *setup["coach_login"])

    page.goto("/tyopoyta")
    expect(page.get_by_role("heading", name="Tämän päivän valmennukset")).to_be_visible()
    assert_accessible(page)
    screenshots(page, "coach-home")
    page.locator(f'a[href="/kalenteri/varaus/{booking["id"]}"]').click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Varaus")
    expect(page.get_by_text("Maija Meikäläinen")).to_be_visible()
    page.get_by_role("button", name="Tallenna muistiinpano").click()
    expect(page.locator(".error-summary")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Uusi muistiinpano").fill("Tavoite: CV valmiiksi kahdessa viikossa.")
    page.get_by_role("button", name="Tallenna muistiinpano").click()
    expect(page.get_by_text("Muistiinpano tallennettu.")).to_be_visible()
    expect(page.get_by_text("Tavoite: CV valmiiksi kahdessa viikossa.")).to_be_visible()

    page.get_by_label("Valmennus toteutui").check()
    page.get_by_role("button", name="Kirjaa tulos").click()
    expect(page.get_by_text("Valmennuksen tulos kirjattu.")).to_be_visible()
    expect(page.get_by_text("Toteutunut").first).to_be_visible()
    assert_accessible(page)
    screenshots(page, "coach-booking")

    page.get_by_role("link", name=re.compile("Muokkaa muistiinpanoa")).click()
    assert_accessible(page)
    page.goto(f"/kalenteri?pvm={next_week_day(1).isoformat()}")
    assert_accessible(page)
    screenshots(page, "coach-calendar")
    page.goto("/kalenteri/tyoajat")
    expect(page.get_by_role("table", name="Viikoittaiset työajat")).to_be_visible()
    assert_accessible(page)
    screenshots(page, "coach-hours")


LAST_MONTH_OPEN = text(
    "INSERT INTO report_periods (subscriber_id, period) VALUES (:subscriber_id, :month)"
)


def published_last_month(site, subscriber_id: str) -> str:
    """Last month's report of the subscriber, published (with no sessions in it): billing
    publishes only months that have ended, and this stack's clocks cannot be moved."""
    month = (date.today().replace(day=1) - timedelta(days=1)).replace(day=1)
    engine = create_engine(site.env["BILLING_DATABASE_URL"], poolclass=NullPool)
    with engine.begin() as connection:
        connection.execute(LAST_MONTH_OPEN, {"subscriber_id": subscriber_id, "month": month})
    engine.dispose()
    period = month.strftime("%Y-%m")
    with ClusterRpcProxy({"AMQP_URI": site.amqp_uri}, timeout=30) as rpc:
        rpc.billing.publish_reports(period)
    return period


def test_the_contact_downloads_their_report_and_gets_a_404_page_for_anothers(
    page, context, site, catalogue, staff, admin, api_login_cookies
):
    own, other = catalogue(), catalogue()
    period = published_last_month(site, own["subscriber"]["id"])
    published_last_month(site, other["subscriber"]["id"])
    contact = staff(SUBSCRIBER, own["subscriber"]["id"])
    theirs = contact.api.request("GET", "/api/reports", params={"period": period}).json()
    assert theirs["items"], "the month's report was published"
    others = admin.api.request(
        "GET", "/api/reports", params={"subscriber_id": other["subscriber"]["id"], "period": period}
    ).json()["items"]
    api_login_cookies(context, contact.username, contact.password)

    page.goto("/tyopoyta")
    assert_accessible(page)
    page.get_by_role("link", name="Kaikki raportit").click()
    expect(page.get_by_role("table", name="Julkaistut raportit")).to_be_visible()
    assert_accessible(page)
    screenshots(page, "contact-reports")
    page.get_by_role("link", name=period).first.click()
    with page.expect_download() as download:
        page.get_by_role("link", name="CSV-tiedosto (Excel)").click()
    assert download.value.suggested_filename.endswith(".csv")
    assert_accessible(page)

    refused = page.goto(f"/raportit/{others[0]['id']}")
    assert refused.status == 404
    expect(page.get_by_role("heading", name="Sivua ei löytynyt")).to_be_visible()
