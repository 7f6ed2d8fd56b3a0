"""Which lines a change of a booking adds to the ledger: charges and reversals, never edits.

A booking is billed while it is confirmed or completed, as the session it was when last seen.
Bookings announces no event for a no-show, so a no-show stays billed as the reserved session:
the time it last had, since every reschedule is announced and moves the charge at once. A
cancellation reverses the charge; a session that moved, or changed its service, coach or
delivery method, is reversed and charged again as it now is.
"""

from collections.abc import Mapping
from dataclasses import dataclass

from services.contracts.bookings import COMPLETED, CONFIRMED

BILLABLE_STATUSES = (CONFIRMED, COMPLETED)
SESSION_FIELDS = (
    "starts_at",
    "ends_at",
    "service_name",
    "specification_name",
    "delivery_method",
    "coach_name",
)


@dataclass(frozen=True)
class LedgerChange:
    reverse: bool
    charge: bool


def ledger_change(open_charge: Mapping | None, session: Mapping) -> LedgerChange:
    """What to add given the booking's charge not yet reversed (if any) and the session now."""
    billable = session["status"] in BILLABLE_STATUSES
    if open_charge is None:
        return LedgerChange(reverse=False, charge=billable)
    if not billable:
        return LedgerChange(reverse=True, charge=False)
    changed = any(open_charge[name] != session[name] for name in SESSION_FIELDS)
    return LedgerChange(reverse=changed, charge=changed)
