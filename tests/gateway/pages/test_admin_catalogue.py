"""The admin's catalogue pages: services, coaches and their hours, subscribers and rosters,
reports and feedback — each form refused with 422 at its fields, accepted with 303, and only
for admins."""

import re
from datetime import date

import pytest
from nameko.standalone.rpc import ServiceRpcProxy

from services.contracts.accounts import ADMIN
from services.contracts.names import BILLING
from tests.billing.report_lines import store_lines
from tests.gateway.api_client import unique
from tests.gateway.booking_api import free_slots, next_week_day, set_up_catalogue
from tests.gateway.pages.page_client import PageClient

PAGES = (
    "/hallinta/palvelut",
    "/hallinta/palvelut/uusi",
    "/hallinta/valmentajat",
    "/hallinta/tilaajat",
    "/hallinta/tilaajat/uusi",
    "/hallinta/raportit",
    "/hallinta/palaute",
)
PERIOD = "2025-06"


@pytest.fixture
def admin_person(make_admin):
    return make_admin()


@pytest.fixture
def admin_api(client, admin_person):
    return client.log_in(admin_person.username, admin_person.password).with_bearer()


@pytest.fixture
def admin(browser, admin_person):
    browser.log_in(admin_person.username, admin_person.password)
    return browser


@pytest.fixture
def catalogue(client, admin_api):
    return set_up_catalogue(client, admin_api)


def new_coach_account(client, admin_api, name="Outi Opastaja") -> dict:
    created = client.request(
        "POST",
        "/api/staff",
        headers=admin_api,
        json={
            "username": unique("coach"),
            "role": "coach",
            "name": name,
            "email": f"{unique('o')}@example.fi",
        },
    )
    assert created.status_code == 201, created.text
    return created.json()["account"]


def errors_named(html: str) -> list[str]:
    """The field ids the error summary links to."""
    summary = html.split('class="error-summary"', 1)[1].split("</div>", 1)[0]
    return re.findall(r'href="#([^"]+)"', summary)


def test_the_catalogue_pages_send_a_visitor_who_is_not_logged_in_to_log_in(browser):
    for path in PAGES:
        answer = browser.get(path)
        assert answer.status_code == 303, path
        assert answer.headers["Location"].startswith("/kirjaudu?seuraava="), path


def test_the_catalogue_pages_are_refused_to_a_coach(gateway_url, make_coach, catalogue):
    coach = make_coach()
    browser = PageClient(gateway_url)
    browser.log_in(coach.username, coach.password)

    for path in PAGES:
        assert browser.get(path).status_code == 403, path
    browser.get("/ei-ole")
    posted = browser.post_form("/hallinta/palvelut/uusi", {"name": "X"})
    assert posted.status_code == 403
    hours = browser.post_form(f"/hallinta/valmentajat/{catalogue['coach']['id']}/tyoajat", {})
    assert hours.status_code == 403


def test_an_admin_sees_every_catalogue_page(admin, catalogue):
    for path in PAGES:
        answer = admin.get(path)
        assert answer.status_code == 200, path
        assert answer.headers["Content-Type"].startswith("text/html")
    assert catalogue["service"]["name"] in admin.get("/hallinta/palvelut").text


def test_a_service_without_a_delivery_method_is_refused_at_its_field(admin):
    admin.get("/hallinta/palvelut/uusi")

    answer = admin.post_form(
        "/hallinta/palvelut/uusi", {"name": "Uraohjaus", "duration_minutes": "ei"}
    )

    assert answer.status_code == 422
    assert set(errors_named(answer.text)) == {"duration_minutes", "delivery_methods"}
    assert 'value="Uraohjaus"' in answer.text


