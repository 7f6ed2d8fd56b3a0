"""The CSV form of a report, made for Excel: UTF-8 with a byte order mark (so Excel reads it
as UTF-8), `;` between values (Excel's separator in Finnish settings), CRLF line ends. A text
cell Excel would run as a formula gets a leading apostrophe.

Rows are written as they come; after a blank row, the totals per service.
"""

import csv
import io
import re
from collections.abc import Mapping
from typing import BinaryIO

from services.billing.reports.rows import (
    QUANTITY_TITLE,
    SERVICE_TITLE,
    TOTAL_LABEL,
    ReportHeading,
    columns,
    totals_rows,
)

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
WHOLE_NUMBER = re.compile(r"-?\d+")


def safe_cell(value: str) -> str:
    if value.startswith(FORMULA_START) and not WHOLE_NUMBER.fullmatch(value):
        return "'" + value
    return value


class ReportCsv:
    def __init__(self, out: BinaryIO, heading: ReportHeading):
        self._text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="")
        self._writer = csv.writer(self._text, delimiter=";", lineterminator="\r\n")
        self._columns = columns(heading)
        self._writer.writerow([column.title for column in self._columns])

    def add(self, line: Mapping) -> None:
        self._writer.writerow([safe_cell(column.value(line)) for column in self._columns])

    def finish(self, totals: list[Mapping]) -> None:
        """Writes the totals and hands `out` back, positioned after the last byte."""
        titles = [column.title for column in self._columns]
        self._writer.writerow([])
        for service, sessions in totals_rows(totals):
            row = dict.fromkeys(titles, "")
            row.update(
                {titles[0]: TOTAL_LABEL, SERVICE_TITLE: service, QUANTITY_TITLE: str(sessions)}
            )
            self._writer.writerow([safe_cell(row[title]) for title in titles])
        self._text.flush()
        self._text.detach()
