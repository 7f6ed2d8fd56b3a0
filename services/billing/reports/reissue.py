"""An admin re-issues a published report as a new version, with a reason; every version stays.

The new version bills the month's lines as they stand, with the subscriber's settings of today
(such as whether member numbers show). Corrections about the month that still wait in a later,
unpublished report move into the new version instead, so they are billed once.
"""

from services.billing import lines_repository as lines_repo
from services.billing.reports import repository as reports_repo
from services.billing.reports.access import require_admin_viewer
from services.billing.reports.issuing import issue_version
from services.billing.reports.viewing import report_view, visible_report
from services.billing.subscribers import subscriber_row
from services.billing.work import Work


def reissue_report(work: Work, actor, report_id, reason: str) -> dict:
    viewer = require_admin_viewer(actor)
    report = visible_report(work.db, viewer, report_id)
    subscriber_id, period = report["subscriber_id"], report["period"]
    lines_repo.own_subscriber_ledger(work.db, subscriber_id)
    lines_repo.lock_period(work.db, subscriber_id, period)
    lines_repo.move_pending_corrections(work.db, subscriber_id, period)
    version = reports_repo.latest_version(work.db, subscriber_id, period) + 1
    subscriber = subscriber_row(work.db, subscriber_id)
    new_id = issue_version(work, subscriber, period, version, reason, viewer.account_id)
    return report_view(reports_repo.report_by_id(work.db, new_id))