def test_an_admin_adds_edits_and_deactivates_a_service(admin, client):
    name = unique("Työnhakuvalmennus ")
    admin.get("/hallinta/palvelut/uusi")
    created = admin.post_form(
        "/hallinta/palvelut/uusi",
        {
            "name": name,
            "duration_minutes": "45",
            "specifications": "CV\nHaastattelu\n",
            "delivery_methods": ["video", "phone"],
        },
    )
    assert created.status_code == 303
    [service] = [
        s for s in client.request("GET", "/api/services").json()["items"] if s["name"] == name
    ]
    assert [s["name"] for s in service["specifications"]] == ["CV", "Haastattelu"]

    admin.get(f"/hallinta/palvelut/{service['id']}")
    edited = admin.post_form(
        f"/hallinta/palvelut/{service['id']}",
        {"name": name, "duration_minutes": "60", "delivery_methods": ["on_site"]},
    )
    assert edited.status_code == 303
    [after] = [
        s for s in client.request("GET", "/api/services").json()["items"] if s["name"] == name
    ]
    assert (after["duration_minutes"], after["delivery_methods"]) == (60, ["on_site"])

    removed = admin.post_form(f"/hallinta/palvelut/{service['id']}/poista-kaytosta", {})
    assert removed.status_code == 303
    listed = client.request("GET", "/api/services").json()["items"]
    assert service["id"] not in [s["id"] for s in listed]


def test_a_service_taken_out_of_use_is_listed_apart_and_can_be_put_back(
    admin, admin_api, client, catalogue
):
    service_id = catalogue["service"]["id"]
    admin.get(f"/hallinta/palvelut/{service_id}")
    admin.post_form(f"/hallinta/palvelut/{service_id}/poista-kaytosta", {})

    listing = admin.get("/hallinta/palvelut")
    inactive = listing.text.split('id="inactive-heading"')[1]
    assert f"/hallinta/palvelut/{service_id}" in inactive
    form = admin.get(f"/hallinta/palvelut/{service_id}")
    assert "/ota-kayttoon" in form.text and "/poista-kaytosta" not in form.text
    put_back = admin.post_form(f"/hallinta/palvelut/{service_id}/ota-kayttoon", {})

    assert put_back.status_code == 303
    assert "palautettu=1" in put_back.headers["Location"]
    listed = client.request("GET", "/api/services").json()["items"]
    assert service_id in [s["id"] for s in listed]


def test_only_an_admin_lists_the_services_taken_out_of_use(admin_api, client, catalogue):
    everything = client.request("GET", "/api/services?include_inactive=true", headers=admin_api)
    anonymous = client.request("GET", "/api/services?include_inactive=true")
    garbled = client.request("GET", "/api/services?include_inactive=maybe", headers=admin_api)

    assert everything.status_code == 200
    assert anonymous.status_code == 401
    assert garbled.status_code == 422
    assert "include_inactive" in garbled.json()["error"]["fields"]


def test_an_admin_makes_a_coach_whose_hours_the_slot_search_offers_at_once(
    admin, client, admin_api, catalogue
):
    account = new_coach_account(client, admin_api)
    page = admin.get("/hallinta/valmentajat")
    assert account["id"] in page.text

    created = admin.post_form(
        "/hallinta/valmentajat",
        {"account_id": account["id"], "service_ids": [catalogue["service"]["id"]]},
    )
    assert created.status_code == 303
    coach_path = created.headers["Location"].split("?")[0]
    coach_id = coach_path.rsplit("/", 1)[1]
    editor = admin.get(coach_path)
    assert "Outi Opastaja" in editor.text

    saturday = next_week_day(5)
    saturday_row = re.search(r'name="hours\.(\d+)\.weekday" value="5"', editor.text)[1]
    saved = admin.post_form(
        f"{coach_path}/tyoajat",
        {
            f"hours.{saturday_row}.weekday": "5",
            f"hours.{saturday_row}.starts": "10:00",
            f"hours.{saturday_row}.ends": "12:00",
        },
    )
    assert saved.status_code == 303

    setup = {"service": catalogue["service"], "coach": {"id": coach_id}}
    slots = free_slots(client, setup, saturday)
    assert [slot["starts_at"][11:16] for slot in slots] == ["10:00", "10:30", "11:00"]


def test_hours_that_end_before_they_start_are_refused_at_their_row(admin, catalogue):
    coach_path = f"/hallinta/valmentajat/{catalogue['coach']['id']}"
    admin.get(coach_path)

    answer = admin.post_form(
        f"{coach_path}/tyoajat",
        {
            "hours.0.weekday": "0",
            "hours.0.starts": "08:00",
            "hours.0.ends": "16:00",
            "hours.1.weekday": "1",
            "hours.1.starts": "16:00",
            "hours.1.ends": "09:00",
            "hours.2.weekday": "2",
            "hours.2.starts": "09:00",
        },
    )

    assert answer.status_code == 422
    assert errors_named(answer.text) == ["hours.2.ends"]
    refused_by_service = admin.post_form(
        f"{coach_path}/tyoajat",
        {"hours.1.weekday": "1", "hours.1.starts": "16:00", "hours.1.ends": "09:00"},
    )
    assert refused_by_service.status_code == 422
    assert errors_named(refused_by_service.text) == ["hours.1.ends"]


