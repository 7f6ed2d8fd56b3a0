"""Reading monthly reports: the published versions, their files, and a month's draft."""

import re
import unicodedata
import uuid
from dataclasses import asdict
from datetime import datetime

from services.billing.periods import parse_period, period_label
from services.billing.reports import repository as repo
from services.billing.reports.access import Viewer, audit_read, viewer_of
from services.billing.reports.build import summary_of
from services.billing.reports.issuing import CONTENT_TYPES
from services.billing.reports.rows import correction_note
from services.billing.subscribers import subscriber_row
from services.billing.work import Work
from services.contracts.billing import (
    DRAFT,
    FINAL,
    REPORT_FORMATS,
    DraftReport,
    Report,
    ReportFileLink,
    ReportPage,
)
from services.contracts.errors import InvalidInput, NotFound

REPORT = Report()
REPORT_PAGE = ReportPage()
DRAFT_REPORT = DraftReport()
FILE_LINK = ReportFileLink()
NO_REPORT = "No such report."
NO_SUBSCRIBER = "No such subscriber."
BAD_CURSOR = "Not a cursor this list gave."


def report_fields(row) -> dict:
    return dict(row, period=period_label(row["period"]), status=FINAL)


def report_view(row) -> dict:
    return REPORT.dump(report_fields(row))


def encode_cursor(instant: datetime, row_id) -> str:
    return f"{instant.isoformat()}_{row_id}"


def decode_cursor(cursor: str | None) -> tuple[datetime, uuid.UUID] | None:
    if not cursor:
        return None
    instant, _, row_id = cursor.rpartition("_")
    try:
        return datetime.fromisoformat(instant), uuid.UUID(row_id)
    except ValueError:
        raise InvalidInput(BAD_CURSOR, {"cursor": [BAD_CURSOR]}) from None


def visible_report(db, viewer: Viewer, report_id):
    try:
        row = repo.report_by_id(db, uuid.UUID(str(report_id)))
    except ValueError:
        row = None
    if row is None or not viewer.may_see(row["subscriber_id"]):
        raise NotFound(NO_REPORT)
    return row


def visible_subscriber(db, viewer: Viewer, subscriber_id):
    subscriber = subscriber_row(db, subscriber_id)
    if not viewer.may_see(subscriber["id"]):
        raise NotFound(NO_SUBSCRIBER)
    return subscriber


def get_report(work: Work, actor, report_id) -> dict:
    return report_view(visible_report(work.db, viewer_of(actor), report_id))


def list_reports(work: Work, actor, query: dict) -> dict:
    """Newest first: the versions of every report the viewer may see, filtered as asked."""
    viewer = viewer_of(actor)
    subscriber_id = query["subscriber_id"]
    if not viewer.admin:
        if subscriber_id not in (None, viewer.subscriber_id):
            raise NotFound(NO_SUBSCRIBER)
        subscriber_id = viewer.subscriber_id
    period = parse_period(query["period"]) if query["period"] else None
    limit = query["limit"]
    after = decode_cursor(query["cursor"])
    rows = repo.list_reports(work.db, subscriber_id, period, after, limit + 1)
    next_cursor = None
    if len(rows) > limit:
        next_cursor = encode_cursor(rows[limit - 1]["issued_at"], rows[limit - 1]["id"])
    items = [report_fields(row) for row in rows[:limit]]
    return REPORT_PAGE.dump({"items": items, "next_cursor": next_cursor})


def line_view(line, include_member_number: bool) -> dict:
    """A line as the report shows it, for `DraftReport` to dump."""
    return dict(
        line,
        member_number=line["member_number"] if include_member_number else None,
        correction_of=period_label(line["session_period"]) if correction_note(line) else None,
    )


def preview_report(work: Work, actor, query: dict) -> dict:
    """A month's report as it stands now: a draft while unpublished, a page of lines at a time;
    the read is audited."""
    viewer = viewer_of(actor)
    db = work.db
    subscriber = visible_subscriber(db, viewer, query["subscriber_id"])
    period = parse_period(query["period"])
    totals = repo.report_totals(db, subscriber["id"], period)
    limit = query["limit"]
    after = decode_cursor(query["cursor"])
    lines = repo.report_line_page(db, subscriber["id"], period, after, limit + 1)
    next_cursor = None
    if len(lines) > limit:
        next_cursor = encode_cursor(lines[limit - 1]["starts_at"], lines[limit - 1]["id"])
    published = repo.latest_version(db, subscriber["id"], period) > 0
    include_number = subscriber["member_number_in_report"]
    audit_read(
        work,
        viewer,
        "report_draft_read",
        subscriber_id=subscriber["id"],
        period=period_label(period),
    )
    return DRAFT_REPORT.dump(
        {
            **asdict(summary_of(totals)),
            "subscriber_id": subscriber["id"],
            "subscriber_name": subscriber["name"],
            "period": period_label(period),
            "status": FINAL if published else DRAFT,
            "lines": [line_view(line, include_number) for line in lines[:limit]],
            "next_cursor": next_cursor,
        }
    )


def filename_part(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:60] or "tilaaja"


def report_file_link(work: Work, actor, report_id, file_format: str) -> dict:
    """A short-lived link to a stored version's CSV or PDF; the read is audited."""
    viewer = viewer_of(actor)
    if file_format not in REPORT_FORMATS:
        raise InvalidInput("Unknown format.", {"format": ["csv or pdf"]})
    row = visible_report(work.db, viewer, report_id)
    filename = (
        f"laskutusraportti-{period_label(row['period'])}-"
        f"{filename_part(row['subscriber_name'])}-v{row['version']}.{file_format}"
    )
    content_type = CONTENT_TYPES[file_format]
    ttl = work.settings.report_file_link_seconds
    url = work.storage.presigned_get(row[f"{file_format}_key"], ttl, filename, content_type)
    audit_read(work, viewer, "report_file_read", report_id=row["id"])
    return FILE_LINK.dump({"url": url, "filename": filename, "content_type": content_type})
