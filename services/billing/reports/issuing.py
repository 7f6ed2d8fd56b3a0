"""Issuing a version of a monthly report: its files in S3, its row, its mails and its event.

A version is published whole or not at all: its files are stored first (noted in
`uploads`), then the report row, the mails to the billing contacts and the
`monthly_report_published` event commit together. If anything fails, the transaction rolls back
and the stored files are removed.
"""

import tempfile
import uuid
from collections.abc import Mapping
from datetime import date, datetime
from typing import BinaryIO

from sqlalchemy import insert

from services.billing.models import report_mails
from services.billing.periods import period_label
from services.billing.reports import repository as repo
from services.billing.reports import uploads
from services.billing.reports.build import build_report, heading_for
from services.billing.work import Work
from services.contracts.billing import MONTHLY_REPORT_PUBLISHED, MonthlyReportPublished

KEY_PREFIX = "billing/reports"
CONTENT_TYPES = {"csv": "text/csv; charset=utf-8", "pdf": "application/pdf"}
EVENT = MonthlyReportPublished()


def file_key(subscriber_id, period: date, report_id: uuid.UUID, file_format: str) -> str:
    return f"{KEY_PREFIX}/{subscriber_id}/{period_label(period)}/{report_id}.{file_format}"


def store(storage, key: str, file: BinaryIO, file_format: str) -> None:
    file.seek(0)
    storage.put(key, file, CONTENT_TYPES[file_format])


def queue_mails(db, report_id: uuid.UUID, recipients: list[str], now: datetime) -> None:
    db.execute(
        insert(report_mails),
        [
            {
                "id": uuid.uuid4(),
                "report_id": report_id,
                "recipient": recipient,
                "attempts": 0,
                "next_attempt_at": now,
            }
            for recipient in recipients
        ],
    )


def issue_version(
    work: Work,
    subscriber: Mapping,
    period: date,
    version: int,
    reason: str | None = None,
    issued_by=None,
) -> uuid.UUID:
    """Build, store and publish a version of the subscriber's report; commits."""
    report_id = uuid.uuid4()
    keys = {fmt: file_key(subscriber["id"], period, report_id, fmt) for fmt in CONTENT_TYPES}
    heading = heading_for(subscriber, period, version, reason, work.now)
    uploads.note(work.db, keys.values(), work.now)
    try:
        with tempfile.TemporaryFile() as csv_out, tempfile.TemporaryFile() as pdf_out:
            summary = build_report(
                work.db,
                subscriber["id"],
                period,
                heading,
                work.settings.report_page_size,
                csv_out,
                pdf_out,
            )
            store(work.storage, keys["csv"], csv_out, "csv")
            store(work.storage, keys["pdf"], pdf_out, "pdf")
        repo.insert_report(
            work.db,
            {
                "id": report_id,
                "subscriber_id": subscriber["id"],
                "period": period,
                "version": version,
                "reason": reason,
                "issued_by": issued_by,
                "issued_at": work.now,
                "line_count": summary.line_count,
                "sessions": summary.sessions,
                "totals": summary.totals,
                "member_number_included": heading.member_number_label is not None,
                "csv_key": keys["csv"],
                "pdf_key": keys["pdf"],
            },
        )
        uploads.settle(work.db, keys.values())
        queue_mails(work.db, report_id, subscriber["billing_contact_emails"], work.now)
        work.outbox.dispatch(
            MONTHLY_REPORT_PUBLISHED,
            EVENT.dump(
                {
                    "report_id": report_id,
                    "subscriber_id": subscriber["id"],
                    "period": period_label(period),
                    "version": version,
                }
            ),
        )
        work.db.commit()
    except BaseException:
        work.db.rollback()
        uploads.delete_files(work.storage, work.db, list(keys.values()))
        raise
    return report_id
