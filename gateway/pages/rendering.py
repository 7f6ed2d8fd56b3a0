"""One way to answer with a page: `render()` sets the page headers on every HTML answer.

The headers are web.md's: a strict CSP without inline code (scripts and styles only from our
own static files), `Referrer-Policy: same-origin` (under `no-referrer` Chromium sends
`Origin: null` on form posts and the origin check would refuse them), no caching, the page's
language, and `Vary: Cookie` since the same address shows each person their own page.

A page is gzipped when the browser takes it and it is worth it (`MIN_COMPRESSED_BYTES`): its form
tokens are masked per response (`form_tokens`), so compression cannot leak them (BREACH).
`Vary: Accept-Encoding` goes on every page, compressed or not.
"""

import gzip
from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from werkzeug.wrappers import Response

from gateway.cookies import set_test_cookie
from gateway.pages.i18n import LANGUAGE_NAMES, LANGUAGES, Language
from gateway.pages.navigation import navigation_for
from gateway.pages.vocabulary import words

TEMPLATES = Path(__file__).parent / "templates"
PAGE_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self'; "
    "img-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
    "base-uri 'none'",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
    "Vary": "Cookie, Accept-Encoding",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "X-Robots-Tag": "noindex, nofollow",
    "Cross-Origin-Opener-Policy": "same-origin",
}
MIN_COMPRESSED_BYTES = 1024
"""Smaller pages (htmx's small fragments) gain too little from gzip to be worth its header."""
GZIP_LEVEL = 6


@cache
def environment(language_code: str) -> Environment:
    """Templates compiled once per language, with that language's gettext installed."""
    language = Language(language_code)
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"]),
        extensions=["jinja2.ext.i18n", "jinja2.ext.do"],
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_callables(language.gettext, language.ngettext, newstyle=True)
    env.globals.update(
        language=language, language_names=LANGUAGE_NAMES, languages=LANGUAGES, words=words
    )
    env.filters.update(
        datetime=language.datetime_text, date=language.date_text, time=language.time_text
    )
    return env


def render(visitor, template: str, context: dict | None = None, status: int = 200) -> Response:
    """The page `template` for `visitor`, with the page headers; 422 for a refused form."""
    page = environment(visitor.language.code).get_template(template)
    html = page.render(visitor=visitor, navigation=navigation_for(visitor), **(context or {}))
    response = with_page_headers(Response(html, status=status, mimetype="text/html"), visitor)
    if visitor.accepts_gzip and response.content_length >= MIN_COMPRESSED_BYTES:
        response.set_data(gzip.compress(response.get_data(), GZIP_LEVEL, mtime=0))
        response.headers["Content-Encoding"] = "gzip"
    return response


def with_page_headers(response: Response, visitor) -> Response:
    response.headers.update(PAGE_HEADERS)
    response.headers["Content-Language"] = visitor.language.code
    if visitor.new_form_token:
        set_test_cookie(response, visitor.form_token)
    return response


def redirect(visitor, location: str) -> Response:
    """See other (303): after a form is accepted, the browser loads `location` with GET."""
    response = Response(status=303, headers={"Location": location})
    return with_page_headers(response, visitor)
