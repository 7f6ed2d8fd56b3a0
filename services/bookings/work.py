"""What one bookings operation works with: transaction, outbox, time, rules, other services."""

from dataclasses import dataclass, field
from datetime import datetime

from services.bookings.settings import BookingRules
from services.bookings.slot_cache import RememberedSearches, never_remembered
from services.infra.audit import Audited
from services.infra.coalescing import CoalescedCalls


@dataclass
class Work(Audited):
    db: object
    outbox: object
    now: datetime
    rules: BookingRules
    accounts: object
    billing: object
    searches: RememberedSearches = field(default_factory=never_remembered)
    """Slot searches remembered for a moment (`slot_cache`)."""
    catalogue_reads: RememberedSearches = field(default_factory=never_remembered)
    """The services and qualified coaches remembered for a moment (`slot_cache`)."""
    eligibility_calls: CoalescedCalls = field(default_factory=CoalescedCalls)
    """Bookings that check eligibility at the same time share one call to billing."""
