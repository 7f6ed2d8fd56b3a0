"""The administrator's pages about people in a real browser: the eligibility decision from the
work queue (also by keyboard alone and without JavaScript), and every page audited with axe and
photographed at phone and desktop width."""

import re

import pytest
from playwright.sync_api import expect

from services.contracts.accounts import ADMIN, COACH
from tests.browser.accessibility import assert_accessible
from tests.browser.screenshots import screenshots
from tests.gateway.api_client import ApiClient, unique
from tests.gateway.booking_api import PASSWORD, booking_form, free_slots, next_week_day

TABS_AT_MOST = 80


@pytest.fixture
def waiting(site, admin, catalogue):
    """`waiting(name)`: a first booking next Tuesday by a new coachee of a subscriber that
    approves its members by hand, so that it waits for an administrator."""
    made = catalogue()
    created = admin.api.request(
        "POST",
        "/api/subscribers",
        json={
            "name": unique("Työnantaja "),
            "business_id": "0112038-9",
            "billing_contact_emails": ["hr@example.fi"],
            "member_number_in_report": False,
            "eligibility_method": "manual",
            "identifier_label": "Henkilöstönumero",
        },
    )
    assert created.status_code == 201, created.text
    setup = {**made, "subscriber": created.json()}
    slots = iter(free_slots(admin.api, setup, next_week_day(1))[::3])

    def book(name: str = "Maija Meikäläinen") -> dict:
        form = booking_form(setup, next(slots)["starts_at"])
        form["coachee"].update(name=name, member_number=unique("H-"))
        with ApiClient(site.url) as client:
            answer = client.request("POST", "/api/bookings", json=form)
        assert answer.status_code == 201, answer.text
        body = answer.json()
        assert body["booking"]["status"] == "pending_eligibility"
        return {**body["booking"], "username": body["username"], "email": form["coachee"]["email"]}

    return book


def status_seen_by_coachee(site, booking: dict) -> str:
    with ApiClient(site.url) as client:
        login = client.log_in(booking["username"], PASSWORD)
        answer = client.request(
            "GET", f"/api/bookings/{booking['id']}", headers=login.with_bearer()
        )
    assert answer.status_code == 200, answer.text
    return answer.json()["status"]


def test_the_admin_approves_a_waiting_booking_from_the_home_and_the_coachee_sees_it_confirmed(
    site, admin_page, waiting, mailbox
):
    booking = waiting(unique("Ville "))
    page = admin_page

    page.goto("/tyopoyta")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ylläpitäjän työpöytä")
    page.get_by_role("link", name="Kaikki päätöstä odottavat varaukset").click()
    page.locator(f'a[href="/hallinta/varaukset/{booking["id"]}"]').click()
    expect(page.get_by_text("Henkilöstönumero")).to_be_visible()
    page.get_by_role("button", name="Hyväksy varaus").click()

    expect(page.get_by_role("status")).to_contain_text("Varaus hyväksyttiin ja vahvistettiin.")
    assert status_seen_by_coachee(site, booking) == "confirmed"
    assert mailbox.wait_for_mail(booking["email"])


def focus_by_tabbing(page, selector: str) -> None:
    """Presses Tab until the element `selector` has the focus, as a keyboard user would."""
    target = page.locator(selector)
    for _ in range(TABS_AT_MOST):
        page.keyboard.press("Tab")
        if target.evaluate("element => element === document.activeElement"):
            return
    raise AssertionError(f"{selector} never got the focus in {TABS_AT_MOST} tabs")


def test_the_eligibility_approval_by_keyboard_alone(site, admin_page, waiting):
    booking = waiting()
    page = admin_page
    page.goto("/hallinta/hyvaksyttavat")

    focus_by_tabbing(page, f'a[href="/hallinta/varaukset/{booking["id"]}"]')
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(f"/hallinta/varaukset/{booking['id']}$"))
    focus_by_tabbing(page, "button:has-text('Hyväksy varaus')")
    page.keyboard.press("Enter")

    expect(page.get_by_role("status")).to_contain_text("Varaus hyväksyttiin")
    assert status_seen_by_coachee(site, booking) == "confirmed"


