"""The admin's catalogue in a browser: a coach with hours that the slot search offers at once,
a roster refused naming its bad line, and every catalogue page audited (with data, and with a
refused form) and photographed at 360 and 1280 px."""

import re
from datetime import date

import pytest
from nameko.standalone.rpc import ClusterRpcProxy
from playwright.sync_api import expect

from services.contracts.accounts import ADMIN, COACH
from tests.billing.report_lines import store_lines
from tests.browser.accessibility import assert_accessible
from tests.browser.screenshots import screenshots
from tests.gateway.api_client import unique
from tests.gateway.booking_api import next_week_day

PERIOD = "2025-06"


def photographed(page, name: str) -> None:
    """Screenshots at 360 and 1280 px; at 360 nothing may widen the page (wide tables scroll
    in their own region)."""
    screenshots(page, name)
    viewport = page.viewport_size
    page.set_viewport_size({"width": 360, "height": 740})
    try:
        assert page.evaluate("document.documentElement.scrollWidth") <= 360, name
    finally:
        page.set_viewport_size(viewport)


def slot_times(api, service_id: str, coach_id: str, day) -> list[str]:
    query = {"service_id": service_id, "from": day.isoformat(), "to": day.isoformat()}
    answer = api.request("GET", "/api/slots", params=dict(query, coach_id=coach_id))
    assert answer.status_code == 200, answer.text
    return [slot["starts_at"][11:16] for slot in answer.json()["items"]]


def test_an_admin_makes_a_coach_by_keyboard_and_the_slot_search_offers_the_hours(
    admin_page, staff, catalogue
):
    page = admin_page
    setup = catalogue()
    account = staff(COACH)
    page.goto("/hallinta/valmentajat")
    assert_accessible(page)
    photographed(page, "admin-catalogue-coaches-form")

    page.get_by_label("Henkilöstötili").focus()
    page.get_by_label("Henkilöstötili").select_option(account.account_id)
    page.get_by_label("Nimi varauksissa").focus()
    page.keyboard.type("Saara Sunnuntai")
    service_box = page.get_by_label(setup["service"]["name"])
    service_box.focus()
    page.keyboard.press("Space")
    page.get_by_role("button", name="Lisää valmentaja").focus()
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Valmentaja Saara Sunnuntai")
    expect(page.get_by_role("status")).to_contain_text("Valmentaja on lisätty")
    coach_id = page.url.split("/hallinta/valmentajat/")[1].split("?")[0]

    sunday = page.get_by_role("group", name="Sunnuntai")
    sunday.get_by_label("Jakso 1 alkaa").fill("09:00")
    sunday.get_by_label("Jakso 1 päättyy").fill("11:00")
    page.get_by_role("button", name="Tallenna työajat").focus()
    page.keyboard.press("Enter")

    expect(page.get_by_role("status")).to_contain_text("Työajat on tallennettu")
    day = next_week_day(6)
    hours = page.admin.api.request("GET", f"/api/coaches/{coach_id}/hours").json()["items"]
    assert hours == [{"weekday": 6, "starts": "09:00", "ends": "11:00"}]
    times = slot_times(page.admin.api, setup["service"]["id"], coach_id, day)
    assert times == ["09:00", "09:30", "10:00"]
    expect(page.get_by_role("group", name="Sunnuntai").get_by_label("Jakso 2 alkaa")).to_be_empty()
    assert_accessible(page)
    photographed(page, "admin-catalogue-coach")


def test_an_admin_adds_and_removes_time_off(admin_page, catalogue):
    page = admin_page
    setup = catalogue()
    day = next_week_day(2)
    page.goto(f"/hallinta/valmentajat/{setup['coach']['id']}")

    page.get_by_label("Päivä", exact=True).fill(day.isoformat())
    page.get_by_label("Alkaa klo").fill("12:00")
    page.get_by_label("Päättyy klo").fill("10:00")
    page.get_by_role("button", name="Lisää poikkeus").click()

    expect(page.get_by_role("alert")).to_contain_text("Päättyy ennen kuin alkaa")
    expect(page).to_have_title(re.compile("^Virhe"))
    assert_accessible(page)
    photographed(page, "admin-catalogue-coach-refused")

    page.get_by_label("Alkaa klo").fill("08:00")
    page.get_by_label("Päättyy klo").fill("12:00")
    page.get_by_role("button", name="Lisää poikkeus").click()

    expect(page.get_by_role("status")).to_contain_text("Poikkeus on lisätty")
    table = page.get_by_role("table", name="Tulevat poikkeukset viikoittaisiin työaikoihin")
    expect(table.get_by_role("row")).to_have_count(2)
    assert_accessible(page)
    assert (
        slot_times(page.admin.api, setup["service"]["id"], setup["coach"]["id"], day)[0] == "12:00"
    )
    table.get_by_role("button", name=re.compile("^Poista")).click()
    expect(page.get_by_role("status")).to_contain_text("Poikkeus on poistettu")


