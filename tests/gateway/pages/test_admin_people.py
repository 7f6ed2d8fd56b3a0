"""The administrator's pages about people: each form's 303, 422 (or 409), and who is kept out."""

import re
from datetime import date, timedelta

import pytest
from nameko.standalone.rpc import ClusterRpcProxy

from services.contracts.accounts import ADMIN
from tests.conftest import wait_for
from tests.gateway.api_client import unique
from tests.gateway.conftest import PASSWORD

WORKDAY = [{"weekday": day, "starts": "08:00", "ends": "16:00"} for day in range(5)]
PAGES = (
    "/tyopoyta",
    "/hallinta/varaukset",
    "/hallinta/hyvaksyttavat",
    "/hallinta/valmennettavat?q=maija",
    "/hallinta/henkilosto",
    "/hallinta/henkilosto/uusi",
)


@pytest.fixture
def rpc(service_containers, base_config):
    with ClusterRpcProxy(base_config, timeout=30) as proxy:
        yield proxy


@pytest.fixture
def admin(make_admin):
    person = make_admin()
    return person, {"account_id": person.account_id, "role": ADMIN}


@pytest.fixture
def admin_browser(browser, admin):
    person, _actor = admin
    browser.log_in(person.username, person.password)
    return browser


@pytest.fixture
def catalogue(rpc, admin):
    """A service a coach delivers on weekdays 8–16, and a subscriber that approves its members
    by hand, so that bookings wait for an administrator's decision."""
    _person, actor = admin
    service = rpc.bookings.create_service(
        {
            "name": unique("Uraohjaus "),
            "duration_minutes": 60,
            "specifications": ["Työnhaku"],
            "delivery_methods": ["video", "phone"],
        },
        actor,
    )
    username = unique("coach")
    staff = rpc.accounts.create_staff(
        {"username": username, "role": "coach", "name": unique("Kaisa "), "email": "k@example.fi"},
        actor,
    )
    coach = rpc.bookings.create_coach(
        {
            "account_id": staff["account"]["id"],
            "name": staff["account"]["name"],
            "service_ids": [service["id"]],
        },
        actor,
    )
    rpc.bookings.set_working_hours(coach["id"], WORKDAY, actor)
    manual = rpc.billing.create_subscriber(
        {
            "name": unique("Työnantaja "),
            "business_id": "0112038-9",
            "billing_contact_emails": ["hr@example.fi"],
            "member_number_in_report": False,
            "eligibility_method": "manual",
            "identifier_label": "Henkilöstönumero",
        },
        actor,
    )
    return {"service": service, "coach": coach, "subscriber": manual, "actor": actor}


def book(rpc, catalogue, index: int = 0, name: str = "Maija Meikäläinen") -> dict:
    """A first booking next Tuesday by a new coachee of the manual subscriber: it waits."""
    today = date.today()
    tuesday = today + timedelta(days=7 - today.weekday() + 1)
    slots = rpc.bookings.find_slots(
        {
            "service_id": catalogue["service"]["id"],
            "from": tuesday.isoformat(),
            "to": tuesday.isoformat(),
            "coach_id": catalogue["coach"]["id"],
        }
    )["items"]
    service = catalogue["service"]
    answer = rpc.bookings.create_booking(
        {
            "service_id": service["id"],
            "specification_id": service["specifications"][0]["id"],
            "delivery_method": "video",
            "starts_at": slots[index * 2]["starts_at"],
            "coach_id": catalogue["coach"]["id"],
            "message": "Haluan päivittää CV:ni.",
            "coachee": {
                "name": name,
                "email": f"{unique('maija')}@example.fi",
                "phone": "040 123 4567",
                "subscriber_id": catalogue["subscriber"]["id"],
                "member_number": unique("H-"),
                "password": PASSWORD,
            },
        }
    )
    assert answer["booking"]["status"] == "pending_eligibility"
    return {**answer["booking"], "username": answer["username"]}


def audited(rpc, actor_id: str, subject_id: str, action: str) -> list[dict]:
    def found():
        entries = rpc.privacy.search_audit_log({"subject": subject_id, "actor": actor_id}, None)
        return [entry for entry in entries["items"] if entry["action"] == action]

    return wait_for(found)


def test_a_visitor_who_is_not_logged_in_is_sent_to_log_in(browser):
    for path in PAGES:
        answer = browser.get(path)
        assert answer.status_code == 303, path
        assert answer.headers["Location"].startswith("/kirjaudu?seuraava="), path


