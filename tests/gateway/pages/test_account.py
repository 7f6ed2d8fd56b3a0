"""The account pages: logging in and out, a forgotten password, one's own details, password and
data, and the fixed pages — each form's 303 and 422, and who may use it."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest

from gateway.cookies import PREFERENCES_COOKIE, SESSION_COOKIE, TEST_COOKIE
from tests.conftest import run_now, wait_for
from tests.gateway.api_client import set_cookies
from tests.gateway.pages.page_client import PageClient

NEW_PASSWORD = "Syksyn-Lehdet-Putoavat-7"
WRONG_LOGIN = "Käyttäjätunnus tai salasana on väärin"
RESET_LINK = re.compile(r"/unohtunut-salasana/uusi\?token=([A-Za-z0-9_-]+)")
TWO_DAYS = 2 * 24 * 3600
TWO_WEEKS = 14 * 24 * 3600


def log_in_by_page(browser: PageClient, username: str, password: str, **fields):
    browser.get("/kirjaudu")
    return browser.post_form("/kirjaudu", {"username": username, "password": password, **fields})


def session_max_age(response) -> int:
    return int(set_cookies(response)[SESSION_COOKIE]["max-age"])


@pytest.fixture
def coachee(make_coachee):
    return make_coachee()


@pytest.fixture
def coachee_browser(browser, coachee):
    browser.log_in(coachee.username, coachee.password)
    return browser


def test_the_login_page_offers_remember_me_and_the_forgotten_password(browser):
    answer = browser.get("/kirjaudu")

    assert answer.status_code == 200
    assert 'name="remember_me"' in answer.text
    assert 'href="/unohtunut-salasana"' in answer.text
    assert TEST_COOKIE in browser.cookies


def test_a_login_sets_a_two_day_cookie_and_goes_through_the_cookie_check(browser, coachee):
    answer = log_in_by_page(browser, coachee.username, coachee.password, seuraava="/omat-tiedot")

    assert answer.status_code == 303
    assert answer.headers["Location"] == "/kirjaudu/tarkistus?seuraava=/omat-tiedot"
    assert TWO_DAYS - 60 <= session_max_age(answer) <= TWO_DAYS
    checked = browser.get(answer.headers["Location"])
    assert checked.status_code == 303 and checked.headers["Location"] == "/omat-tiedot"


def test_remember_me_keeps_the_login_cookie_for_two_weeks(browser, coachee):
    answer = log_in_by_page(browser, coachee.username, coachee.password, remember_me="true")

    assert answer.status_code == 303
    assert TWO_WEEKS - 60 <= session_max_age(answer) <= TWO_WEEKS


def test_a_login_never_returns_to_another_site_but_to_the_role_home(browser, coachee):
    answer = log_in_by_page(
        browser, coachee.username, coachee.password, seuraava="//pahis.example/"
    )

    assert parse_qs(urlsplit(answer.headers["Location"]).query)["seuraava"] == ["/"]


def test_a_wrong_password_and_an_unknown_user_get_the_same_422(browser, coachee):
    wrong = log_in_by_page(browser, coachee.username, "väärin-aivan")
    unknown = log_in_by_page(browser, "ei-ketaan-taalla", "väärin-aivan")

    for answer in (wrong, unknown):
        assert answer.status_code == 422
        assert WRONG_LOGIN in answer.text
        assert SESSION_COOKIE not in browser.cookies
    assert f'value="{coachee.username}"' in wrong.text


def test_an_empty_login_form_names_both_fields(browser):
    browser.get("/kirjaudu")

    answer = browser.post_form("/kirjaudu", {})

    assert answer.status_code == 422
    assert 'href="#username"' in answer.text and 'href="#password"' in answer.text


def test_repeated_failed_logins_get_the_429_notice_with_retry_after(browser, coachee):
    for _attempt in range(10):
        log_in_by_page(browser, coachee.username, "väärin-aivan")

    answer = log_in_by_page(browser, coachee.username, coachee.password)

    assert answer.status_code == 429
    assert int(answer.headers["Retry-After"]) > 0
    assert "Liian monta yritystä" in answer.text


def test_a_session_cookie_that_did_not_come_back_is_told_on_the_login_page(browser):
    browser.get("/kirjaudu")

    answer = browser.get("/kirjaudu/tarkistus?seuraava=/omat-tiedot")

    assert answer.status_code == 400
    assert "Kirjautuminen ei jäänyt voimaan" in answer.text


def test_logging_out_ends_the_session_and_removes_its_cookie(coachee_browser, client):
    token = coachee_browser.cookies[SESSION_COOKIE]
    coachee_browser.get("/omat-tiedot")

    answer = coachee_browser.post_form("/kirjaudu-ulos", {})

    assert answer.status_code == 303 and answer.headers["Location"] == "/kirjaudu-ulos"
    assert SESSION_COOKIE not in coachee_browser.cookies
    assert "Olet kirjautunut ulos" in coachee_browser.get("/kirjaudu-ulos").text
    headers = {"Authorization": f"Bearer {token}"}
    assert client.request("GET", "/api/session", headers=headers).status_code == 401


def mailed_token(service_containers, smtp_sink, email: str) -> str:
    """The token of the reset mail to `email`: sent now, or by the service's own timer."""
    run_now(service_containers["accounts"], "send_password_reset_mails")
    mails = wait_for(lambda: smtp_sink.received(to=email))
    return RESET_LINK.search(mails[-1].get_content())[1]


