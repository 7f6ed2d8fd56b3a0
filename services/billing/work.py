"""What one billing operation works with: the transaction, outbox, file store, settings, time,
and the services billing asks (bookings for a session, accounts for a member's name). Every
entrypoint hands one to its domain function."""

from dataclasses import dataclass
from datetime import datetime

from services.billing.settings import BillingSettings
from services.infra.audit import Audited


@dataclass(frozen=True)
class Work(Audited):
    db: object
    outbox: object
    storage: object
    settings: BillingSettings
    now: datetime
    bookings: object
    accounts: object
    snapshot_calls: object
    """`coalescing.CoalescedCalls`: concurrent handlers share one call for bookings' snapshots."""
