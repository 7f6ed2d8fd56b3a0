"""Monthly reports through the gateway: admins see all, a subscriber's contacts only their own
organisation's; files come as CSV and PDF; admins re-issue with a reason."""

from datetime import date

import pytest
from nameko.standalone.rpc import ServiceRpcProxy

from services.contracts.accounts import ADMIN, SUBSCRIBER
from services.contracts.names import BILLING
from tests.billing.report_lines import store_lines
from tests.gateway.api_client import unique

PERIOD = "2025-06"
JUNE_2025 = date(2025, 6, 1)


@pytest.fixture
def admin_person(make_admin):
    return make_admin()


@pytest.fixture
def admin(client, admin_person):
    return client.log_in(admin_person.username, admin_person.password)


@pytest.fixture
def billing_rpc(service_containers, base_config):
    with ServiceRpcProxy(BILLING, base_config) as proxy:
        yield proxy


@pytest.fixture
def make_subscriber(client, admin, accounts_rpc, admin_person, service_config):
    """A subscriber with `lines` billable lines in June 2025, and a logged-in contact of it."""

    def make(lines: int = 3, **changes):
        body = {
            "name": unique("Liitto "),
            "business_id": "0112038-9",
            "billing_contact_emails": [f"{unique('laskutus')}@example.fi"],
            "member_number_in_report": True,
            "eligibility_method": "roster",
            **changes,
        }
        created = client.request("POST", "/api/subscribers", headers=admin.with_bearer(), json=body)
        assert created.status_code == 201, created.text
        subscriber = created.json()
        store_lines(service_config("billing")["DATABASE_URL"], subscriber["id"], JUNE_2025, lines)
        username = unique("tilaaja")
        contact = accounts_rpc.create_staff(
            {
                "username": username,
                "role": SUBSCRIBER,
                "name": "Tiina Tilaaja",
                "email": f"{username}@example.fi",
                "subscriber_id": subscriber["id"],
            },
            {"account_id": admin_person.account_id, "role": ADMIN},
        )
        with client.from_another_address() as contact_client:
            login = contact_client.log_in(username, contact["initial_password"])
        return subscriber, login

    return make


def published_report(billing_rpc, admin_person, subscriber_id: str) -> dict:
    billing_rpc.publish_reports(PERIOD)
    query = {"subscriber_id": subscriber_id, "period": PERIOD}
    [report] = billing_rpc.list_reports(
        {"account_id": admin_person.account_id, "role": ADMIN}, query
    )["items"]
    return report


def test_a_subscriber_contact_sees_only_its_own_organisations_reports(
    client, make_subscriber, billing_rpc, admin_person
):
    own, contact = make_subscriber()
    other, _ = make_subscriber()
    own_report = published_report(billing_rpc, admin_person, own["id"])
    other_report = published_report(billing_rpc, admin_person, other["id"])
    headers = contact.with_bearer()

    listed = client.request("GET", "/api/reports", headers=headers, params={"period": PERIOD})
    read = client.request("GET", f"/api/reports/{own_report['id']}", headers=headers)

    assert listed.status_code == 200
    assert [report["id"] for report in listed.json()["items"]] == [own_report["id"]]
    assert read.status_code == 200 and read.json()["subscriber_id"] == own["id"]
    for path in ("", ".csv", ".pdf"):
        response = client.request(
            "GET", f"/api/reports/{other_report['id']}{path}", headers=headers
        )
        assert response.status_code == 404, path
    by_other_id = client.request(
        "GET", "/api/reports", headers=headers, params={"subscriber_id": other["id"]}
    )
    other_draft = client.request(
        "GET",
        "/api/reports/draft",
        headers=headers,
        params={"subscriber_id": other["id"], "period": PERIOD},
    )
    assert by_other_id.status_code == 404 and other_draft.status_code == 404