def test_a_forgotten_password_is_reset_through_the_mailed_link(
    browser, make_coachee, service_containers, smtp_sink
):
    email = f"{browser.address.replace(':', '')}@example.fi"
    coachee = make_coachee(email=email)
    browser.get("/unohtunut-salasana")

    asked = browser.post_form("/unohtunut-salasana", {"login": coachee.username})
    token = mailed_token(service_containers, smtp_sink, email)
    form = browser.get(f"/unohtunut-salasana/uusi?token={token}")
    different = browser.post_form(
        "/unohtunut-salasana/uusi",
        {"token": token, "password": NEW_PASSWORD, "password_again": NEW_PASSWORD + "x"},
    )
    weak = browser.post_form(
        "/unohtunut-salasana/uusi",
        {"token": token, "password": "salasana", "password_again": "salasana"},
    )
    done = browser.post_form(
        "/unohtunut-salasana/uusi",
        {"token": token, "password": NEW_PASSWORD, "password_again": NEW_PASSWORD},
    )

    assert asked.status_code == 303
    assert asked.headers["Location"] == "/unohtunut-salasana?lahetetty=1"
    assert form.status_code == 200 and f'value="{token}"' in form.text
    assert different.status_code == 422 and 'href="#password_again"' in different.text
    assert weak.status_code == 422 and 'href="#password"' in weak.text
    assert "Salasana on liian yleinen" in weak.text
    assert done.status_code == 303
    assert done.headers["Location"] == "/kirjaudu?ilmoitus=salasana-vaihdettu"
    assert "Salasanasi on vaihdettu" in browser.get(done.headers["Location"]).text
    used = browser.get(f"/unohtunut-salasana/uusi?token={token}")
    assert used.status_code == 422 and "Linkki ei enää toimi" in used.text
    assert log_in_by_page(browser, coachee.username, NEW_PASSWORD).status_code == 303


def test_asking_for_an_unknown_login_looks_the_same(browser):
    browser.get("/unohtunut-salasana")

    asked = browser.post_form("/unohtunut-salasana", {"login": "ei-ketaan@example.fi"})

    assert asked.status_code == 303
    assert asked.headers["Location"] == "/unohtunut-salasana?lahetetty=1"
    sent = browser.get(asked.headers["Location"])
    assert "Jos antamasi tunnus tai sähköpostiosoite kuuluu" in sent.text