def test_a_roster_with_a_bad_line_is_refused_and_the_line_named(admin_page, catalogue, tmp_path):
    page = admin_page
    setup = catalogue()
    roster = tmp_path / "jasenet.csv"
    roster.write_text("Jäsennumero\nM-1\nM-2\nM-3;M-4\n", encoding="utf-8")
    page.goto(f"/hallinta/tilaajat/{setup['subscriber']['id']}/jasenrekisteri")

    page.get_by_label("Jäsenluettelo").set_input_files(roster)
    page.get_by_role("button", name="Vaihda jäsenrekisteri").click()

    problems = page.locator("#roster-problems")
    expect(problems).to_contain_text("Rivi 4: useita arvoja")
    expect(problems).to_contain_text("vanha jäsenrekisteri on yhä käytössä")
    expect(page.get_by_text("Nykyisessä rekisterissä: 2 jäsentä")).to_be_visible()
    assert_accessible(page)
    photographed(page, "admin-catalogue-roster-refused")

    roster.write_text("Jäsennumero\nM-1\nM-2\nM-3\n", encoding="utf-8")
    page.get_by_label("Jäsenluettelo").set_input_files(roster)
    page.get_by_role("button", name="Vaihda jäsenrekisteri").click()
    expect(page.get_by_role("status")).to_contain_text("3 jäsentä")


def test_the_hours_form_works_without_javascript(no_js_page, staff, api_login_cookies, catalogue):
    member = staff(ADMIN)
    api_login_cookies(no_js_page.context, member.username, member.password)
    setup = catalogue()
    page = no_js_page
    page.goto(f"/hallinta/valmentajat/{setup['coach']['id']}")

    saturday = page.get_by_role("group", name="Lauantai")
    saturday.get_by_label("Jakso 1 alkaa").fill("10:00")
    saturday.get_by_label("Jakso 1 päättyy").fill("11:00")
    page.get_by_role("button", name="Tallenna työajat").click()

    expect(page.get_by_role("status")).to_contain_text("Työajat on tallennettu")
    day = next_week_day(5)
    times = slot_times(member.api, setup["service"]["id"], setup["coach"]["id"], day)
    assert times == ["10:00"]


def test_every_catalogue_page_is_accessible_with_data_and_with_a_refused_form(
    admin_page, catalogue
):
    page = admin_page
    setup = catalogue()
    pages = {
        "services": "/hallinta/palvelut",
        "service": f"/hallinta/palvelut/{setup['service']['id']}",
        "coaches": "/hallinta/valmentajat",
        "subscribers": "/hallinta/tilaajat",
        "subscriber": f"/hallinta/tilaajat/{setup['subscriber']['id']}",
        "roster": f"/hallinta/tilaajat/{setup['subscriber']['id']}/jasenrekisteri",
        "reports": f"/hallinta/raportit?subscriber_id={setup['subscriber']['id']}",
        "feedback": "/hallinta/palaute",
    }
    for name, path in pages.items():
        assert page.goto(path).status == 200, path
        assert_accessible(page)
        photographed(page, f"admin-catalogue-{name}")

    page.goto("/hallinta/palvelut/uusi")
    page.get_by_label("Nimi").fill(unique("Uraohjaus "))
    page.get_by_role("button", name="Tallenna palvelu").click()
    expect(page.get_by_role("alert")).to_contain_text("Toteutustavat")
    assert_accessible(page)
    photographed(page, "admin-catalogue-service-refused")

    page.goto("/hallinta/tilaajat/uusi")
    page.get_by_label("Nimi", exact=True).fill(unique("Liitto "))
    page.get_by_label("Y-tunnus").fill("0112038-8")
    page.get_by_label("Laskutuksen yhteyshenkilöiden sähköpostit").fill("laskutus@example.fi")
    page.get_by_label("Pääkäyttäjä hyväksyy jokaisen varauksen").check()
    page.get_by_role("button", name="Tallenna tilaaja").click()
    expect(page.get_by_role("alert")).to_contain_text("Y-tunnus")
    assert_accessible(page)
    photographed(page, "admin-catalogue-subscriber-refused")

    page.goto("/hallinta/palaute?from=2027-03-01&to=2027-01-01")
    expect(page.get_by_role("alert")).to_contain_text("Päättyen")
    assert_accessible(page)
    photographed(page, "admin-catalogue-feedback-refused")


