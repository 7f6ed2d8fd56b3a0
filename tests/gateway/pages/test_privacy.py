"""Privacy staff's pages: their home, requests (the erasure shown before it is confirmed),
retention, the audit log and the breach register; forms refused with 422, accepted with 303,
and each page for its roles only."""

import re
import uuid
from datetime import UTC, datetime, timedelta

import pytest

from gateway.pages.i18n import HELSINKI
from tests.conftest import wait_for
from tests.gateway.conftest import Person

REQUEST_PATH = re.compile(r"^/tietosuoja/pyynnot/([0-9a-f-]{36})\?rekisteroity=1$")
BREACH_PATH = re.compile(r"^/tietosuoja/loukkaukset/([0-9a-f-]{36})\?kirjattu=1$")


@pytest.fixture
def officer(browser, make_privacy_officer):
    person = make_privacy_officer()
    browser.log_in(person.username, person.password)
    return browser


@pytest.fixture
def coachee(make_coachee) -> Person:
    return make_coachee()


def typed(moment: datetime) -> str:
    """A time as a `datetime-local` input sends it: Helsinki wall clock, no zone."""
    return moment.astimezone(HELSINKI).strftime("%Y-%m-%dT%H:%M")


def register(officer, kind: str, username: str, **fields):
    officer.get("/tietosuoja/pyynnot/uusi")
    return officer.post_form(
        "/tietosuoja/pyynnot/uusi", {"kind": kind, "username": username, **fields}
    )


def test_pages_need_a_login_and_the_privacy_role(browser, make_coachee):
    to_login = browser.get("/tietosuoja/pyynnot?status=open")
    assert to_login.status_code == 303
    assert to_login.headers["Location"] == "/kirjaudu?seuraava=/tietosuoja/pyynnot%3Fstatus%3Dopen"

    person = make_coachee()
    browser.log_in(person.username, person.password)
    for path in ("/tietosuoja/pyynnot", "/tietosuoja/loki", "/tietosuoja/loukkaukset"):
        refused = browser.get(path)
        assert refused.status_code == 403
        assert refused.headers["Content-Type"].startswith("text/html")


def test_an_administrator_handles_breaches_but_not_requests(browser, make_admin):
    admin = make_admin()
    browser.log_in(admin.username, admin.password)

    assert browser.get("/tietosuoja/loukkaukset").status_code == 200
    in_english = browser.get("/tietosuoja/loukkaukset", headers={"Accept-Language": "en"})
    assert (
        "The register has no breaches." in in_english.text or "Breach register" in in_english.text
    )
    assert browser.get("/tietosuoja/loukkaukset/uusi").status_code == 200
    assert browser.get(f"/tietosuoja/loukkaukset/{uuid.uuid4()}").status_code == 404
    assert browser.get("/tietosuoja/pyynnot").status_code == 403
    assert browser.get("/tietosuoja/sailytys").status_code == 403


def test_a_refused_request_names_its_fields(officer, coachee):
    empty = register(officer, "export", "")
    unknown = register(officer, "export", "eiketaan0000")
    unknown_erasure = register(officer, "erasure", "eiketaan0000")
    rectification = register(officer, "rectification", "eiketaan0000")
    tomorrow = typed(datetime.now(UTC) + timedelta(days=1))
    in_future = register(officer, "inspection", coachee.username, received_at=tomorrow)

    assert empty.status_code == 422
    assert 'href="#username"' in empty.text
    assert 'aria-describedby="username-error"' in empty.text
    assert unknown.status_code == 422
    assert "Tällä käyttäjätunnuksella ei ole valmennettavaa." in unknown.text
    assert unknown_erasure.status_code == 422 and 'href="#username"' in unknown_erasure.text
    assert rectification.status_code == 422
    assert "Kerro, mikä tieto oli väärin." in rectification.text
    assert in_future.status_code == 422
    assert "Ei voi olla tulevaisuudessa." in in_future.text
    assert f'value="{tomorrow}"' in in_future.text


def test_an_erasure_is_previewed_before_it_is_confirmed(officer, coachee, browser):
    preview = register(officer, "erasure", coachee.username)

    assert preview.status_code == 200
    assert "Tarkista, mitä poistetaan" in preview.text
    assert "Käyttäjätilit" in preview.text and "Anonymisoidaan" in preview.text
    assert 'name="vahvistettu" value="1"' in preview.text
    assert officer.get("/tietosuoja/pyynnot?kind=erasure").text.count(coachee.username) == 0

    back = officer.post_form(
        "/tietosuoja/pyynnot/uusi", {"kind": "erasure", "username": coachee.username, "muuta": "1"}
    )
    assert back.status_code == 200 and f'value="{coachee.username}"' in back.text

    confirmed = officer.post_form(
        "/tietosuoja/pyynnot/uusi",
        {"kind": "erasure", "username": coachee.username, "vahvistettu": "1"},
    )
    assert confirmed.status_code == 303
    request_id = REQUEST_PATH.match(confirmed.headers["Location"]).group(1)

    def erased():
        page = officer.get(f"/tietosuoja/pyynnot/{request_id}")
        return page if "Kaikki vaiheet ovat valmiit." in page.text else None

    page = wait_for(erased, seconds=60)
    assert page.text.count("Valmis") >= 6
    assert "Kirjautumisen esto" in page.text and 'lang="en"' in page.text