def test_an_empty_forgotten_password_form_is_refused(browser):
    browser.get("/unohtunut-salasana")

    assert browser.post_form("/unohtunut-salasana", {}).status_code == 422


@pytest.mark.parametrize("query", ["", "?token=", "?token=ei-kelpaa"])
def test_a_link_that_does_not_work_says_so_before_the_form(browser, query):
    answer = browser.get(f"/unohtunut-salasana/uusi{query}")

    assert answer.status_code == 422
    assert 'href="/unohtunut-salasana"' in answer.text
    assert 'name="password"' not in answer.text


@pytest.mark.parametrize("path", ["/omat-tiedot", "/omat-tiedot/salasana", "/tietojeni-hallinta"])
def test_own_pages_send_a_visitor_to_log_in_first(browser, path):
    answer = browser.get(path)

    assert answer.status_code == 303
    assert answer.headers["Location"] == f"/kirjaudu?seuraava={path}"


def details_form(browser) -> dict:
    page = browser.get("/omat-tiedot").text
    fields = {
        name: re.search(rf'name="{name}" type="\w+" value="([^"]*)"', page)[1]
        for name in ("name", "email", "phone", "member_number")
    }
    fields["subscriber_id"] = re.search(r'<option value="([^"]+)" selected>', page)[1]
    return fields


def test_a_coachee_sees_and_changes_their_details_but_not_the_username(coachee_browser, coachee):
    page = coachee_browser.get("/omat-tiedot")

    changed = coachee_browser.post_form(
        "/omat-tiedot", {**details_form(coachee_browser), "phone": "050 765 4321"}
    )

    assert page.status_code == 200 and coachee.username in page.text
    assert 'name="username"' not in page.text
    assert changed.status_code == 303
    assert changed.headers["Location"] == "/omat-tiedot?tallennettu=1"
    shown = coachee_browser.get(changed.headers["Location"]).text
    assert "+358507654321" in shown and "Tietosi on tallennettu" in shown


@pytest.mark.parametrize(
    "change, field",
    [
        ({"name": ""}, "name"),
        ({"email": "ei-osoite"}, "email"),
        ({"member_number": "131052-308T"}, "member_number"),
        ({"subscriber_id": "7b0c3a52-1111-4b8e-9a77-2d4f1c0b8e15"}, "subscriber_id"),
    ],
)
def test_refused_details_are_shown_at_their_field(coachee_browser, change, field):
    answer = coachee_browser.post_form("/omat-tiedot", {**details_form(coachee_browser), **change})

    assert answer.status_code == 422
    assert f'href="#{field}"' in answer.text
    assert f'id="{field}-error"' in answer.text


def test_staff_see_their_details_read_only_and_cannot_post_them(browser, make_coach):
    coach = make_coach()
    browser.log_in(coach.username, coach.password)

    page = browser.get("/omat-tiedot")
    refused = browser.post_form("/omat-tiedot", {"name": "Uusi Nimi"})

    assert page.status_code == 200 and coach.username in page.text
    assert 'action="/omat-tiedot"' not in page.text
    assert refused.status_code == 403


