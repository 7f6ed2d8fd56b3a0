"""A month of bookings becoming each subscriber's locked report, all through the gateway's HTTP
API: booked, approved and completed in March; published after the grace period; mailed with
links the subscriber's contact follows after logging in; a cancellation after locking billed as
a correction in April. Every service runs on the test's settable clock."""

import re
from datetime import datetime

import pytest

from services.contracts.names import BILLING
from services.infra.clock import HELSINKI, SettableClock
from tests.conftest import run_now, wait_for
from tests.gateway.api_client import unique
from tests.gateway.booking_api import booking_form, set_up_catalogue
from tests.gateway.conftest import start_every_service

MARCH = "2027-03"
APRIL = "2027-04"
MARCH_FIRST = datetime(2027, 3, 1, 10, 0, tzinfo=HELSINKI)
AFTER_FIRST_SESSION = datetime(2027, 3, 2, 12, 0, tzinfo=HELSINKI)
AFTER_GRACE = datetime(2027, 4, 6, 0, 1, tzinfo=HELSINKI)
LINK = re.compile(r"PDF: (\S+)")


@pytest.fixture
def clock():
    return SettableClock(MARCH_FIRST)


@pytest.fixture
def service_containers(container_factory, service_config, clock, gateway_url):
    """Every service in this process on the test's clock; report mails link to this gateway."""
    return start_every_service(
        container_factory, service_config, clock, {BILLING: {"REPORT_LINK_BASE_URL": gateway_url}}
    )


def admin_headers(client, make_admin) -> dict:
    admin = make_admin()
    return client.log_in(admin.username, admin.password).with_bearer()


def created(response) -> dict:
    assert response.status_code in (200, 201), response.text
    return response.json()


def book(client, setup, subscriber: dict, starts_at: str, member_number: str) -> dict:
    form = booking_form(setup, starts_at)
    form["coachee"].update(subscriber_id=subscriber["id"], member_number=member_number)
    return created(client.request("POST", "/api/bookings", json=form))["booking"]


def draft(client, headers, subscriber: dict, period: str) -> dict:
    query = {"subscriber_id": subscriber["id"], "period": period}
    return created(client.request("GET", "/api/reports/draft", headers=headers, params=query))


def wait_for_lines(client, headers, subscriber: dict, period: str, count: int) -> dict:
    return wait_for(
        lambda: (
            (found := draft(client, headers, subscriber, period))["line_count"] == count and found
        )
    )


def reports_of(client, headers, subscriber: dict, period: str) -> list[dict]:
    query = {"subscriber_id": subscriber["id"], "period": period}
    return created(client.request("GET", "/api/reports", headers=headers, params=query))["items"]


def subscriber_contact(client, headers, subscriber: dict) -> tuple[str, str]:
    username = unique("tilaaja")
    staff = created(
        client.request(
            "POST",
            "/api/staff",
            headers=headers,
            json={
                "username": username,
                "role": "subscriber",
                "name": "Tiina Tilaaja",
                "email": f"{username}@example.fi",
                "subscriber_id": subscriber["id"],
            },
        )
    )
    return username, staff["initial_password"]


def test_a_month_of_bookings_becomes_a_locked_report_mailed_to_each_subscriber(
    client, make_admin, service_containers, clock, smtp_sink
):
    admin = admin_headers(client, make_admin)
    setup = set_up_catalogue(client, admin)
    union_mailbox = f"{unique('laskutus')}@liitto.fi"
    union = created(
        client.request(
            "PATCH",
            f"/api/subscribers/{setup['subscriber']['id']}",
            headers=admin,
            json={"billing_contact_emails": [union_mailbox]},
        )
    )
    employer_mailbox = f"{unique('hr')}@tyonantaja.fi"
    employer = created(
        client.request(
            "POST",
            "/api/subscribers",
            headers=admin,
            json={
                "name": unique("Työnantaja Oy "),
                "business_id": "0112038-9",
                "billing_contact_emails": [employer_mailbox],
                "member_number_in_report": False,
                "eligibility_method": "manual",
            },
        )
    )
    contact_login = subscriber_contact(client, admin, union)

    first = book(client, setup, union, "2027-03-02T09:00:00+02:00", "M-100")
    late = book(client, setup, union, "2027-03-30T10:00:00+03:00", "M-200")
    pending = book(client, setup, employer, "2027-03-03T09:00:00+02:00", "H-77")
    assert pending["status"] == "pending_eligibility"
    approve = f"/api/bookings/{pending['id']}/eligibility"
    created(client.request("POST", approve, headers=admin, json={"approved": True}))
    clock.set(AFTER_FIRST_SESSION)
    outcome = f"/api/bookings/{first['id']}/outcome"
    created(client.request("POST", outcome, headers=admin, json={"outcome": "completed"}))
    wait_for_lines(client, admin, union, MARCH, 2)
    wait_for_lines(client, admin, employer, MARCH, 1)

    clock.set(AFTER_GRACE)
    run_now(service_containers[BILLING], "publish_due_reports")
    run_now(service_containers[BILLING], "send_report_mails")

    admin = admin_headers(client, make_admin)
    with client.from_another_address() as contact_client:
        contact = contact_client.log_in(*contact_login).with_bearer()
        [report] = reports_of(contact_client, contact, union, MARCH)
        assert (report["version"], report["sessions"], report["line_count"]) == (1, 2, 2)
        assert draft(contact_client, contact, union, MARCH)["status"] == "final"
        [mail] = wait_for(lambda: smtp_sink.received(to=union_mailbox))
        assert mail["Subject"] == f"Laskutusraportti {MARCH}: {union['name']}"
        link = LINK.search(mail.get_content()).group(1)
        assert link == f"{client.base_url}/api/reports/{report['id']}.pdf"
        assert contact_client.http.get(link, timeout=15).status_code == 401
        pdf = contact_client.http.get(link, headers=contact, timeout=15)
        assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
        union_csv = contact_client.request(
            "GET", f"/api/reports/{report['id']}.csv", headers=contact
        ).content.decode("utf-8-sig")
        assert "Jäsennumero" in union_csv and ";M-100;" in union_csv and ";M-200;" in union_csv

        [employer_report] = reports_of(client, admin, employer, MARCH)
        foreign = f"/api/reports/{employer_report['id']}.csv"
        assert contact_client.request("GET", foreign, headers=contact).status_code == 404
    employer_csv = client.request("GET", foreign, headers=admin).content.decode("utf-8-sig")
    assert "Jäsennumero" not in employer_csv and "H-77" not in employer_csv
    assert len(wait_for(lambda: smtp_sink.received(to=employer_mailbox))) == 1

    cancel = f"/api/bookings/{late['id']}/cancel"
    created(client.request("POST", cancel, headers=admin))
    [correction] = wait_for_lines(client, admin, union, APRIL, 1)["lines"]
    assert (correction["quantity"], correction["correction_of"]) == (-1, MARCH)
    assert [r["version"] for r in reports_of(client, admin, union, MARCH)] == [1]
