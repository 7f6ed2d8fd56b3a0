"""What one bookings operation works with: transaction, outbox, time, rules, other services."""

from dataclasses import dataclass
from datetime import datetime

from services.bookings.settings import BookingRules
from services.contracts.accounts import ADMIN
from services.contracts.errors import Forbidden
from services.infra.audit import Audited


@dataclass
class Work(Audited):
    db: object
    outbox: object
    now: datetime
    rules: BookingRules
    accounts: object
    billing: object

    def require_admin(self, actor: dict | None) -> None:
        if actor is None or actor["role"] != ADMIN:
            raise Forbidden("Only administrators may do this.")