def test_a_service_taken_out_of_use_is_put_back_from_its_page(admin_page, catalogue):
    page = admin_page
    setup = catalogue()
    name = setup["service"]["name"]
    page.goto(f"/hallinta/palvelut/{setup['service']['id']}")
    page.get_by_role("button", name="Poista palvelu käytöstä").click()
    expect(page.get_by_role("status")).to_contain_text("poistettu käytöstä")

    taken_out = page.get_by_role("list", name="Käytöstä poistetut palvelut")
    expect(taken_out.get_by_role("link", name=name)).to_be_visible()
    assert_accessible(page)
    photographed(page, "admin-catalogue-services-taken-out")
    taken_out.get_by_role("link", name=name).click()
    assert_accessible(page)
    photographed(page, "admin-catalogue-service-taken-out")
    page.get_by_role("button", name="Ota palvelu käyttöön").click()

    expect(page.get_by_role("status")).to_contain_text("otettu uudelleen käyttöön")
    expect(page.get_by_role("table").get_by_role("link", name=name)).to_be_visible()


@pytest.fixture
def published(site, admin_page):
    """A subscriber with three billable lines in June 2025, its report published."""
    body = {
        "name": unique("Liitto "),
        "business_id": "0112038-9",
        "billing_contact_emails": ["laskutus@example.fi"],
        "member_number_in_report": True,
        "eligibility_method": "roster",
    }
    created = admin_page.admin.api.request("POST", "/api/subscribers", json=body)
    assert created.status_code == 201, created.text
    subscriber = created.json()
    store_lines(site.env["BILLING_DATABASE_URL"], subscriber["id"], date(2025, 6, 1), 3)
    with ClusterRpcProxy({"AMQP_URI": site.amqp_uri}, timeout=30) as rpc:
        rpc.billing.publish_reports(PERIOD)
    query = {"subscriber_id": subscriber["id"], "period": PERIOD}
    [report] = admin_page.admin.api.request("GET", "/api/reports", params=query).json()["items"]
    return subscriber, report


def test_an_admin_reads_a_months_report_and_reissues_it_with_a_reason(admin_page, published):
    page = admin_page
    subscriber, report = published
    page.goto(f"/hallinta/raportit?subscriber_id={subscriber['id']}&period={PERIOD}")

    lines = page.get_by_role("table", name="Raportin rivit")
    expect(lines.get_by_role("row")).to_have_count(4)
    expect(lines).to_contain_text("M-1")
    assert_accessible(page)
    photographed(page, "admin-catalogue-reports-with-data")

    page.get_by_role("link", name=f"{PERIOD}, versio 1").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"raportti {PERIOD}, versio 1")
    with page.expect_download() as download:
        page.get_by_role("link", name="Lataa CSV").click()
    assert download.value.suggested_filename.endswith(".csv")
    page.get_by_role("button", name="Julkaise uusi versio").click()
    expect(page.get_by_role("alert")).to_contain_text("Syy")
    assert_accessible(page)
    photographed(page, "admin-catalogue-report-refused")

    page.get_by_label("Syy").fill("Yksi käynti puuttui.")
    page.get_by_role("button", name="Julkaise uusi versio").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"raportti {PERIOD}, versio 2")
    expect(page.get_by_text("Yksi käynti puuttui.")).to_be_visible()
