"""The fonts the billing PDFs are drawn in, and what they can print.

DejaVu Sans Condensed, regular and bold (`fonts/`, unmodified from Debian's fonts-dejavu-core,
under the Bitstream Vera and Arev licences in `fonts/LICENSE`), covers Latin with the Finnish,
Sami and Vietnamese letters, Greek, Cyrillic and Arabic. A character neither font has (Chinese,
say) prints as U+FFFD, so a reader sees that something is missing rather than nothing; the CSV
form of the report holds the exact text.
"""

import re
import unicodedata
from functools import cache
from pathlib import Path

from fontTools.ttLib import TTFont

FAMILY = "DejaVuSansCondensed"
REGULAR = ""
BOLD = "B"
FONTS = Path(__file__).parent / "fonts"
FILES = {REGULAR: FONTS / "DejaVuSansCondensed.ttf", BOLD: FONTS / "DejaVuSansCondensed-Bold.ttf"}
MISSING = "\ufffd"
RIGHT_TO_LEFT = frozenset({"R", "AL", "AN"})


def character_class(code_points: list[int], negated: bool = False) -> re.Pattern[str]:
    """A regular expression matching one of `code_points` (or, negated, any other character)."""
    ranges: list[list[int]] = []
    for code in sorted(code_points):
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1][1] = code
        else:
            ranges.append([code, code])
    members = "".join(f"{re.escape(chr(first))}-{re.escape(chr(last))}" for first, last in ranges)
    return re.compile(f"[{'^' if negated else ''}{members}]")


@cache
def coverage() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """(characters the fonts lack, characters that need shaping), read from the fonts' maps once."""
    covered = set.intersection(
        *(set(TTFont(path, lazy=True).getBestCmap()) for path in FILES.values())
    )
    shaped = [
        code
        for code in covered
        if unicodedata.bidirectional(chr(code)) in RIGHT_TO_LEFT or unicodedata.combining(chr(code))
    ]
    return character_class(list(covered), negated=True), character_class(shaped)


def printable(text: str) -> str:
    """`text` on one line, composed (NFC) so that a letter with diacritics is one glyph where the
    font has one, and with `MISSING` for each character the fonts lack."""
    missing, _ = coverage()
    return missing.sub(MISSING, unicodedata.normalize("NFC", " ".join(text.split())))


def needs_shaping(text: str) -> bool:
    """Whether `text` has right-to-left letters (which join, and run from right to left) or
    combining marks (placed on the letter before), which only a shaping engine draws right."""
    _, shaped = coverage()
    return shaped.search(text) is not None
