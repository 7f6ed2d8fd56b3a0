"""What publishing a report works with: the transaction, outbox, file store, settings and time."""

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
