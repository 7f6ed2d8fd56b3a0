"""Privacy staff in a real browser: an erasure from the queue to its last step, by keyboard only;
every privacy page with data (and a refused form) passes the accessibility audit; the request
form works without JavaScript; screenshots at 360 and 1280 px."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from nameko.standalone.rpc import ClusterRpcProxy
from playwright.sync_api import expect
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from gateway.pages.i18n import HELSINKI
from services.contracts.accounts import ADMIN, PRIVACY
from tests.browser.accessibility import assert_accessible
from tests.browser.screenshots import screenshots
from tests.gateway.booking_api import coachee_registration

PASSWORD = "Kahvia-ja-Pullaa-2027"
MOST_TABS = 60
SAGA_SECONDS = 60_000


@pytest.fixture
def make_coachee(site):
    """`make_coachee()`: a coachee's login name, registered as a first booking registers one."""

    def make() -> str:
        registration = coachee_registration(PASSWORD)
        with ClusterRpcProxy({"AMQP_URI": site.amqp_uri}, timeout=30) as rpc:
            return rpc.accounts.register_coachee(registration)["username"]

    return make


@pytest.fixture
def officer(context, staff, api_login_cookies):
    """A privacy officer logged in in the test's browser context."""
    member = staff(PRIVACY)
    api_login_cookies(context, member.username, member.password)
    return member


def tab_to(page, target) -> None:
    """Presses Tab until `target` has the focus, as a keyboard user moves through the page."""
    for _press in range(MOST_TABS):
        if target.evaluate("element => element === document.activeElement"):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {target}")


