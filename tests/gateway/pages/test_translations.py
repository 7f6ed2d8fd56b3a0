"""Every Finnish string the pages show has its Swedish and English words in some area's catalog.

The failure lists what is missing, by language, as `msgid "…"` lines to paste into the area's
`gateway/pages/translations/<language>/<area>.po`.
"""

from datetime import UTC, datetime
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir

from gateway.pages.i18n import Language, messages_of

PAGES = Path(__file__).parents[3] / "gateway" / "pages"
METHODS = [("**.py", "python"), ("**/templates/**.html", "jinja2.ext:babel_extract")]
OPTIONS = {"**/templates/**.html": {"extensions": "jinja2.ext.do,jinja2.ext.i18n"}}
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None}


def finnish_strings() -> set[str]:
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        PAGES, METHODS, OPTIONS, KEYWORDS
    ):
        found.update(message if isinstance(message, tuple) else (message,))
    return {message for message in found if message}


def test_the_pages_have_strings_to_translate():
    assert "Siirry pääsisältöön" in finnish_strings()


@pytest.mark.parametrize("language", ["sv", "en"])
def test_every_page_string_is_translated(language):
    missing = sorted(finnish_strings() - messages_of(language).keys())
    assert not missing, "\n".join(f'msgid "{message}"' for message in missing)


@pytest.mark.parametrize(
    ("code", "morning", "evening"),
    [("fi", "9.05", "17.30"), ("sv", "09:05", "17:30"), ("en", "09:05", "17:30")],
)
def test_clock_times_are_written_in_helsinki_time_as_each_language_writes_them(
    code, morning, evening
):
    language = Language(code)

    assert language.time_text("2027-03-02T07:05:00+00:00") == morning
    assert language.time_text(datetime(2027, 7, 1, 14, 30, tzinfo=UTC)) == evening