def test_an_admin_adds_lists_and_removes_time_off(admin, client, catalogue):
    coach_path = f"/hallinta/valmentajat/{catalogue['coach']['id']}"
    tuesday = next_week_day(1)
    admin.get(coach_path)

    refused = admin.post_form(
        f"{coach_path}/poikkeukset",
        {"kind": "time_off", "day": tuesday.isoformat(), "starts": "12:00", "ends": "09:00"},
    )
    assert refused.status_code == 422
    assert errors_named(refused.text) == ["ends"]
    missing = admin.post_form(f"{coach_path}/poikkeukset", {"kind": "time_off", "day": "x"})
    assert missing.status_code == 422
    assert set(errors_named(missing.text)) == {"day", "starts", "ends"}

    added = admin.post_form(
        f"{coach_path}/poikkeukset",
        {"kind": "time_off", "day": tuesday.isoformat(), "starts": "08:00", "ends": "12:00"},
    )
    assert added.status_code == 303
    starts = [slot["starts_at"][11:16] for slot in free_slots(client, catalogue, tuesday)]
    assert starts[0] == "12:00"

    page = admin.get(coach_path)
    [change_id] = re.findall(r"/poikkeukset/([0-9a-f-]{36})/poista", page.text)
    removed = admin.post_form(f"{coach_path}/poikkeukset/{change_id}/poista", {})
    assert removed.status_code == 303
    starts = [slot["starts_at"][11:16] for slot in free_slots(client, catalogue, tuesday)]
    assert starts[0] == "08:00"


def test_a_subscriber_with_a_wrong_check_digit_is_refused_at_the_business_id(admin):
    admin.get("/hallinta/tilaajat/uusi")

    answer = admin.post_form(
        "/hallinta/tilaajat/uusi",
        {
            "name": unique("Liitto "),
            "business_id": "0112038-8",
            "billing_contact_emails": "laskutus@example.fi",
            "eligibility_method": "roster",
        },
    )

    assert answer.status_code == 422
    assert errors_named(answer.text) == ["business_id"]
    no_emails = admin.post_form(
        "/hallinta/tilaajat/uusi", {"name": unique("Liitto "), "business_id": "0112038-9"}
    )
    assert no_emails.status_code == 422
    assert set(errors_named(no_emails.text)) == {"billing_contact_emails", "eligibility_method"}


def test_an_admin_adds_and_edits_a_subscriber(admin, client, admin_api):
    name = unique("Liitto ")
    admin.get("/hallinta/tilaajat/uusi")
    created = admin.post_form(
        "/hallinta/tilaajat/uusi",
        {
            "name": name,
            "business_id": "0112038-9",
            "billing_contact_emails": "a@example.fi\nb@example.fi",
            "eligibility_method": "manual",
            "identifier_label": "Jäsentunnus",
            "member_number_in_report": "true",
            "active": "true",
        },
    )
    assert created.status_code == 303
    subscriber_path = created.headers["Location"].split("?")[0]
    subscriber_id = subscriber_path.rsplit("/", 1)[1]

    admin.get(subscriber_path)
    edited = admin.post_form(
        subscriber_path,
        {
            "name": name,
            "business_id": "0112038-9",
            "billing_contact_emails": "b@example.fi",
            "eligibility_method": "roster",
            "identifier_label": "Jäsentunnus",
        },
    )
    assert edited.status_code == 303
    stored = client.request("GET", f"/api/subscribers/{subscriber_id}", headers=admin_api).json()
    assert stored["billing_contact_emails"] == ["b@example.fi"]
    assert (stored["eligibility_method"], stored["member_number_in_report"]) == ("roster", False)
    assert stored["active"] is False


