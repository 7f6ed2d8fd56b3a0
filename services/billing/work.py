"""What publishing a report works with: the transaction, outbox, file store, settings and time."""

from dataclasses import dataclass
from datetime import datetime

from services.billing.settings import BillingSettings


@dataclass(frozen=True)
class Work:
    db: object
    outbox: object
    storage: object
    settings: BillingSettings
    now: datetime