def test_an_export_is_downloaded_from_its_page(officer, coachee):
    registered = register(officer, "export", coachee.username, description="Kirje 3.3.")
    request_id = REQUEST_PATH.match(registered.headers["Location"]).group(1)

    def answered():
        page = officer.get(f"/tietosuoja/pyynnot/{request_id}")
        return page if "vienti.zip" in page.text else None

    wait_for(answered, seconds=60)
    download = officer.get(f"/tietosuoja/pyynnot/{request_id}/vienti.zip")
    assert download.status_code == 200
    assert download.headers["Content-Type"] == "application/zip"
    assert officer.get(f"/tietosuoja/pyynnot/{request_id}/tarkastus.pdf").status_code == 404


def test_a_rectification_is_completed_by_recording_the_change(officer, coachee):
    registered = register(
        officer, "rectification", coachee.username, description="Sähköposti väärin"
    )
    request_id = REQUEST_PATH.match(registered.headers["Location"]).group(1)
    path = f"/tietosuoja/pyynnot/{request_id}"
    officer.get(path)

    refused = officer.post_form(f"{path}/oikaisu", {"change_link": ""})
    recorded = officer.post_form(f"{path}/oikaisu", {"change_link": "Sähköposti korjattu 3.3."})

    assert refused.status_code == 422 and 'href="#change_link"' in refused.text
    assert recorded.status_code == 303
    assert recorded.headers["Location"] == f"{path}?oikaistu=1"
    assert "Sähköposti korjattu 3.3." in officer.get(path).text


def test_the_request_queue_filters_and_the_home_shows_open_requests(officer, coachee):
    register(officer, "inspection", coachee.username)

    queue = officer.get("/tietosuoja/pyynnot?status=open&kind=inspection")
    wrong = officer.get("/tietosuoja/pyynnot?kind=kaikki")
    home = officer.get("/tyopoyta")

    assert queue.status_code == 200 and coachee.username in queue.text
    assert officer.get(f"/tietosuoja/pyynnot/{uuid.uuid4()}").status_code == 404
    assert wrong.status_code == 422 and 'href="#kind"' in wrong.text
    assert home.status_code == 200 and coachee.username in home.text


def test_a_breach_is_recorded_with_its_deadline_and_notified(officer):
    officer.get("/tietosuoja/loukkaukset/uusi")
    later = typed(datetime.now(UTC) + timedelta(hours=2))
    incomplete = officer.post_form(
        "/tietosuoja/loukkaukset/uusi", {"discovered_at": later, "description": "Vuoto"}
    )
    in_future = officer.post_form(
        "/tietosuoja/loukkaukset/uusi",
        {"discovered_at": later, "description": "Vuoto", "personal_data_involved": "Nimiä"},
    )
    assert incomplete.status_code == 422
    assert 'href="#personal_data_involved"' in incomplete.text
    assert in_future.status_code == 422
    assert 'href="#discovered_at"' in in_future.text and "Vuoto" in in_future.text

    recorded = officer.post_form(
        "/tietosuoja/loukkaukset/uusi",
        {
            "discovered_at": typed(datetime.now(UTC) - timedelta(hours=3)),
            "description": "Varmuuskopio väärään osoitteeseen",
            "personal_data_involved": "Valmennettavien nimiä",
        },
    )
    assert recorded.status_code == 303
    breach_id = BREACH_PATH.match(recorded.headers["Location"]).group(1)
    path = f"/tietosuoja/loukkaukset/{breach_id}"
    page = officer.get(path)
    assert re.search(r"(68|69) h jäljellä", page.text)
    assert "Varmuuskopio väärään osoitteeseen" in officer.get("/tyopoyta").text

    bad = officer.post_form(path, {"authority_notified_at": "eilen"})
    notified = officer.post_form(path, {"authority_notified_at": typed(datetime.now(UTC))})

    assert bad.status_code == 422 and 'href="#authority_notified_at"' in bad.text
    assert notified.status_code == 303
    assert "Ilmoitettu viranomaiselle" in officer.get("/tietosuoja/loukkaukset").text
    assert "Varmuuskopio väärään osoitteeseen" not in officer.get("/tyopoyta").text


def test_the_audit_log_is_searched_by_person_and_day_and_retention_previewed(officer, coachee):
    register(officer, "inspection", coachee.username)
    today = datetime.now(HELSINKI).date().isoformat()

    found = officer.get(f"/tietosuoja/loki?subject={coachee.account_id}&from={today}&to={today}")
    refused = officer.get("/tietosuoja/loki?actor=ei-tunniste&from=huomenna")

    assert found.status_code == 200 and "privacy_request_registered" in found.text
    assert refused.status_code == 422
    assert 'href="#actor"' in refused.text and 'href="#from"' in refused.text
    retention = officer.get("/tietosuoja/sailytys")
    assert retention.status_code == 200 and "Tuleva säilytysajan poisto" in retention.text
    assert officer.get(f"/tietosuoja/sailytys?cursor={'x' * 201}").status_code == 422


def test_a_form_without_its_token_is_refused(officer, coachee):
    officer.get("/tietosuoja/pyynnot/uusi")

    answer = officer.post_form(
        "/tietosuoja/pyynnot/uusi", {"kind": "export", "username": coachee.username}, token="x"
    )

    assert answer.status_code == 403
