"""Form tokens masked afresh in every page: each page's text differs, the check still knows it."""

import pytest

from gateway.cookies import TEST_COOKIE, new_form_token
from gateway.pages.form_tokens import form_token_matches, masked, unmasked


def test_a_masked_token_differs_each_time_and_unmasks_to_the_token():
    token = new_form_token()

    first, second = masked(token), masked(token)

    assert first != second
    assert token not in first
    assert unmasked(first) == unmasked(second) == token.encode()
    assert form_token_matches(first, token)


@pytest.mark.parametrize(
    "sent",
    ["", "vaara", "!!!!" * 20, "ä" * 86, "QUJD", "QUJDRA"],
    ids=["empty", "short", "not base64", "not ascii", "odd length", "other token"],
)
def test_what_masks_no_token_matches_nothing(sent):
    assert not form_token_matches(sent, new_form_token())


def test_the_token_itself_still_matches():
    token = new_form_token()

    assert form_token_matches(token, token)
    assert not form_token_matches(new_form_token(), token)


def test_two_pages_hold_different_token_texts_and_both_are_accepted(browser):
    browser.get("/ei-ole")
    first = browser.form_token
    browser.get("/ei-ole")
    second = browser.form_token

    assert first != second
    assert browser.cookies[TEST_COOKIE] not in first + second
    for token in (first, second):
        answer = browser.post_form("/asetukset", {"theme": "dark"}, token=token)
        assert answer.status_code == 303


def test_a_logged_in_persons_pages_mask_their_sessions_token(browser, make_coachee):
    coachee = make_coachee()
    browser.log_in(coachee.username, coachee.password)
    session_token = browser.get("/api/session").json()["csrf_token"]
    browser.get("/omat-tiedot")
    first = browser.form_token
    browser.get("/omat-tiedot")

    assert first != browser.form_token
    assert session_token not in browser.last.text
    assert browser.post_form("/asetukset", {"theme": "dark"}, token=first).status_code == 303


def test_a_forged_or_garbled_masked_token_is_refused_with_the_403_page(browser):
    browser.get("/ei-ole")
    page_token = browser.form_token
    garbled = page_token[:40] + ("A" if page_token[40] != "A" else "B") + page_token[41:]
    forged = masked(new_form_token())

    for token in (garbled, forged, ""):
        answer = browser.post_form("/asetukset", {"language": "sv"}, token=token)
        assert answer.status_code == 403, token
        assert answer.headers["Content-Type"].startswith("text/html")
        assert "Sinulla ei ole pääsyä tälle sivulle" in answer.text
    assert "preferences" not in str(browser.cookies)


def test_the_unmasked_token_of_a_page_from_before_masking_is_accepted(browser):
    browser.get("/ei-ole")

    answer = browser.post_form("/asetukset", {"theme": "dark"}, token=browser.cookies[TEST_COOKIE])

    assert answer.status_code == 303