def test_other_roles_get_the_403_page_and_cannot_post(browser, make_coach, make_coachee):
    coachee = make_coachee()
    browser.log_in(coachee.username, coachee.password)
    for path in PAGES[1:]:
        answer = browser.get(path)
        assert answer.status_code == 403, path
        assert answer.headers["Content-Type"].startswith("text/html")
    coach = make_coach()
    browser.log_in(coach.username, coach.password)
    assert browser.get("/hallinta/henkilosto").status_code == 403
    refused = browser.post_form(
        "/hallinta/henkilosto/uusi",
        {"username": unique("x"), "role": "admin", "name": "X", "email": "x@example.fi"},
    )
    assert refused.status_code == 403


def decline_every_waiting_booking(rpc, actor: dict) -> None:
    """The module's tests share one system: bookings that earlier tests left waiting would come
    first in the queue, which shows only the oldest few."""
    while waiting := rpc.bookings.list_bookings(actor, {"status": "pending_eligibility"})["items"]:
        for booking in waiting:
            rpc.bookings.decide_eligibility(booking["id"], False, actor)


def test_the_home_shows_the_waiting_count_oldest_first_and_today(
    rpc, admin, admin_browser, catalogue
):
    decline_every_waiting_booking(rpc, admin[1])
    first = book(rpc, catalogue, 0)
    second = book(rpc, catalogue, 1)

    home = admin_browser.get("/tyopoyta")

    assert home.status_code == 200
    assert "Ylläpitäjän työpöytä" in home.text
    assert "2 varausta odottaa päätöstä" in home.text
    assert home.text.index(first["id"]) < home.text.index(second["id"])
    assert 'href="/hallinta/hyvaksyttavat"' in home.text
    assert "/hallinta/varaukset?from=" in home.text
    assert 'href="/hallinta/henkilosto"' in home.text


def test_bookings_are_filtered_by_coach_state_and_days(rpc, admin_browser, catalogue):
    waiting = book(rpc, catalogue)
    day = waiting["starts_at"][:10]
    coach_id = catalogue["coach"]["id"]

    found = admin_browser.get(
        f"/hallinta/varaukset?coach_id={coach_id}&status=pending_eligibility&from={day}&to={day}"
    )
    none_cancelled = admin_browser.get(f"/hallinta/varaukset?coach_id={coach_id}&status=cancelled")

    assert found.status_code == 200
    assert f'href="/hallinta/varaukset/{waiting["id"]}"' in found.text
    assert "Odottaa hyväksyntää" in found.text
    assert waiting["id"] not in none_cancelled.text
    assert "Rajauksilla ei löytynyt varauksia." in none_cancelled.text


def test_a_refused_filter_is_422_with_the_error_tied_to_its_field(admin_browser):
    answer = admin_browser.get("/hallinta/varaukset?from=2027-02-30&status=lost")

    assert answer.status_code == 422
    assert 'href="#from"' in answer.text
    assert 'href="#status"' in answer.text
    assert 'aria-describedby="from-hint from-error"' in answer.text
    assert "Anna päivä, joka on kalenterissa, muodossa vvvv-kk-pp." in answer.text


def test_the_booking_page_shows_the_coachee_and_the_read_is_audited(
    rpc, admin, admin_browser, catalogue
):
    _person, actor = admin
    waiting = book(rpc, catalogue, name="Ville Varaaja")

    answer = admin_browser.get(f"/hallinta/varaukset/{waiting['id']}")

    assert answer.status_code == 200
    assert "Ville Varaaja" in answer.text
    assert "Henkilöstönumero" in answer.text
    assert "Hyväksy varaus" in answer.text
    assert audited(rpc, actor["account_id"], waiting["coachee_id"], "profile_read")


def test_approving_confirms_the_booking_and_a_second_decision_is_explained(
    rpc, admin, admin_browser, catalogue
):
    _person, actor = admin
    waiting = book(rpc, catalogue)
    admin_browser.get(f"/hallinta/varaukset/{waiting['id']}")

    approved = admin_browser.post_form(
        f"/hallinta/varaukset/{waiting['id']}/kelpoisuus", {"approved": "true"}
    )
    again = admin_browser.post_form(
        f"/hallinta/varaukset/{waiting['id']}/kelpoisuus", {"approved": "false"}
    )

    assert approved.status_code == 303
    assert approved.headers["Location"] == (
        f"/hallinta/hyvaksyttavat?paatos=hyvaksytty&varaus={waiting['id']}"
    )
    assert rpc.bookings.get_booking(waiting["id"], actor)["status"] == "confirmed"
    assert again.status_code == 409
    assert "joku toinen ehti päättää" in again.text
    queue = admin_browser.get(approved.headers["Location"])
    assert "Varaus hyväksyttiin ja vahvistettiin." in queue.text
    assert f'href="/hallinta/varaukset/{waiting["id"]}"' in queue.text


