"""Deleting billing records once the Accounting Act no longer requires them (R-RET-2).

Billable lines and the report versions built from them are accounting vouchers. The Finnish
Accounting Act (kirjanpitolaki 1336/1997, 2:10 §) keeps them six years from the end of the year
in which the accounting period ended; the accounting period is the calendar year, and a line
belongs to the year of the month whose report billed it. In the seventh year they are deleted,
reports with their files.

One subscriber's month is deleted at a time, newest first, so a correction goes before the
charge it reverses when both have expired. A charge whose reversal is billed in a month still
kept stays until that reversal expires, so no kept voucher points at nothing. A month's report
files are deleted before its rows: a failure leaves rows for the next run to try again, never a
file with members' names that nothing refers to.
"""

import logging
from datetime import date, datetime

from services.billing import lines_repository as lines_repo
from services.billing.periods import period_label
from services.billing.reports import repository as reports_repo
from services.billing.work import Work
from services.infra.clock import HELSINKI

log = logging.getLogger(__name__)

VOUCHER_YEARS = 6


def kept_until_year(period: date) -> int:
    """The last year a line billed in `period` is kept."""
    return period.year + VOUCHER_YEARS


def voucher_cutoff(now: datetime) -> date:
    """The first period still kept at `now`."""
    return date(now.astimezone(HELSINKI).year - VOUCHER_YEARS, 1, 1)


def delete_month(work: Work, subscriber_id, period: date, cutoff: date) -> tuple[int, int]:
    expired = reports_repo.reports_of_period(work.db, subscriber_id, period)
    for report in expired:
        work.storage.delete_everywhere(report["csv_key"])
        work.storage.delete_everywhere(report["pdf_key"])
    if expired:
        reports_repo.delete_reports(work.db, [report["id"] for report in expired])
    lines = lines_repo.delete_period_lines(work.db, subscriber_id, period, cutoff)
    lines_repo.delete_period_if_empty(work.db, subscriber_id, period)
    work.db.commit()
    return len(expired), lines


def delete_expired_vouchers(work: Work) -> dict:
    """Delete every report and line whose keeping time has ended: what the timer runs."""
    cutoff = voucher_cutoff(work.now)
    reports_deleted = lines_deleted = 0
    for month in lines_repo.expired_periods(work.db, cutoff):
        reports, lines = delete_month(work, month["subscriber_id"], month["period"], cutoff)
        reports_deleted += reports
        lines_deleted += lines
    if reports_deleted or lines_deleted:
        log.info(
            "deleted %d report versions and %d billing lines billed before %s",
            reports_deleted,
            lines_deleted,
            period_label(cutoff),
        )
    return {
        "kept_from": period_label(cutoff),
        "reports_deleted": reports_deleted,
        "lines_deleted": lines_deleted,
    }
