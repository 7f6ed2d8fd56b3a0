"""A minimal PDF writer that streams: each page goes to the file as soon as it is finished.

However many pages a document has, memory holds one page's drawing operations plus each
object's byte offset (for the cross-reference table written at the end). Text uses the standard
fonts Helvetica and Helvetica-Bold in WinAnsiEncoding (cp1252), which every PDF reader has, so
nothing is embedded; a character outside cp1252 prints as "?".
"""

import zlib
from typing import BinaryIO

from services.billing.pdf_font_metrics import HELVETICA, HELVETICA_BOLD

REGULAR = "regular"
BOLD = "bold"
FONTS = {
    REGULAR: (b"F1", b"Helvetica", HELVETICA),
    BOLD: (b"F2", b"Helvetica-Bold", HELVETICA_BOLD),
}
FONT_OBJECTS = {REGULAR: 3, BOLD: 4}
CATALOG, PAGES = 1, 2
FIRST_FREE_OBJECT = 5
ELLIPSIS = "…"


def encoded(text: str) -> bytes:
    one_line = " ".join(text.split())
    return one_line.encode("cp1252", errors="replace")


def text_width(text: str, font: str, size: float) -> float:
    widths = FONTS[font][2]
    return sum(widths[byte] for byte in encoded(text)) * size / 1000


def fitted(text: str, font: str, size: float, width: float) -> str:
    """`text`, cut short with an ellipsis if it is wider than `width` points."""
    if text_width(text, font, size) <= width:
        return text
    while text and text_width(text + ELLIPSIS, font, size) > width:
        text = text[:-1]
    return text + ELLIPSIS


def literal(text: str) -> bytes:
    escaped = encoded(text).replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")
    return b"(" + escaped + b")"


def number(value: float) -> bytes:
    if value == int(value):
        return b"%d" % value
    return f"{value:.2f}".rstrip("0").rstrip(".").encode("ascii")


class Page:
    """The drawing operations of one page; coordinates in points from the bottom left."""

    def __init__(self):
        self._operations: list[bytes] = []

    def text(self, x: float, y: float, text: str, font: str = REGULAR, size: float = 8) -> None:
        name = FONTS[font][0]
        self._operations.append(
            b"BT /%s %s Tf %s %s Td %s Tj ET"
            % (name, number(size), number(x), number(y), literal(text))
        )

    def line(self, x1: float, y1: float, x2: float, y2: float, width: float = 0.5) -> None:
        self._operations.append(
            b"%s w %s %s m %s %s l S"
            % (number(width), number(x1), number(y1), number(x2), number(y2))
        )

    def content(self) -> bytes:
        return b"\n".join(self._operations)


class PdfWriter:
    """Writes a PDF to `out` page by page; `close()` finishes the document."""

    def __init__(self, out: BinaryIO, width: float, height: float, title: str):
        self._out = out
        self._position = 0
        self._offsets: dict[int, int] = {}
        self._page_ids: list[int] = []
        self._next_id = FIRST_FREE_OBJECT
        self._media_box = b"[0 0 %s %s]" % (number(width), number(height))
        self._title = title
        self._write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
        for font, object_id in FONT_OBJECTS.items():
            _, base_font, _ = FONTS[font]
            self._object(
                object_id,
                b"<< /Type /Font /Subtype /Type1 /BaseFont /%s /Encoding /WinAnsiEncoding >>"
                % base_font,
            )

    @property
    def page_count(self) -> int:
        return len(self._page_ids)

    def add_page(self, page: Page) -> None:
        stream = zlib.compress(page.content())
        contents = self._new_object(
            b"<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream" % (len(stream), stream)
        )
        fonts = b" ".join(
            b"/%s %d 0 R" % (FONTS[font][0], object_id) for font, object_id in FONT_OBJECTS.items()
        )
        page_id = self._new_object(
            b"<< /Type /Page /Parent %d 0 R /MediaBox %s /Resources << /Font << %s >> >> "
            b"/Contents %d 0 R >>" % (PAGES, self._media_box, fonts, contents)
        )
        self._page_ids.append(page_id)

    def close(self) -> None:
        kids = b" ".join(b"%d 0 R" % page_id for page_id in self._page_ids)
        self._object(
            PAGES, b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, len(self._page_ids))
        )
        self._object(CATALOG, b"<< /Type /Catalog /Pages %d 0 R >>" % PAGES)
        info = self._new_object(
            b"<< /Title %s /Producer (Valmennuskalenteri) >>" % literal(self._title)
        )
        self._write_cross_references(info)

    def _write_cross_references(self, info: int) -> None:
        start = self._position
        size = self._next_id
        self._write(b"xref\n0 %d\n0000000000 65535 f \n" % size)
        for object_id in range(1, size):
            self._write(b"%010d 00000 n \n" % self._offsets[object_id])
        self._write(
            b"trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n"
            % (size, CATALOG, info, start)
        )

    def _new_object(self, body: bytes) -> int:
        object_id = self._next_id
        self._next_id += 1
        self._object(object_id, body)
        return object_id

    def _object(self, object_id: int, body: bytes) -> None:
        self._offsets[object_id] = self._position
        self._write(b"%d 0 obj\n%s\nendobj\n" % (object_id, body))

    def _write(self, data: bytes) -> None:
        self._out.write(data)
        self._position += len(data)