def test_anyone_logged_in_changes_their_password_and_logs_in_again(browser, make_coach):
    coach = make_coach()
    browser.log_in(coach.username, coach.password)
    browser.get("/omat-tiedot/salasana")
    change = {"current_password": coach.password, "new_password": NEW_PASSWORD}
    weak_password = f"{coach.username}-2027"

    wrong = browser.post_form(
        "/omat-tiedot/salasana",
        {**change, "current_password": "väärin-aivan", "new_password_again": NEW_PASSWORD},
    )
    different = browser.post_form(
        "/omat-tiedot/salasana", {**change, "new_password_again": "jotain-muuta-9"}
    )
    weak = browser.post_form(
        "/omat-tiedot/salasana",
        {**change, "new_password": weak_password, "new_password_again": weak_password},
    )
    done = browser.post_form(
        "/omat-tiedot/salasana", {**change, "new_password_again": NEW_PASSWORD}
    )

    assert wrong.status_code == 422 and 'id="current_password-error"' in wrong.text
    assert different.status_code == 422 and 'id="new_password_again-error"' in different.text
    assert weak.status_code == 422 and 'id="new_password-error"' in weak.text
    assert "ei saa sisältää käyttäjätunnustasi" in weak.text
    assert done.status_code == 303
    assert done.headers["Location"] == "/kirjaudu?ilmoitus=salasana-vaihdettu"
    assert SESSION_COOKIE not in browser.cookies
    assert log_in_by_page(browser, coach.username, NEW_PASSWORD).status_code == 303


def test_own_data_is_for_coachees_only(browser, make_coach):
    coach = make_coach()
    browser.log_in(coach.username, coach.password)

    assert browser.get("/tietojeni-hallinta").status_code == 403


def test_a_coachee_asks_for_an_export_with_the_password_and_sees_it_listed(
    coachee_browser, coachee
):
    coachee_browser.get("/tietojeni-hallinta")

    wrong = coachee_browser.post_form(
        "/tietojeni-hallinta/vienti", {"export_password": "väärin-aivan"}
    )
    missing = coachee_browser.post_form("/tietojeni-hallinta/vienti", {})
    asked = coachee_browser.post_form(
        "/tietojeni-hallinta/vienti", {"export_password": coachee.password}
    )

    assert wrong.status_code == 422 and 'id="export_password-error"' in wrong.text
    assert missing.status_code == 422 and 'href="#export_password"' in missing.text
    assert asked.status_code == 303
    assert asked.headers["Location"] == "/tietojeni-hallinta?vienti=pyydetty"

    def ready():
        page = coachee_browser.get("/tietojeni-hallinta").text
        return page if "/export.zip" in page else None

    page = wait_for(ready, seconds=60)
    assert "Tietojen vienti" in page
    download = re.search(r'href="(/api/privacy/requests/[^"]+/export.zip)"', page)[1]
    assert coachee_browser.get(download).status_code == 200


def test_a_coachee_asks_for_erasure_and_the_login_ends(coachee_browser, coachee, client):
    token = coachee_browser.cookies[SESSION_COOKIE]
    coachee_browser.get("/tietojeni-hallinta")

    wrong = coachee_browser.post_form(
        "/tietojeni-hallinta/poisto", {"erasure_password": "väärin-aivan"}
    )
    asked = coachee_browser.post_form(
        "/tietojeni-hallinta/poisto", {"erasure_password": coachee.password}
    )

    assert wrong.status_code == 422 and 'id="erasure_password-error"' in wrong.text
    assert asked.status_code == 303
    assert asked.headers["Location"] == "/tietojeni-hallinta/poisto-pyydetty"
    assert SESSION_COOKIE not in coachee_browser.cookies
    assert "Poistopyyntösi on vastaanotettu" in coachee_browser.get(asked.headers["Location"]).text
    headers = {"Authorization": f"Bearer {token}"}
    assert client.request("GET", "/api/session", headers=headers).status_code == 401


def test_the_fixed_pages_are_there_in_every_language(browser):
    for path in ("/tietosuojaseloste", "/saavutettavuusseloste", "/evasteet"):
        for language in ("fi", "sv", "en"):
            answer = browser.get(path, headers={"Accept-Language": language})

            assert answer.status_code == 200
            assert answer.headers["Content-Language"] == language
            assert answer.text.count("<h1>") == 1


def test_the_cookie_page_names_every_cookie_the_site_sets(browser):
    text = browser.get("/evasteet").text

    for name in (SESSION_COOKIE, TEST_COOKIE, PREFERENCES_COOKIE):
        assert f"<code>{name}</code>" in text
