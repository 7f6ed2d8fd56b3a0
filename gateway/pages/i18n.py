"""Languages of the pages: Finnish source strings, Swedish and English catalogs, Helsinki time.

Finnish strings are the message ids. Each area of the site keeps its own catalog file,
`translations/<language>/<area>.po`, so people working on different pages never edit the same
file; the files of a language are read and merged when the gateway starts (no compile step).
Marshmallow's and the contracts' field errors are English; `translations/<language>/field_errors.po`
says them in each language (English ids), and an error without a translation is shown in general
words, never in English on a Finnish page.
"""

import re
from datetime import date, datetime
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime
from babel.messages.pofile import read_po

LANGUAGES = ("fi", "sv", "en")
DEFAULT_LANGUAGE = "fi"
LANGUAGE_NAMES = {"fi": "Suomi", "sv": "Svenska", "en": "English"}
HELSINKI = ZoneInfo("Europe/Helsinki")
TRANSLATIONS = Path(__file__).parent / "translations"
FIELD_ERRORS = "field_errors"
GENERAL_FIELD_ERROR = "Tarkista tämä kohta."
NUMBER = re.compile(r"\d+")


def read_catalog(path: Path) -> dict[str, str]:
    with path.open("rb") as source:
        catalog = read_po(source)
    return {
        message.id: message.string
        for message in catalog
        if message.id and message.string and not message.fuzzy and isinstance(message.id, str)
    }


@cache
def messages_of(language: str) -> dict[str, str]:
    """The page strings of `language`, Finnish id → translation (empty for Finnish)."""
    if language == DEFAULT_LANGUAGE:
        return {}
    merged = {}
    for path in sorted((TRANSLATIONS / language).glob("*.po")):
        if path.stem != FIELD_ERRORS:
            merged.update(read_catalog(path))
    return merged


@cache
def field_errors_of(language: str) -> dict[str, str]:
    """English field errors → their words in `language`."""
    path = TRANSLATIONS / language / f"{FIELD_ERRORS}.po"
    return read_catalog(path) if path.exists() else {}


class Language:
    """One language's words and formats, handed to templates and page handlers."""

    def __init__(self, code: str):
        self.code = code if code in LANGUAGES else DEFAULT_LANGUAGE
        self.messages = messages_of(self.code)

    def gettext(self, message: str) -> str:
        return self.messages.get(message, message)

    def ngettext(self, singular: str, plural: str, count: int) -> str:
        return self.gettext(singular if count == 1 else plural)

    def field_error(self, message: str) -> str:
        """A schema's or service's English field error in this language.

        Numbers in a message are matched as `{0}`, `{1}` …, so "Length must be between 1 and
        200." is found as "Length must be between {0} and {1}." and said with its numbers.
        """
        numbers = NUMBER.findall(message)
        counter = iter(range(len(numbers)))
        pattern = NUMBER.sub(lambda _match: f"{{{next(counter)}}}", message)
        translated = field_errors_of(self.code).get(pattern)
        if translated is None:
            return message if self.code == "en" else self.gettext(GENERAL_FIELD_ERROR)
        return translated.format(*numbers)

    def datetime_text(self, moment: datetime | str, form: str = "short") -> str:
        """`ti 2.3.2027 klo 9.00` in Finnish; the person's time is always Helsinki's."""
        moment = as_datetime(moment).astimezone(HELSINKI)
        if form == "short":
            day = self.date_text(moment, "weekday")
            return f"{day} {self.gettext('klo')} {self.time_text(moment)}"
        return format_datetime(moment, form, tzinfo=HELSINKI, locale=self.code)

    def date_text(self, day: date | datetime | str, form: str = "short") -> str:
        if isinstance(day, str):
            day = date.fromisoformat(day[:10]) if len(day) <= 10 else as_datetime(day)
        if isinstance(day, datetime):
            day = day.astimezone(HELSINKI).date()
        if form == "weekday":
            weekday = format_date(day, "EEE", locale=self.code).rstrip(".")
            return f"{weekday} {self.date_text(day)}"
        if form == "short":
            return format_date(day, DAY_FORMATS[self.code], locale=self.code)
        return format_date(day, form, locale=self.code)

    def time_text(self, moment: datetime | str) -> str:
        """A clock time in Helsinki, as the language writes it. Formatted here rather than by
        Babel: the time picker writes some 200 a page, and Babel parses its pattern each time."""
        local = as_datetime(moment).astimezone(HELSINKI)
        return TIME_FORMATS[self.code].format(hour=local.hour, minute=local.minute)


DAY_FORMATS = {"fi": "d.M.yyyy", "sv": "d.M.yyyy", "en": "d MMM yyyy"}
TIME_FORMATS = {
    "fi": "{hour}.{minute:02}",
    "sv": "{hour:02}:{minute:02}",
    "en": "{hour:02}:{minute:02}",
}


def as_datetime(moment: datetime | str) -> datetime:
    return datetime.fromisoformat(moment) if isinstance(moment, str) else moment


def negotiated_language(accept_language: str | None) -> str:
    """The first of fi, sv, en the browser's `Accept-Language` names by quality; else Finnish."""
    ranked = []
    for position, part in enumerate((accept_language or "").split(",")):
        tag, _, parameters = part.strip().partition(";")
        quality = 1.0
        if parameters.strip().startswith("q="):
            try:
                quality = float(parameters.strip()[2:])
            except ValueError:
                quality = 0.0
        ranked.append((-quality, position, tag.strip().lower()[:2]))
    for _quality, _position, code in sorted(ranked):
        if code in LANGUAGES:
            return code
    return DEFAULT_LANGUAGE
