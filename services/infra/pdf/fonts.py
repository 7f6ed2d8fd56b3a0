"""The fonts our PDFs are drawn in, read with HarfBuzz, and what they can print.

DejaVu Sans Condensed, regular and bold (`fonts/`, unmodified from Debian's fonts-dejavu-core,
under the Bitstream Vera and Arev licences in `fonts/LICENSE`), covers Latin with the Finnish,
Sami and Vietnamese letters, Greek, Cyrillic and Arabic. A character neither font has (Chinese,
say) prints as U+FFFD, so a reader sees that something is missing rather than nothing.

A font file is read and its character map built once per process (`font()`); a document then
asks HarfBuzz for the subset of the glyphs it used (`Font.subset`), keeping their glyph ids, so
the ids drawn on pages written long before stay valid.
"""

import re
import unicodedata
from functools import cache
from pathlib import Path

import uharfbuzz as hb

REGULAR = "regular"
BOLD = "bold"
FILES = {
    REGULAR: Path(__file__).parent / "fonts" / "DejaVuSansCondensed.ttf",
    BOLD: Path(__file__).parent / "fonts" / "DejaVuSansCondensed-Bold.ttf",
}
MISSING = "\ufffd"
RIGHT_TO_LEFT = frozenset({"R", "AL", "AN"})
PDF_UNITS_PER_EM = 1000
UNNEEDED_TABLES = ("GSUB", "GPOS", "GDEF", "MATH", "kern", "gasp")


class LookedUp(dict):
    """A mapping filled as it is read: each key's value is computed once by `look_up`."""

    def __init__(self, look_up):
        super().__init__()
        self._look_up = look_up

    def __missing__(self, key):
        value = self[key] = self._look_up(key)
        return value


class Font:
    """One font file: the characters it has, `glyph[character]` (for one it has),
    `width[glyph]` (its advance in thousandths of the font size), and HarfBuzz's font for
    shaping."""

    def __init__(self, path: Path):
        self.face = hb.Face(hb.Blob.from_file_path(path))
        self.hb_font = hb.Font(self.face)
        self.name = path.stem
        self.scale = PDF_UNITS_PER_EM / self.face.upem
        self.characters = frozenset(self.face.unicodes)
        self.glyph = LookedUp(lambda character: self.hb_font.get_nominal_glyph(ord(character)))
        self.width = LookedUp(lambda glyph: self.hb_font.get_glyph_h_advance(glyph) * self.scale)

    def table(self, tag: str) -> bytes:
        return self.face.reference_table(tag).data

    def subset(self, glyphs: set[int]) -> bytes:
        """The font file with only `glyphs` (and .notdef) drawn, each keeping its glyph id."""
        wanted = hb.SubsetInput()
        wanted.glyph_set.update(glyphs | {0})
        wanted.flags = hb.SubsetFlags.RETAIN_GIDS | hb.SubsetFlags.NO_HINTING
        for tag in UNNEEDED_TABLES:
            wanted.drop_table_tag_set.add(int.from_bytes(tag.encode("ascii"), "big"))
        return hb.subset(self.face, wanted).blob.data


@cache
def font(style: str) -> Font:
    return Font(FILES[style])


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
    """(characters the fonts lack, characters that need shaping), from the fonts' maps once."""
    covered = frozenset.intersection(*(font(style).characters for style in FILES))
    shaped = [
        code
        for code in covered
        if unicodedata.bidirectional(chr(code)) in RIGHT_TO_LEFT or unicodedata.combining(chr(code))
    ]
    return character_class(list(covered), negated=True), character_class(shaped)


def printable(text: str) -> str:
    """`text` on one line, composed (NFC) so that a letter with diacritics is one glyph where the
    font has one, and with `MISSING` for each character the fonts lack."""
    one_line = " ".join(text.split())
    if one_line.isascii() and one_line.isprintable():
        return one_line
    missing, _ = coverage()
    return missing.sub(MISSING, unicodedata.normalize("NFC", one_line))


def needs_shaping(text: str) -> bool:
    """Whether `text` has right-to-left letters (which join, and run from right to left) or
    combining marks (placed on the letter before), which only a shaping engine draws right."""
    _, shaped = coverage()
    return shaped.search(text) is not None
