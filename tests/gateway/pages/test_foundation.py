"""The page foundation: headers, HTML errors, form tokens, languages and static files."""

import pytest

from gateway.pages.rendering import PAGE_HEADERS


def test_an_unknown_page_is_an_html_404_with_the_page_headers(browser):
    answer = browser.get("/ei-ole-tallaista")

    assert answer.status_code == 404
    assert answer.headers["Content-Type"].startswith("text/html")
    assert "Sivua ei löytynyt" in answer.text
    assert '<meta name="robots" content="noindex, nofollow">' in answer.text
    assert '<html lang="fi"' in answer.text
    for name, value in PAGE_HEADERS.items():
        assert answer.headers[name] == value
    assert "unsafe-inline" not in answer.headers["Content-Security-Policy"]
    assert answer.headers["Content-Language"] == "fi"


def test_an_unknown_api_path_stays_json(browser):
    answer = browser.get("/api/ei-ole")

    assert answer.status_code == 404
    assert answer.headers["Content-Type"].startswith("application/json")


def test_the_language_follows_accept_language_until_one_is_chosen(browser):
    swedish = browser.get("/ei-ole", headers={"Accept-Language": "sv-FI,sv;q=0.9,en;q=0.5"})
    assert "Sidan hittades inte" in swedish.text
    assert swedish.headers["Content-Language"] == "sv"

    chosen = browser.post_form("/asetukset", {"language": "en", "paluu": "/ei-ole"})
    assert chosen.status_code == 303
    assert chosen.headers["Location"] == "/ei-ole"

    english = browser.get("/ei-ole", headers={"Accept-Language": "sv"})
    assert "Page not found" in english.text
    assert '<html lang="en"' in english.text


def test_a_form_without_its_token_is_refused_with_an_html_page(browser):
    browser.get("/ei-ole")

    answer = browser.post_form("/asetukset", {"language": "sv"}, token="vaara")

    assert answer.status_code == 403
    assert answer.headers["Content-Type"].startswith("text/html")
    assert "preferences" not in str(browser.cookies)


def test_a_form_from_a_browser_that_refuses_cookies_says_so(browser):
    browser.get("/ei-ole")
    token = browser.form_token
    browser.cookies.clear()

    answer = browser.post_form("/asetukset", {"language": "sv"}, token=token)

    assert answer.status_code == 400
    assert "Selaimesi ei hyväksy evästeitä" in answer.text


def test_a_form_from_another_site_is_refused_with_an_html_page(browser):
    browser.get("/ei-ole")

    answer = browser.post_form(
        "/asetukset", {"language": "sv"}, headers={"Origin": "https://pahis.example"}
    )

    assert answer.status_code == 403
    assert answer.headers["Content-Type"].startswith("text/html")


@pytest.mark.parametrize("back", ["https://pahis.example/", "//pahis.example/", "javascript:x"])
def test_the_preferences_form_never_sends_the_browser_to_another_site(browser, back):
    browser.get("/ei-ole")

    answer = browser.post_form("/asetukset", {"theme": "dark", "paluu": back})

    assert answer.status_code == 303
    assert answer.headers["Location"] == "/"


def test_static_files_are_cached_and_confined_to_their_folder(browser):
    css = browser.get("/static/site.css")
    assert css.status_code == 200
    assert css.headers["Content-Type"].startswith("text/css")
    again = browser.get("/static/site.css", headers={"If-None-Match": css.headers["ETag"]})
    assert again.status_code == 304

    assert browser.get("/static/../service.py").status_code == 404
    assert browser.get("/static/%2e%2e/service.py").status_code == 404


def test_a_logged_in_person_can_change_the_language_on_a_404_page(browser, make_coachee):
    coachee = make_coachee()
    browser.log_in(coachee.username, coachee.password)
    assert browser.get("/ei-ole").status_code == 404

    answer = browser.post_form("/asetukset", {"language": "sv", "paluu": "/ei-ole"})

    assert answer.status_code == 303
    assert "Sidan hittades inte" in browser.get("/ei-ole").text
