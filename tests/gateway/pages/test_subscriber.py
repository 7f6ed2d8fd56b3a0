"""A subscriber contact's pages: their own organisation's reports, nothing else."""

import uuid

import pytest

from services.contracts.accounts import ADMIN, SUBSCRIBER
from tests.gateway.api_client import unique
from tests.gateway.booking_api import set_up_catalogue


@pytest.fixture
def contact(client, make_admin, accounts_rpc):
    admin = make_admin()
    setup = set_up_catalogue(client, client.log_in(admin.username, admin.password).with_bearer())
    created = accounts_rpc.create_staff(
        {
            "username": unique("contact"),
            "role": SUBSCRIBER,
            "name": "Tiina Tilaaja",
            "email": f"{unique('t')}@example.fi",
            "subscriber_id": setup["subscriber"]["id"],
        },
        {"account_id": admin.account_id, "role": ADMIN},
    )
    return created["account"]["username"], created["initial_password"]


def test_the_contact_sees_their_month_and_reports(browser, contact):
    browser.log_in(*contact)

    home = browser.get("/tyopoyta")
    reports = browser.get("/raportit")

    assert home.status_code == 200
    assert "Tähän mennessä laskutettavia valmennuksia: 0." in home.text
    assert reports.status_code == 200
    assert "Raportteja ei ole vielä julkaistu." in reports.text


def test_a_report_the_contact_may_not_see_is_a_404_page(browser, contact):
    browser.log_in(*contact)

    answer = browser.get(f"/raportit/{uuid.uuid4()}")

    assert answer.status_code == 404
    assert "Sivua ei löytynyt" in answer.text


def test_report_pages_are_only_for_subscriber_contacts(browser, make_coach):
    assert browser.get("/raportit").status_code == 303
    coach = make_coach()
    browser.log_in(coach.username, coach.password)
    assert browser.get("/raportit").status_code == 403
