"""The PDF form of a report: landscape A4 pages, each with the report's heading, the column
titles and up to `ROWS_PER_PAGE` lines; the totals per service close the report. Pages are drawn
one after another into infra's `PdfDocument`, which writes each out as the next begins, so a
report of any length takes flat memory, and prints every name in the script it is written in.
"""

from collections.abc import Mapping
from typing import BinaryIO

from services.billing.reports.rows import (
    ALL_SERVICES_LABEL,
    ReportHeading,
    columns,
    local,
    totals_rows,
)
from services.infra.pdf import BOLD, REGULAR, PdfDocument

WIDTH, HEIGHT = 842, 595
MARGIN = 36
FONT_SIZE = 8
ROW_HEIGHT = 11
CELL_PADDING = 4
TABLE_TOP = HEIGHT - MARGIN - 52
ROWS_PER_PAGE = int((TABLE_TOP - ROW_HEIGHT - MARGIN - 14) // ROW_HEIGHT)
TOTALS_TITLE = "Yhteensä palveluittain (istuntoja)"


def heading_lines(heading: ReportHeading) -> list[str]:
    issued = local(heading.issued_at)
    details = (
        f"Y-tunnus {heading.business_id} · versio {heading.version} · "
        f"muodostettu {issued:%d.%m.%Y %H.%M} (Suomen aikaa)"
    )
    lines = [details]
    if heading.reason:
        lines.append(f"Uusi versio, syy: {heading.reason}")
    return lines


class ReportPdf:
    def __init__(self, out: BinaryIO, heading: ReportHeading):
        self._heading = heading
        self._columns = [column for column in columns(heading) if column.in_pdf]
        self._document = PdfDocument(out, WIDTH, HEIGHT, heading.title)
        self._page_open = False
        self._rows_on_page = 0
        self._y = 0.0

    def add(self, line: Mapping) -> None:
        if not self._page_open or self._rows_on_page == ROWS_PER_PAGE:
            self._start_page(with_table=True)
        x = MARGIN
        for column in self._columns:
            self._cell(x, column.pdf_width, column.value(line), REGULAR, column.numeric)
            x += column.pdf_width
        self._next_row()

    def finish(self, totals: list[Mapping]) -> None:
        rows = totals_rows(totals)
        if not self._page_open or self._rows_on_page + len(rows) + 2 > ROWS_PER_PAGE:
            self._start_page(with_table=False)
        self._next_row()
        self._document.text(MARGIN, self._y, TOTALS_TITLE, BOLD, FONT_SIZE + 1)
        self._next_row()
        for service, sessions in rows:
            font = BOLD if service == ALL_SERVICES_LABEL else REGULAR
            self._cell(MARGIN, 300, service, font, numeric=False)
            self._cell(MARGIN + 300, 40, str(sessions), font, numeric=True)
            self._next_row()
        self._document.close()

    def _start_page(self, with_table: bool) -> None:
        document = self._document
        document.new_page()
        self._page_open = True
        self._rows_on_page = 0
        title = document.fitted(self._heading.title, BOLD, 13, 770)
        document.text(MARGIN, HEIGHT - MARGIN - 12, title, BOLD, 13)
        for index, text in enumerate(heading_lines(self._heading)):
            shown = document.fitted(text, REGULAR, 9, 770)
            document.text(MARGIN, HEIGHT - MARGIN - 28 - 11 * index, shown, REGULAR, 9)
        document.text(MARGIN, MARGIN - 14, "Valmennuskalenteri", REGULAR, 7)
        page_label = f"Sivu {document.page_count}"
        label_x = WIDTH - MARGIN - document.text_width(page_label, REGULAR, 7)
        document.text(label_x, MARGIN - 14, page_label, REGULAR, 7)
        self._y = TABLE_TOP
        if with_table:
            x = MARGIN
            for column in self._columns:
                self._cell(x, column.pdf_width, column.title, BOLD, column.numeric)
                x += column.pdf_width
            document.line(MARGIN, self._y - 3, WIDTH - MARGIN, self._y - 3)
            self._y -= ROW_HEIGHT + 2

    def _cell(self, x: float, width: float, text: str, font: str, numeric: bool) -> None:
        shown = self._document.fitted(text, font, FONT_SIZE, width - CELL_PADDING)
        if numeric:
            x += width - CELL_PADDING - self._document.text_width(shown, font, FONT_SIZE)
        self._document.text(x, self._y, shown, font, FONT_SIZE)

    def _next_row(self) -> None:
        self._y -= ROW_HEIGHT
        self._rows_on_page += 1
