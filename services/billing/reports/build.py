"""Building a report's CSV and PDF in one pass over its lines, fetched a page at a time.

Both forms are written to files as the lines come, so memory stays flat for any number of
lines; the totals per service are one aggregate query.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import BinaryIO

from services.billing.reports import repository as repo
from services.billing.reports.csv_form import ReportCsv
from services.billing.reports.pdf_form import ReportPdf
from services.billing.reports.rows import ReportHeading


@dataclass(frozen=True)
class ReportSummary:
    line_count: int
    sessions: int
    totals: list[dict]


def summary_of(totals: list[Mapping]) -> ReportSummary:
    """Lines, sessions and per-service sessions from the per-service totals query."""
    return ReportSummary(
        line_count=sum(total["lines"] for total in totals),
        sessions=sum(int(total["sessions"]) for total in totals),
        totals=[
            {"service": total["service"], "sessions": int(total["sessions"])} for total in totals
        ],
    )


def heading_for(
    subscriber: Mapping, period: date, version: int, reason: str | None, issued_at: datetime
) -> ReportHeading:
    include_number = subscriber["member_number_in_report"]
    return ReportHeading(
        subscriber_name=subscriber["name"],
        business_id=subscriber["business_id"],
        period=period,
        version=version,
        reason=reason,
        issued_at=issued_at,
        member_number_label=subscriber["identifier_label"] if include_number else None,
    )


def build_report(
    db,
    subscriber_id,
    period: date,
    heading: ReportHeading,
    page_size: int,
    csv_out: BinaryIO,
    pdf_out: BinaryIO,
) -> ReportSummary:
    totals = repo.report_totals(db, subscriber_id, period)
    csv_form = ReportCsv(csv_out, heading)
    pdf_form = ReportPdf(pdf_out, heading)
    for line in repo.report_lines(db, subscriber_id, period, page_size):
        csv_form.add(line)
        pdf_form.add(line)
    csv_form.finish(totals)
    pdf_form.finish(totals)
    return summary_of(totals)