def test_a_roster_with_a_bad_line_is_refused_naming_the_line_and_the_old_roster_stays(
    admin, client, admin_api, catalogue
):
    subscriber = catalogue["subscriber"]
    path = f"/hallinta/tilaajat/{subscriber['id']}/jasenrekisteri"
    admin.get(path)

    refused = admin.post_form(
        path, {}, files={"roster": ("jasenet.csv", b"M-1\nM-2\nM-3;M-4\n", "text/csv")}
    )

    assert refused.status_code == 422
    assert "Rivi 3" in refused.text
    stored = client.request("GET", f"/api/subscribers/{subscriber['id']}", headers=admin_api)
    assert stored.json()["roster_members"] == 2

    accepted = admin.post_form(
        path, {}, files={"roster": ("jasenet.csv", b"M-1\nM-2\nM-3\n", "text/csv")}
    )
    assert accepted.status_code == 303
    assert "3 jäsentä" in admin.get(accepted.headers["Location"]).text
    no_file = admin.post_form(path, {})
    assert no_file.status_code == 422
    assert errors_named(no_file.text) == ["roster"]


@pytest.fixture
def published(client, admin_api, admin_person, service_config, base_config):
    """A subscriber with two billable lines in June 2025, its report published."""
    body = {
        "name": unique("Liitto "),
        "business_id": "0112038-9",
        "billing_contact_emails": ["laskutus@example.fi"],
        "eligibility_method": "roster",
    }
    subscriber = client.request("POST", "/api/subscribers", headers=admin_api, json=body).json()
    store_lines(service_config("billing")["DATABASE_URL"], subscriber["id"], date(2025, 6, 1), 2)
    with ServiceRpcProxy(BILLING, base_config) as billing:
        billing.publish_reports(PERIOD)
        actor = {"account_id": admin_person.account_id, "role": ADMIN}
        query = {"subscriber_id": subscriber["id"], "period": PERIOD}
        [report] = billing.list_reports(actor, query)["items"]
    return subscriber, report


def test_an_admin_sees_a_months_report_and_reissues_it_with_a_reason(admin, published):
    subscriber, report = published
    page = admin.get(f"/hallinta/raportit?subscriber_id={subscriber['id']}&period={PERIOD}")
    assert page.status_code == 200
    assert "Jäsen 1" in page.text
    assert f"/api/reports/{report['id']}.csv" in page.text
    assert f"/api/reports/{report['id']}.pdf" in page.text
    assert admin.get(f"/api/reports/{report['id']}.csv").status_code == 200

    admin.get(f"/hallinta/raportit/{report['id']}")
    no_reason = admin.post_form(f"/hallinta/raportit/{report['id']}/uudelleen", {})
    assert no_reason.status_code == 422
    assert errors_named(no_reason.text) == ["reason"]

    reissued = admin.post_form(
        f"/hallinta/raportit/{report['id']}/uudelleen", {"reason": "Yksi käynti puuttui."}
    )
    assert reissued.status_code == 303
    version_two = admin.get(reissued.headers["Location"])
    assert "versio 2" in version_two.text and "Yksi käynti puuttui." in version_two.text


def test_a_report_month_that_is_not_a_month_is_refused_at_its_field(admin, published):
    subscriber, _ = published

    answer = admin.get(f"/hallinta/raportit?subscriber_id={subscriber['id']}&period=2025-13")

    assert answer.status_code == 422
    assert errors_named(answer.text) == ["period"]


def test_a_feedback_range_that_ends_before_it_starts_is_refused_at_the_end(admin):
    answer = admin.get("/hallinta/palaute?from=2027-03-01&to=2027-01-01")
    assert answer.status_code == 422
    assert errors_named(answer.text) == ["to"]

    bad_day = admin.get("/hallinta/palaute?from=ei&to=2027-01-01")
    assert bad_day.status_code == 422
    assert errors_named(bad_day.text) == ["from"]
    assert admin.get("/hallinta/palaute?from=2027-01-01&to=2027-03-01").status_code == 200


def test_a_roster_larger_than_a_json_body_is_uploaded_through_the_page(admin, catalogue):
    path = f"/hallinta/tilaajat/{catalogue['subscriber']['id']}/jasenrekisteri"
    admin.get(path)
    members = "".join(f"JASEN-{number:058d}\n" for number in range(20_000)).encode()
    assert len(members) > 1024 * 1024

    answer = admin.post_form(path, {}, files={"roster": ("jasenet.csv", members, "text/csv")})

    assert answer.status_code == 303, answer.text[answer.text.find("<main") :][:1500]
    assert "20000 jäsentä" in admin.get(answer.headers["Location"]).text