def test_rejecting_cancels_and_a_form_without_the_decision_is_422(
    rpc, admin, admin_browser, catalogue
):
    _person, actor = admin
    waiting = book(rpc, catalogue)
    admin_browser.get(f"/hallinta/varaukset/{waiting['id']}")

    unclear = admin_browser.post_form(f"/hallinta/varaukset/{waiting['id']}/kelpoisuus", {})
    rejected = admin_browser.post_form(
        f"/hallinta/varaukset/{waiting['id']}/kelpoisuus", {"approved": "false"}
    )

    assert unclear.status_code == 422
    assert rejected.status_code == 303
    assert "paatos=hylatty" in rejected.headers["Location"]
    assert rpc.bookings.get_booking(waiting["id"], actor)["status"] == "cancelled"


def test_coachees_are_searched_and_each_listed_profile_read_is_audited(
    rpc, admin, admin_browser, catalogue
):
    _person, actor = admin
    name = unique("Sanna ")
    waiting = book(rpc, catalogue, name=name)

    empty = admin_browser.get("/hallinta/valmennettavat")
    found = admin_browser.get(f"/hallinta/valmennettavat?q={name}")

    assert empty.status_code == 200
    assert "<table" not in empty.text
    assert f'href="/hallinta/valmennettavat/{waiting["coachee_id"]}"' in found.text
    assert catalogue["subscriber"]["name"] in found.text
    assert audited(rpc, actor["account_id"], waiting["coachee_id"], "profile_read")


def test_an_admin_edits_a_coachee_refused_then_accepted(rpc, admin, admin_browser, catalogue):
    _person, actor = admin
    coachee_id = book(rpc, catalogue)["coachee_id"]
    form = f"/hallinta/valmennettavat/{coachee_id}/muokkaa"
    page = admin_browser.get(form)
    assert page.status_code == 200
    assert 'value="Maija Meikäläinen"' in page.text

    refused = admin_browser.post_form(
        form, {"name": "Maija Uusinimi", "email": "ei-osoite", "phone": "040 123 4567"}
    )
    accepted = admin_browser.post_form(
        form, {"name": "Maija Uusinimi", "email": "maija.uusi@example.fi", "phone": "0401234567"}
    )

    assert refused.status_code == 422
    assert 'href="#email"' in refused.text
    assert 'value="Maija Uusinimi"' in refused.text
    assert accepted.status_code == 303
    assert accepted.headers["Location"] == f"/hallinta/valmennettavat/{coachee_id}?muutettu=tiedot"
    assert rpc.accounts.get_account(coachee_id, actor)["email"] == "maija.uusi@example.fi"
    assert audited(rpc, actor["account_id"], coachee_id, "profile_changed")


def test_a_coachee_login_is_disabled_until_a_day_or_for_good_then_enabled(
    rpc, admin, admin_browser, catalogue
):
    _person, actor = admin
    waiting = book(rpc, catalogue)
    coachee_id = waiting["coachee_id"]
    login_form = f"/hallinta/valmennettavat/{coachee_id}/kirjautuminen"
    admin_browser.get(f"/hallinta/valmennettavat/{coachee_id}")
    next_month = (date.today() + timedelta(days=30)).isoformat()

    no_day = admin_browser.post_form(login_form, {"toimi": "until"})
    past = admin_browser.post_form(login_form, {"toimi": "until", "disabled_until": "2020-01-01"})
    until = admin_browser.post_form(login_form, {"toimi": "until", "disabled_until": next_month})
    disabled_until = rpc.accounts.get_account(coachee_id, actor)["disabled_until"]
    forever = admin_browser.post_form(login_form, {"toimi": "forever"})
    disabled_for_good = rpc.accounts.get_account(coachee_id, actor)["disabled_permanently"]
    enabled = admin_browser.post_form(login_form, {"toimi": "enable"})

    assert no_day.status_code == 422
    assert "Anna päivä, tai estä kirjautuminen pysyvästi." in no_day.text
    assert past.status_code == 422
    assert "Valitse päivä, joka on tämän päivän jälkeen." in past.text
    assert until.status_code == 303
    assert disabled_until.startswith(next_month) or disabled_until < next_month
    assert forever.status_code == 303
    assert disabled_for_good is True
    assert enabled.headers["Location"].endswith("?muutettu=sallittu")
    account = rpc.accounts.get_account(coachee_id, actor)
    assert (account["disabled_until"], account["disabled_permanently"]) == (None, False)
    page = admin_browser.get(enabled.headers["Location"])
    assert "Kirjautuminen sallittiin." in page.text


