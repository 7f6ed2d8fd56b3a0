"""Pages are gzipped for browsers that take it; small answers and other browsers get them plain."""

import gzip
import re

from gateway.pages.rendering import MIN_COMPRESSED_BYTES
from tests.gateway.pages.page_client import FORM_TOKEN


def as_sent(browser, path: str, accept_encoding: str | None):
    """The answer to `path` and its body as it came over the wire (not decompressed)."""
    answer = browser.get(path, headers={"Accept-Encoding": accept_encoding}, stream=True)
    return answer, answer.raw.read(decode_content=False)


def without_tokens(page: bytes) -> str:
    return FORM_TOKEN.sub('name="csrf_token" value=""', page.decode())


def test_a_page_asked_with_gzip_comes_gzipped_and_is_the_same_page(browser):
    plain, plain_body = as_sent(browser, "/", None)
    zipped, zipped_body = as_sent(browser, "/", "gzip, deflate, br")

    assert plain.status_code == zipped.status_code == 200
    assert "Content-Encoding" not in plain.headers
    assert len(plain_body) >= MIN_COMPRESSED_BYTES
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert int(zipped.headers["Content-Length"]) == len(zipped_body) < len(plain_body)
    assert without_tokens(gzip.decompress(zipped_body)) == without_tokens(plain_body)
    for answer in (plain, zipped):
        assert re.split(r",\s*", answer.headers["Vary"]) == ["Cookie", "Accept-Encoding"]


def test_gzip_refused_with_q0_gets_the_page_plain(browser):
    answer, body = as_sent(browser, "/", "gzip;q=0, identity")

    assert "Content-Encoding" not in answer.headers
    assert body.lstrip().startswith(b"<!DOCTYPE html>")


def test_an_error_page_is_gzipped_too(browser):
    answer, body = as_sent(browser, "/ei-ole-tallaista", "gzip")

    assert answer.status_code == 404
    assert answer.headers["Content-Encoding"] == "gzip"
    assert "Sivua ei löytynyt" in gzip.decompress(body).decode()


def test_a_small_htmx_fragment_is_sent_plain(browser):
    answer, body = as_sent(browser, "/varaa/tunniste", "gzip")

    assert answer.status_code == 200
    assert len(body) < MIN_COMPRESSED_BYTES
    assert "Content-Encoding" not in answer.headers
    assert b'id="member_number-label"' in body
    assert "Accept-Encoding" in answer.headers["Vary"]


def test_json_answers_are_not_compressed(browser):
    answer, _ = as_sent(browser, "/api/services", "gzip")

    assert "Content-Encoding" not in answer.headers