def test_privacy_staff_erase_a_coachee_from_the_queue_by_keyboard_only(page, officer, make_coachee):
    username = make_coachee()
    page.goto("/tietosuoja/pyynnot")

    tab_to(page, page.get_by_role("link", name="Kirjaa uusi pyyntö"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Kirjaa tietosuojapyyntö")
    tab_to(page, page.get_by_role("radio", name="Tarkastuspyyntö"))
    for _choice in range(3):
        page.keyboard.press("ArrowDown")
    expect(page.get_by_role("radio", name="Tietojen poisto")).to_be_checked()
    tab_to(page, page.get_by_label("Käyttäjätunnus"))
    page.keyboard.type(username)
    tab_to(page, page.get_by_role("button", name="Kirjaa pyyntö"))
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Tarkista, mitä poistetaan")
    for service in ("Varaukset", "Liitteet", "Laskutus", "Käyttäjätilit", "Tietosuoja"):
        expect(page.get_by_role("heading", name=service, exact=True)).to_be_visible()
    assert_accessible(page)
    screenshots(page, "privacy-erasure-preview")
    tab_to(page, page.get_by_role("button", name="Vahvista ja poista tiedot"))
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(r"/tietosuoja/pyynnot/[0-9a-f-]{36}\?rekisteroity=1$"))
    person_log = page.locator("#henkilon-loki")
    tab_to(page, person_log)
    expect(page.get_by_text("Kaikki vaiheet ovat valmiit.")).to_be_attached(timeout=SAGA_SECONDS)
    expect(person_log).to_be_focused()
    steps = page.locator("#pyynto ol > li")
    expect(steps).to_have_count(6)
    for position in range(6):
        expect(steps.nth(position).locator(".status")).to_have_text("Valmis")
    assert_accessible(page)
    screenshots(page, "privacy-erasure-done")


def register(officer, kind: str, username: str, **fields) -> dict:
    answer = officer.api.request(
        "POST", "/api/privacy/requests", json={"kind": kind, "username": username, **fields}
    )
    assert answer.status_code == 201, answer.text
    return answer.json()


def record_breach(member, hours_ago: float) -> dict:
    answer = member.api.request(
        "POST",
        "/api/breaches",
        json={
            "discovered_at": (datetime.now(UTC) - timedelta(hours=hours_ago)).isoformat(),
            "description": "Varmuuskopio lähetettiin väärään osoitteeseen",
            "personal_data_involved": "Noin 40 valmennettavan nimet ja sähköpostiosoitteet",
        },
    )
    assert answer.status_code == 201, answer.text
    return answer.json()


def created_before_the_coming_run(site, officer, username: str) -> None:
    """Moves the coachee's account creation to the day before the coming retention run's
    limit, so the retention page has someone to show (an account cannot be made in the past)."""
    preview = officer.api.request("GET", "/api/privacy/retention/preview").json()
    created_at = datetime.fromisoformat(preview["created_before"]) - timedelta(days=1)
    engine = create_engine(site.env["ACCOUNTS_DATABASE_URL"], poolclass=NullPool)
    with engine.begin() as connection:
        connection.execute(
            text("UPDATE accounts SET created_at = :created_at WHERE username = :username"),
            {"created_at": created_at, "username": username},
        )
    engine.dispose()


def test_every_privacy_page_is_accessible_with_data(site, page, officer, make_coachee):
    username = make_coachee()
    created_before_the_coming_run(site, officer, username)
    inspection = register(officer, "inspection", username)
    rectification = register(officer, "rectification", username, description="Puhelin väärin")
    breach = record_breach(officer, hours_ago=5)
    record_breach(officer, hours_ago=80)

    shown = {
        "privacy-home": "/tyopoyta",
        "privacy-requests": "/tietosuoja/pyynnot?status=open",
        "privacy-inspection": f"/tietosuoja/pyynnot/{inspection['id']}",
        "privacy-retention": "/tietosuoja/sailytys",
        "privacy-audit-log": f"/tietosuoja/loki?subject={inspection['subject_id']}",
        "privacy-breaches": "/tietosuoja/loukkaukset",
        "privacy-breach": f"/tietosuoja/loukkaukset/{breach['id']}",
    }
    for name, path in shown.items():
        assert page.goto(path).status == 200, path
        assert_accessible(page)
        screenshots(page, name)
    expect(page.get_by_text(re.compile(r"\d+ h jäljellä"))).to_be_visible()
    page.goto("/tietosuoja/sailytys")
    expect(page.get_by_role("rowheader", name=username)).to_be_visible()

    for name, path, button in (
        ("privacy-new-request-refused", "/tietosuoja/pyynnot/uusi", "Kirjaa pyyntö"),
        ("privacy-new-breach-refused", "/tietosuoja/loukkaukset/uusi", "Kirjaa loukkaus"),
        (
            "privacy-rectification-refused",
            f"/tietosuoja/pyynnot/{rectification['id']}",
            "Kirjaa oikaisu tehdyksi",
        ),
    ):
        page.goto(path)
        page.get_by_role("button", name=button).click()
        expect(page.get_by_role("alert")).to_contain_text("Tarkista lomakkeen tiedot")
        assert_accessible(page)
        screenshots(page, name)


def test_an_administrator_records_a_breach_and_its_notification(
    page, context, staff, api_login_cookies
):
    administrator = staff(ADMIN)
    api_login_cookies(context, administrator.username, administrator.password)
    record_breach(administrator, hours_ago=75)
    discovered = (datetime.now(UTC) - timedelta(hours=2)).astimezone(HELSINKI)

    page.goto("/tietosuoja/loukkaukset")
    expect(page.get_by_text("Myöhässä").first).to_be_visible()
    page.get_by_role("link", name="Kirjaa epäilty loukkaus").click()
    page.get_by_label("Havaittu").fill(discovered.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Mitä tapahtui").fill("Kannettava tietokone katosi junassa")
    page.get_by_label("Kenen ja millaisia tietoja").fill("Valmentajan muistiinpanoja")
    page.get_by_role("button", name="Kirjaa loukkaus").click()

    expect(page.get_by_role("status")).to_contain_text("Loukkaus on kirjattu")
    expect(page.get_by_text(re.compile(r"^(69|70) h jäljellä$"))).to_be_visible()
    page.get_by_label("Ilmoitettu tietosuojavaltuutetulle").fill(
        datetime.now(HELSINKI).strftime("%Y-%m-%dT%H:%M")
    )
    page.get_by_role("button", name="Tallenna").click()
    expect(page.get_by_role("status")).to_contain_text("Muutokset on tallennettu")
    expect(page.get_by_text("Ilmoitettu viranomaiselle").first).to_be_visible()


def test_an_erasure_is_previewed_and_confirmed_without_javascript(
    no_js_page, staff, api_login_cookies, make_coachee
):
    member = staff(PRIVACY)
    api_login_cookies(no_js_page.context, member.username, member.password)
    username = make_coachee()
    page = no_js_page

    page.goto("/tietosuoja/pyynnot/uusi")
    page.get_by_role("radio", name="Tietojen poisto").check()
    page.get_by_label("Käyttäjätunnus").fill(username)
    page.get_by_role("button", name="Kirjaa pyyntö").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tarkista, mitä poistetaan")
    page.get_by_role("button", name="Vahvista ja poista tiedot").click()

    expect(page.get_by_text("Pyyntö on kirjattu.")).to_be_visible()
    expect(page.get_by_role("link", name="Päivitä tilanne")).to_be_visible()
