"""A PDF drawn page by page in the fonts of `fonts`, each page written to the file when the next
begins, so a document of any length takes flat memory: the file keeps each object's offset and
the fonts the glyphs used so far (at most every glyph of two fonts).

Text that needs shaping (right-to-left letters, combining marks) goes through `shaping`; other
text is one glyph per character, found in the font's character map, some fifty times quicker.
Every glyph carries its characters in the font's ToUnicode map, so the text can be searched and
copied, Arabic too.
"""

import struct
from functools import lru_cache
from typing import BinaryIO

from services.infra.pdf.embedding import embed
from services.infra.pdf.fonts import BOLD, FILES, REGULAR, font, needs_shaping, printable
from services.infra.pdf.objects import PdfFile, number, reference, text_string
from services.infra.pdf.shaping import shaped

WIDTH_CACHE_SIZE = 1024
ELLIPSIS = "…"
RESOURCE_NAMES = {REGULAR: b"F1", BOLD: b"F2"}


def glyph_string(glyphs: list[int]) -> bytes:
    return b"<" + struct.pack(f">{len(glyphs)}H", *glyphs).hex().encode("ascii") + b">"


@lru_cache(maxsize=WIDTH_CACHE_SIZE)
def advance(text: str, style: str) -> float:
    """The width of printable `text` in thousandths of the font size."""
    face = font(style)
    if needs_shaping(text):
        return shaped(face, text)[1]
    return sum(map(face.width.__getitem__, map(face.glyph.__getitem__, text)))


class PdfDocument:
    """Pages of `width` × `height` points, finished by `close()`; coordinates in points from the
    bottom left, as in PDF. `new_page()` comes before anything is drawn."""

    def __init__(self, out: BinaryIO, width: float, height: float, title: str):
        self._file = PdfFile(out)
        self._catalog = self._file.reserve()
        self._page_tree = self._file.reserve()
        self._font_ids = {style: self._file.reserve() for style in FILES}
        self._characters: dict[str, dict[int, str]] = {style: {} for style in FILES}
        self._simple_characters: dict[str, set[str]] = {style: set() for style in FILES}
        self._title = title
        self._page_entries = (
            b"/Type /Page /Parent %s /MediaBox [0 0 %s %s] /Resources << /Font << %s >> >>"
            % (
                reference(self._page_tree),
                number(width),
                number(height),
                b" ".join(
                    b"/%s %s" % (RESOURCE_NAMES[style], reference(font_id))
                    for style, font_id in self._font_ids.items()
                ),
            )
        )
        self._pages: list[int] = []
        self._operations: list[bytes] | None = None

    @property
    def page_count(self) -> int:
        return len(self._pages) + (self._operations is not None)

    def new_page(self) -> None:
        self._finish_page()
        self._operations = []

    def text(self, x: float, y: float, text: str, style: str = REGULAR, size: float = 8) -> None:
        """Draw `text` with its baseline starting at (`x`, `y`)."""
        shown = printable(text)
        if not shown:
            return
        selected = b"/%s %s Tf" % (RESOURCE_NAMES[style], number(size))
        if not needs_shaping(shown):
            glyphs = self._simple_glyphs(shown, style)
            self._operations.append(
                b"BT %s %s %s Td %s Tj ET" % (selected, number(x), number(y), glyph_string(glyphs))
            )
            return
        placed, _ = shaped(font(style), shown)
        characters = self._characters[style]
        operations = [b"BT", selected]
        for each in placed:
            if not characters.get(each.glyph):
                characters[each.glyph] = each.text
            operations.append(
                b"1 0 0 1 %s %s Tm %s Tj"
                % (
                    number(x + each.x * size / 1000),
                    number(y + each.y * size / 1000),
                    glyph_string([each.glyph]),
                )
            )
        operations.append(b"ET")
        self._operations.append(b" ".join(operations))

    def line(self, x1: float, y1: float, x2: float, y2: float, width: float = 0.5) -> None:
        self._operations.append(
            b"%s w %s %s m %s %s l S"
            % (number(width), number(x1), number(y1), number(x2), number(y2))
        )

    def text_width(self, text: str, style: str = REGULAR, size: float = 8) -> float:
        return advance(printable(text), style) * size / 1000

    def fitted(self, text: str, style: str, size: float, width: float) -> str:
        """`text`, cut short with an ellipsis if it is wider than `width` points."""
        text = printable(text)
        room = width * 1000 / size
        if advance(text, style) <= room:
            return text
        while text and advance(text + ELLIPSIS, style) > room:
            text = text[:-1]
        return text + ELLIPSIS

    def wrapped(self, text: str, style: str, size: float, width: float) -> list[str]:
        """`text` in lines no wider than `width` points, broken between words (and within a
        word wider than a line); each line break in `text` starts a new line."""
        room = width * 1000 / size
        lines = []
        for paragraph in text.splitlines() or [""]:
            line = ""
            for word in printable(paragraph).split(" "):
                candidate = f"{line} {word}" if line else word
                if advance(candidate, style) <= room:
                    line = candidate
                    continue
                if line:
                    lines.append(line)
                line = word
                while len(line) > 1 and advance(line, style) > room:
                    cut = len(line) - 1
                    while cut > 1 and advance(line[:cut], style) > room:
                        cut -= 1
                    lines.append(line[:cut])
                    line = line[cut:]
            lines.append(line)
        return lines

    def close(self) -> None:
        self._finish_page()
        pdf = self._file
        for style, font_id in self._font_ids.items():
            embed(pdf, font_id, font(style), self._glyph_texts(style))
        kids = b" ".join(reference(page) for page in self._pages)
        pdf.write(
            self._page_tree,
            b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, len(self._pages)),
        )
        pdf.write(self._catalog, b"<< /Type /Catalog /Pages %s >>" % reference(self._page_tree))
        info = pdf.add(b"<< /Title %s /Producer (Valmennuskalenteri) >>" % text_string(self._title))
        pdf.close(self._catalog, info)

    def _simple_glyphs(self, text: str, style: str) -> list[int]:
        self._simple_characters[style].update(text)
        return list(map(font(style).glyph.__getitem__, text))

    def _glyph_texts(self, style: str) -> dict[int, str]:
        """Each glyph drawn in `style` and the characters it stands for."""
        texts = dict(self._characters[style])
        glyph = font(style).glyph
        for character in sorted(self._simple_characters[style]):
            if not texts.get(glyph[character]):
                texts[glyph[character]] = character
        return texts

    def _finish_page(self) -> None:
        if self._operations is None:
            return
        contents = self._file.add_stream(b"\n".join(self._operations))
        self._pages.append(
            self._file.add(b"<< %s /Contents %s >>" % (self._page_entries, reference(contents)))
        )
        self._operations = None
