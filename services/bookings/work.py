"""What one bookings operation works with: transaction, outbox, time, rules, other services."""

from dataclasses import dataclass
from datetime import datetime

from services.bookings.settings import BookingRules
from services.infra.audit import Audited


@dataclass
class Work(Audited):
    db: object
    outbox: object
    now: datetime
    rules: BookingRules
    accounts: object
    billing: object
    searches: object = None
    """`slot_cache.RememberedSearches`; a worker without one searches every time."""