def test_a_contact_downloads_its_report_as_csv_for_excel_and_as_pdf(
    client, make_subscriber, billing_rpc, admin_person
):
    subscriber, contact = make_subscriber(lines=2)
    report = published_report(billing_rpc, admin_person, subscriber["id"])

    csv_file = client.request(
        "GET", f"/api/reports/{report['id']}.csv", headers=contact.with_bearer()
    )
    pdf_file = client.request(
        "GET", f"/api/reports/{report['id']}.pdf", headers=contact.with_bearer()
    )

    assert csv_file.status_code == 200
    assert csv_file.headers["Content-Type"].startswith("text/csv")
    assert f"laskutusraportti-{PERIOD}-" in csv_file.headers["Content-Disposition"]
    assert csv_file.content.startswith(b"\xef\xbb\xbfP\xc3\xa4iv\xc3\xa4;Aika;")
    assert "Jäsen 1;M-1;1" in csv_file.content.decode("utf-8-sig")
    assert pdf_file.status_code == 200
    assert pdf_file.headers["Content-Type"] == "application/pdf"
    assert pdf_file.content.startswith(b"%PDF-") and pdf_file.content.rstrip().endswith(b"%%EOF")


def test_the_draft_shows_a_month_before_it_is_published(client, admin, make_subscriber):
    subscriber, contact = make_subscriber(lines=3, member_number_in_report=False)
    query = {"subscriber_id": subscriber["id"], "period": PERIOD, "limit": 2}

    first = client.request("GET", "/api/reports/draft", headers=contact.with_bearer(), params=query)
    rest = client.request(
        "GET",
        "/api/reports/draft",
        headers=admin.with_bearer(),
        params=dict(query, cursor=first.json()["next_cursor"]),
    )

    assert first.status_code == 200 and rest.status_code == 200
    assert (first.json()["status"], first.json()["line_count"], first.json()["sessions"]) == (
        "draft",
        3,
        3,
    )
    names = [line["member_name"] for line in first.json()["lines"] + rest.json()["lines"]]
    assert names == ["Jäsen 0", "Jäsen 1", "Jäsen 2"]
    assert {line["member_number"] for line in first.json()["lines"]} == {None}
    assert rest.json()["next_cursor"] is None


def test_admin_reissues_a_report_with_a_reason_and_both_versions_remain(
    client, admin, make_subscriber, billing_rpc, admin_person
):
    subscriber, contact = make_subscriber(lines=1, member_number_in_report=False)
    first = published_report(billing_rpc, admin_person, subscriber["id"])
    client.request(
        "PATCH",
        f"/api/subscribers/{subscriber['id']}",
        headers=admin.with_bearer(),
        json={"member_number_in_report": True},
    )

    reissued = client.request(
        "POST",
        f"/api/reports/{first['id']}/reissue",
        headers=admin.with_csrf(),
        json={"reason": "Tilaaja pyysi jäsennumerot raporttiin."},
    )

    assert reissued.status_code == 201, reissued.text
    second = reissued.json()
    assert (second["version"], second["member_number_included"]) == (2, True)
    assert second["reason"] == "Tilaaja pyysi jäsennumerot raporttiin."
    assert second["issued_by"] == admin_person.account_id
    listed = client.request(
        "GET",
        "/api/reports",
        headers=contact.with_bearer(),
        params={"subscriber_id": subscriber["id"], "period": PERIOD},
    ).json()["items"]
    assert [(report["id"], report["version"]) for report in listed] == [
        (second["id"], 2),
        (first["id"], 1),
    ]
    old_csv = client.request("GET", f"/api/reports/{first['id']}.csv", headers=admin.with_bearer())
    new_csv = client.request("GET", f"/api/reports/{second['id']}.csv", headers=admin.with_bearer())
    assert "M-0" not in old_csv.text and "M-0" in new_csv.text


def test_only_an_admin_reissues_and_only_with_a_reason(
    client, admin, make_subscriber, billing_rpc, admin_person
):
    subscriber, contact = make_subscriber(lines=1)
    report = published_report(billing_rpc, admin_person, subscriber["id"])
    path = f"/api/reports/{report['id']}/reissue"

    by_contact = client.request("POST", path, headers=contact.with_bearer(), json={"reason": "x"})
    without_reason = client.request("POST", path, headers=admin.with_bearer(), json={})

    assert by_contact.status_code == 403
    assert without_reason.status_code == 422
    assert list(without_reason.json()["error"]["fields"]) == ["reason"]


def test_coaches_see_no_reports(client, make_coach):
    coach = make_coach()
    login = client.log_in(coach.username, coach.password)

    response = client.request("GET", "/api/reports", headers=login.with_bearer())

    assert response.status_code == 403


def test_reports_need_a_login(client):
    assert client.request("GET", "/api/reports").status_code == 401
