"""The billing service's part of the privacy contract.

Billing holds personal data only in billable lines: a snapshot of each session a subscriber
pays for, with the member's name and member number (R-BILL-2). They are the accounting vouchers
of the subscriber's invoices, so erasure keeps them and says why (R-RET-2). They serve nothing
but the subscriber's monthly report, and hold no contact details at all (no email, phone or
address), so no marketing can be done with them (R-BILL-3).

Rosters are keyed hashes of member numbers that subscribers supply; they belong to the
subscriber's list, not to anyone's use of the service.
"""

import uuid
from datetime import date

from services.billing import lines_repository as repo
from services.billing.periods import period_label
from services.billing.voucher_retention import kept_until_year
from services.infra.erasure import ErasureResult

EXPORT_PAGE_SIZE = 500
ROSTER_REASON = (
    "Member rosters hold only keyed hashes of member numbers supplied by subscribers; they are "
    "the subscriber's list, cannot be tied to a person and say nothing about the person's use "
    "of the service, so they are kept."
)


def lines_reason(count: int, latest_period: date) -> str:
    keep_until = kept_until_year(latest_period)
    return (
        f"{count} billing lines about the person's sessions are kept: they are accounting "
        "vouchers of the monthly reports billed to the subscriber, and the Finnish Accounting "
        "Act (kirjanpitolaki 1336/1997, 2:10 §) requires vouchers to be kept for six years from "
        f"the end of the year in which the accounting period ended, here until the end of "
        f"{keep_until}, and then deleted. They are used for nothing else and hold no contact "
        "details."
    )


def subject_uuid(subject_id) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(subject_id))
    except ValueError:
        return None


def line_export(line) -> dict:
    return {
        "subscriber_id": str(line["subscriber_id"]),
        "booking_id": str(line["booking_id"]),
        "starts_at": line["starts_at"].isoformat(),
        "ends_at": line["ends_at"].isoformat(),
        "service": line["service_name"],
        "specification": line["specification_name"],
        "delivery_method": line["delivery_method"],
        "coach": line["coach_name"],
        "member_name": line["member_name"],
        "member_number": line["member_number"],
        "quantity": line["quantity"],
        "billed_in": period_label(line["period"]),
        "recorded_at": line["recorded_at"].isoformat(),
    }


def export_personal_data(db, subject_id, page: int) -> dict:
    subject = subject_uuid(subject_id)
    page = max(int(page), 1)
    rows = []
    if subject is not None:
        offset = (page - 1) * EXPORT_PAGE_SIZE
        rows = repo.lines_of_coachee(db, subject, EXPORT_PAGE_SIZE + 1, offset)
    items = [
        {"group": "billing_lines", "id": str(row["id"]), "data": line_export(row)}
        for row in rows[:EXPORT_PAGE_SIZE]
    ]
    done = len(rows) <= EXPORT_PAGE_SIZE
    return {"service": "billing", "items": items, "files": [], "done": done}


def erase_personal_data(db, subject_id) -> ErasureResult:
    """Nothing is erased: lines are retained vouchers, rosters are not the person's."""
    subject = subject_uuid(subject_id)
    count, latest_period = (0, None) if subject is None else repo.coachee_line_summary(db, subject)
    if not count:
        return ErasureResult(messages=[ROSTER_REASON])
    return ErasureResult(
        items_retained=count, messages=[lines_reason(count, latest_period), ROSTER_REASON]
    )
