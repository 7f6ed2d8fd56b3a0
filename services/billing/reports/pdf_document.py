"""A PDF drawn page by page with fpdf2, in the fonts of `pdf_fonts`, in flat memory.

Text that needs shaping goes through HarfBuzz (fpdf2's text shaping, with the Unicode
bidirectional algorithm); other text is one glyph per character and is drawn without it, some
fifty times quicker. Every glyph carries its characters in the font's ToUnicode map, so the text
can be searched and copied, Arabic too.

fpdf2 keeps a document's pages in memory until it writes the file, so pages are drawn in parts of
`pages_per_part`: a full part is written to a temporary file and dropped, and `close()` joins the
parts with pikepdf (qpdf), which copies the pages' content from the part files as it writes the
whole. However long the document, memory holds one part's drawing and qpdf's few KiB per page.
"""

import gc
import tempfile
from contextlib import ExitStack
from functools import lru_cache
from typing import BinaryIO

import pikepdf
from fpdf import FPDF

from services.billing.reports.pdf_fonts import FAMILY, FILES, REGULAR, needs_shaping, printable

PAGES_PER_PART = 200
WIDTH_CACHE_SIZE = 4096
ELLIPSIS = "…"
BASELINE_BELOW_CELL_TOP = 0.8


class PdfDocument:
    """Pages of `width` × `height` points, written to `out` by `close()`; coordinates in points
    from the bottom left, as in PDF. Text is drawn and measured on the current page, so
    `new_page()` comes first."""

    def __init__(
        self,
        out: BinaryIO,
        width: float,
        height: float,
        title: str,
        pages_per_part: int = PAGES_PER_PART,
    ):
        self._out = out
        self._width = width
        self._height = height
        self._title = title
        self._pages_per_part = pages_per_part
        self._part_files = ExitStack()
        self._parts: list[BinaryIO] = []
        self._part: FPDF | None = None
        self._part_font: tuple[str, float] | None = None
        self._pages_in_part = 0
        self.page_count = 0
        self._measure = lru_cache(maxsize=WIDTH_CACHE_SIZE)(self._measured_width)

    def new_page(self) -> None:
        if self._part is None or self._pages_in_part == self._pages_per_part:
            self._write_part()
            self._part = self._new_part()
            self._part_font = None
            self._pages_in_part = 0
        self._part.add_page()
        self._pages_in_part += 1
        self.page_count += 1

    def text(self, x: float, y: float, text: str, font: str = REGULAR, size: float = 8) -> None:
        """Draw `text` with its baseline starting at (`x`, `y`)."""
        shown = printable(text)
        part = self._use_font(font, size)
        if not needs_shaping(shown):
            part.text(x, self._height - y, shown)
            return
        part.set_text_shaping(True)
        try:
            part.set_xy(x, self._height - y - BASELINE_BELOW_CELL_TOP * size)
            part.cell(part.get_string_width(shown, normalized=True), size, shown)
        finally:
            part.set_text_shaping(False)

    def line(self, x1: float, y1: float, x2: float, y2: float, width: float = 0.5) -> None:
        self._part.set_line_width(width)
        self._part.line(x1, self._height - y1, x2, self._height - y2)

    def text_width(self, text: str, font: str = REGULAR, size: float = 8) -> float:
        return self._measure(printable(text), font, size)

    def fitted(self, text: str, font: str, size: float, width: float) -> str:
        """`text`, cut short with an ellipsis if it is wider than `width` points."""
        text = printable(text)
        if self.text_width(text, font, size) <= width:
            return text
        while text and self.text_width(text + ELLIPSIS, font, size) > width:
            text = text[:-1]
        return text + ELLIPSIS

    def close(self) -> None:
        self._write_part()
        sources = [pikepdf.open(part) for part in self._parts]
        try:
            with pikepdf.new() as whole:
                for source in sources:
                    whole.pages.extend(source.pages)
                whole.docinfo[pikepdf.Name.Title] = self._title
                whole.docinfo[pikepdf.Name.Producer] = "Valmennuskalenteri"
                whole.save(self._out)
        finally:
            for source in sources:
                source.close()
            self._part_files.close()

    def _measured_width(self, text: str, font: str, size: float) -> float:
        part = self._use_font(font, size)
        if not needs_shaping(text):
            return part.get_string_width(text, normalized=True)
        part.set_text_shaping(True)
        try:
            return part.get_string_width(text, normalized=True)
        finally:
            part.set_text_shaping(False)

    def _use_font(self, font: str, size: float) -> FPDF:
        if self._part_font != (font, size):
            self._part.set_font(FAMILY, font, size)
            self._part_font = (font, size)
        return self._part

    def _new_part(self) -> FPDF:
        part = FPDF(unit="pt", format=(self._width, self._height))
        for style, path in FILES.items():
            part.add_font(FAMILY, style, path)
        part.set_auto_page_break(False)
        part.set_margin(0)
        part.c_margin = 0
        return part

    def _write_part(self) -> None:
        """Write the part drawn so far to a file of its own and free it. An fpdf2 document holds
        reference cycles, so only the cycle collector frees it: collecting now keeps one part
        in memory at a time instead of two or three."""
        if self._part is None:
            return
        part_file = self._part_files.enter_context(tempfile.TemporaryFile())  # noqa: SIM115 (open until close())
        self._parts.append(part_file)
        self._part.output(part_file)
        part_file.seek(0)
        self._part = None
        gc.collect()
