"""The written answer to an inspection request (R-RIGHTS-3): a printable PDF of everything held.

Drawn with infra's `PdfDocument`, as billing's reports are, so every name prints in the script
it is written in (Cyrillic, Arabic right to left, Vietnamese …). Each item is a table of its
fields, the values wrapped in their column.
"""

import io
from datetime import datetime
from itertools import zip_longest

from services.infra.clock import HELSINKI
from services.infra.pdf import BOLD, REGULAR, PdfDocument
from services.privacy.answer_files import display

WIDTH, HEIGHT = 595, 842
MARGIN = 57
KEY_WIDTH = 142
VALUE_WIDTH = WIDTH - 2 * MARGIN - KEY_WIDTH
CELL_PADDING = 4
BODY_SIZE = 9
LEADING = 1.3
FOOTER = "Valmennuskalenteri · tarkastuspyynnön vastaus"


class InspectionLayout:
    """Blocks of text flowing down A4 pages, a new page starting when a block would not fit."""

    def __init__(self, out, title: str):
        self._document = PdfDocument(out, WIDTH, HEIGHT, title)
        self._y = 0.0

    def paragraph(self, text: str, style: str = REGULAR, size: float = BODY_SIZE) -> None:
        lines = self._document.wrapped(text, style, size, WIDTH - 2 * MARGIN)
        self._make_room(len(lines) * size * LEADING + size * 0.5)
        for line in lines:
            self._y -= size * LEADING
            self._document.text(MARGIN, self._y, line, style, size)
        self._y -= size * 0.5

    def row(self, key: str, value: str) -> None:
        """A table row: the key beside its value, each wrapped, a rule below. A row that fits
        on a page is kept on one; a longer one goes on over the next."""
        document = self._document
        keys = document.wrapped(key, BOLD, BODY_SIZE, KEY_WIDTH - 2 * CELL_PADDING)
        values = document.wrapped(value, REGULAR, BODY_SIZE, VALUE_WIDTH - 2 * CELL_PADDING)
        line_height = BODY_SIZE * LEADING
        height = max(len(keys), len(values)) * line_height + CELL_PADDING
        self._make_room(min(height, HEIGHT - 2 * MARGIN))
        for key_line, value_line in zip_longest(keys, values, fillvalue=""):
            self._make_room(line_height)
            self._y -= line_height
            document.text(MARGIN + CELL_PADDING, self._y, key_line, BOLD, BODY_SIZE)
            x = MARGIN + KEY_WIDTH + CELL_PADDING
            document.text(x, self._y, value_line, REGULAR, BODY_SIZE)
        self._y -= CELL_PADDING
        document.line(MARGIN, self._y, WIDTH - MARGIN, self._y, 0.3)

    def space(self, points: float) -> None:
        self._y -= points

    def close(self) -> None:
        self._document.close()

    def _make_room(self, height: float) -> None:
        if self._document.page_count and self._y - height >= MARGIN:
            return
        document = self._document
        document.new_page()
        footer = f"{FOOTER} · sivu {document.page_count}"
        document.text(MARGIN, MARGIN - 24, footer, REGULAR, 7)
        self._y = HEIGHT - MARGIN


def inspection_pdf(collected: list[dict], request, now: datetime) -> bytes:
    received = request["received_at"].astimezone(HELSINKI).strftime("%d.%m.%Y")
    made = now.astimezone(HELSINKI).strftime("%d.%m.%Y")
    charge = "maksuton" if request["free_of_charge"] else "maksullinen (toinen saman vuoden aikana)"
    out = io.BytesIO()
    layout = InspectionLayout(out, "Tarkastuspyyntö")
    layout.paragraph("Tarkastuspyyntö: sinusta tallennetut tiedot", BOLD, 16)
    layout.paragraph(f"Käyttäjätunnus: {request['login_name'] or '-'}")
    layout.paragraph(f"Pyyntö vastaanotettu {received}, vastattu {made}")
    layout.paragraph(f"Tarkastus {request['number_in_year']}. tänä kalenterivuonna: {charge}")
    for answer in collected:
        layout.space(8)
        layout.paragraph(answer["service"], BOLD, 13)
        if not answer["items"] and not answer["files"]:
            layout.paragraph("Ei tietoja.")
        for item in answer["items"]:
            layout.space(4)
            layout.paragraph(f"{item['group']} {item['id']}", BOLD, 10)
            for key, value in (item.get("data") or {}).items():
                layout.row(str(key), display(value))
        for file in answer["files"]:
            layout.paragraph(f"Liitetiedosto: {file['name']}")
    layout.close()
    return out.getvalue()
