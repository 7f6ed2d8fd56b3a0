"""Finalising monthly reports, exactly once in effect however many instances run the job.

A month's report is due once the grace period after the month has passed. The job takes each
unpublished (subscriber, month) with `FOR UPDATE SKIP LOCKED`, so two instances never build the
same report, and marks the month published in the transaction that stores version 1; a re-run
or another instance then finds it published and leaves it. The unique (subscriber, period,
version) of `reports` is the last guard. A report that fails is logged and tried again on the
next run; the others go ahead.
"""

import logging
from datetime import date

from services.billing import lines_repository as lines_repo
from services.billing import repository as subscribers_repo
from services.billing.periods import latest_due_period, parse_period, period_end, period_label
from services.billing.reports import repository as reports_repo
from services.billing.reports.issuing import issue_version
from services.billing.reports.viewing import report_view
from services.billing.work import Work
from services.contracts.errors import Conflict, InvalidInput

log = logging.getLogger(__name__)


def publish_one(work: Work, subscriber_id, period: date) -> dict | None:
    """Version 1 of the subscriber's report, or None if it is published or being published."""
    if not lines_repo.lock_open_period(work.db, subscriber_id, period):
        return None
    subscriber = subscribers_repo.subscriber_by_id(work.db, subscriber_id)
    lines_repo.mark_period_locked(work.db, subscriber_id, period, work.now)
    report_id = issue_version(work, subscriber, period, version=1)
    return report_view(reports_repo.report_by_id(work.db, report_id))


def publish(work: Work, candidates) -> list[dict]:
    published = []
    for candidate in candidates:
        subscriber_id, period = candidate["subscriber_id"], candidate["period"]
        try:
            report = publish_one(work, subscriber_id, period)
        except Exception:
            work.db.rollback()
            log.exception(
                "publishing the %s report of subscriber %s failed; the next run tries again",
                period_label(period),
                subscriber_id,
            )
            continue
        if report is not None:
            published.append(report)
    work.db.commit()
    return published


def publish_due_reports(work: Work) -> list[dict]:
    """Publish every report whose grace period has passed: what the timer runs."""
    latest = latest_due_period(work.now, work.settings.report_grace)
    return publish(work, lines_repo.open_periods(work.db, until=latest))


def publish_period(work: Work, period_text: str) -> dict:
    """The operator's run for one month (`YYYY-MM`), also before its grace period has passed."""
    try:
        period = parse_period(period_text)
    except ValueError as exc:
        raise InvalidInput(str(exc), {"period": [str(exc)]}) from None
    if work.now < period_end(period):
        raise Conflict(f"{period_label(period)} has not ended yet.")
    published = publish(work, lines_repo.open_periods(work.db, until=period, only=period))
    return {
        "period": period_label(period),
        "published": published,
        "already_published": lines_repo.count_locked(work.db, period) - len(published),
    }
