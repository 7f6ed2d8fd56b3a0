"""What one accounts operation works with: the transaction, the outbox, the time, the settings,
and billing (which decides whether a subscriber accepts a member)."""

from dataclasses import dataclass
from datetime import datetime

from services.accounts.settings import AccountSettings
from services.infra.audit import Audited


@dataclass
class Work(Audited):
    db: object
    outbox: object
    now: datetime
    settings: AccountSettings
    billing: object