def test_staff_are_listed_and_created_with_the_first_password_shown_once(
    rpc, admin_browser, catalogue
):
    username = unique("coach")
    admin_browser.get("/hallinta/henkilosto/uusi")

    created = admin_browser.post_form(
        "/hallinta/henkilosto/uusi",
        {
            "username": username,
            "role": "coach",
            "name": "Kalle Coach",
            "email": "k@example.fi",
            "subscriber_id": catalogue["subscriber"]["id"],
        },
    )

    assert created.status_code == 201
    assert "Location" not in created.headers
    password = re.search(r'<span class="highlight">([^<]+)</span>', created.text).group(1)
    account = rpc.accounts.log_in({"username": username, "password": password})["principal"]
    assert account["role"] == "coach"
    listed = admin_browser.get("/hallinta/henkilosto")
    shown = admin_browser.get(f"/hallinta/henkilosto/{account['account_id']}")
    assert listed.status_code == 200
    assert password not in listed.text
    assert username in shown.text
    assert password not in shown.text


def test_a_refused_new_staff_member_is_explained(admin_browser, make_admin):
    taken = make_admin().username
    admin_browser.get("/hallinta/henkilosto/uusi")

    invalid = admin_browser.post_form(
        "/hallinta/henkilosto/uusi", {"username": "X!", "role": "boss", "email": "x"}
    )
    no_subscriber = admin_browser.post_form(
        "/hallinta/henkilosto/uusi",
        {"username": unique("tilaaja"), "role": "subscriber", "name": "T", "email": "t@ex.fi"},
    )
    duplicate = admin_browser.post_form(
        "/hallinta/henkilosto/uusi",
        {"username": taken, "role": "coach", "name": "T", "email": "t@example.fi"},
    )

    assert invalid.status_code == 422
    for field in ("username", "role", "name", "email"):
        assert f'href="#{field}"' in invalid.text
    assert no_subscriber.status_code == 422
    assert "Valitse tilaaja, jonka yhteyshenkilö henkilö on." in no_subscriber.text
    assert duplicate.status_code == 409
    assert "Käyttäjätunnus on jo käytössä" in duplicate.text


def test_a_staff_role_is_changed_and_the_last_administrator_is_kept(
    rpc, admin, admin_browser, make_coach
):
    """The guard needs this admin to be the only active one: the others of the test session are
    disabled for the test and enabled again after it."""
    person, actor = admin
    coach = make_coach()
    admin_browser.get(f"/hallinta/henkilosto/{coach.account_id}")
    changed = admin_browser.post_form(
        f"/hallinta/henkilosto/{coach.account_id}/rooli", {"role": "privacy"}
    )
    assert changed.status_code == 303
    assert rpc.accounts.get_account(coach.account_id, actor)["role"] == "privacy"

    others = [
        account["id"]
        for account in every_active_admin(rpc, actor)
        if account["id"] != person.account_id
    ]
    for other in others:
        rpc.accounts.set_disabled(other, {"disabled": True}, actor)
    try:
        own = f"/hallinta/henkilosto/{person.account_id}"
        admin_browser.get(own)
        refused_role = admin_browser.post_form(f"{own}/rooli", {"role": "coach"})
        refused_login = admin_browser.post_form(f"{own}/kirjautuminen", {"toimi": "forever"})
    finally:
        for other in others:
            rpc.accounts.set_disabled(other, {"disabled": False}, actor)

    assert refused_role.status_code == 409
    assert "Tämä on ainoa käytössä oleva ylläpitäjä." in refused_role.text
    assert 'href="#role"' in refused_role.text
    assert refused_login.status_code == 409
    assert "Tämä on ainoa käytössä oleva ylläpitäjä." in refused_login.text


def every_active_admin(rpc, actor) -> list[dict]:
    found, cursor = [], None
    while True:
        page = rpc.accounts.list_staff(actor, 100, cursor)
        found.extend(
            account
            for account in page["items"]
            if account["role"] == ADMIN
            and not account["disabled_permanently"]
            and not account["disabled_until"]
        )
        cursor = page["next_cursor"]
        if cursor is None:
            return found


def test_a_staff_page_for_a_coachee_is_404(rpc, admin_browser, catalogue):
    coachee_id = book(rpc, catalogue)["coachee_id"]

    assert admin_browser.get(f"/hallinta/henkilosto/{coachee_id}").status_code == 404
    assert admin_browser.get("/hallinta/valmennettavat/ei-tunnus").status_code == 404