def test_the_eligibility_decision_works_without_javascript(
    site, no_js_page, context, staff, api_login_cookies, waiting
):
    member = staff(ADMIN)
    booking = waiting()
    api_login_cookies(no_js_page.context, member.username, member.password)

    no_js_page.goto(f"/hallinta/varaukset/{booking['id']}")
    no_js_page.get_by_role("button", name="Hylkää varaus").click()

    expect(no_js_page.get_by_role("status")).to_contain_text("Varaus hylättiin ja peruttiin")
    assert status_seen_by_coachee(site, booking) == "cancelled"


def audited(page, name: str) -> None:
    assert_accessible(page)
    screenshots(page, f"admin-people-{name}")


def test_the_booking_pages_pass_the_audit(admin_page, waiting):
    booking = waiting(unique("Aino "))
    waiting()
    page = admin_page

    page.goto("/tyopoyta")
    audited(page, "home")
    page.goto("/hallinta/varaukset")
    expect(page.locator("tbody tr").first).to_be_visible()
    audited(page, "bookings")
    page.goto("/hallinta/varaukset?from=2027-02-30&status=pending_eligibility")
    expect(page.locator(".error-summary")).to_be_visible()
    audited(page, "bookings-refused")
    page.goto("/hallinta/hyvaksyttavat")
    audited(page, "queue")
    page.goto(f"/hallinta/varaukset/{booking['id']}")
    audited(page, "booking")


def test_the_coachee_pages_pass_the_audit(admin_page, waiting):
    name = unique("Sanna ")
    booking = waiting(name)
    page = admin_page

    page.goto("/hallinta/valmennettavat")
    audited(page, "coachee-search")
    page.get_by_label("Hakusana").fill(name)
    page.get_by_role("button", name="Hae").click()
    expect(page.get_by_role("link", name=name)).to_be_visible()
    audited(page, "coachees")
    page.get_by_role("link", name=name).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(name)
    page.get_by_role("button", name="Estä määräajaksi").click()
    expect(page.locator(".error-summary")).to_contain_text("Anna päivä")
    audited(page, "coachee-refused")
    page.goto(f"/hallinta/valmennettavat/{booking['coachee_id']}/muokkaa")
    page.get_by_label("Sähköposti").fill("ei-osoite")
    page.get_by_role("button", name="Tallenna tiedot").click()
    expect(page.locator(".error-summary")).to_be_visible()
    audited(page, "coachee-form-refused")


def test_the_staff_pages_pass_the_audit(admin_page, staff):
    coach = staff(COACH)
    page = admin_page

    page.goto("/hallinta/henkilosto")
    expect(page.locator("tbody tr").first).to_be_visible()
    audited(page, "staff")
    page.get_by_role("link", name="Lisää henkilö").click()
    page.get_by_role("button", name="Lisää henkilö").click()
    expect(page.locator(".error-summary")).to_be_visible()
    audited(page, "staff-form-refused")
    page.get_by_label("Käyttäjätunnus").fill(unique("uusi."))
    page.get_by_label("Rooli", exact=True).select_option("privacy")
    page.get_by_label("Nimi").fill("Tiina Tietosuoja")
    page.get_by_label("Sähköposti").fill("tiina@example.fi")
    page.get_by_role("button", name="Lisää henkilö").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Henkilö lisätty")
    assert "salasana" not in page.url
    audited(page, "staff-created")
    page.goto(f"/hallinta/henkilosto/{coach.account_id}")
    page.get_by_label("Rooli", exact=True).select_option("privacy")
    page.get_by_role("button", name="Vaihda rooli").click()
    expect(page.get_by_role("status")).to_contain_text("Rooli vaihdettiin.")
    audited(page, "staff-member")
