"""What one bookings operation works with: transaction, outbox, time, rules, other services."""

from dataclasses import dataclass
from datetime import datetime

from services.bookings.settings import BookingRules
from services.contracts.accounts import ACCESS_AUDITED, ADMIN
from services.contracts.errors import Forbidden


@dataclass
class Work:
    db: object
    outbox: object
    now: datetime
    rules: BookingRules
    accounts: object
    billing: object

    def audit(self, action: str, actor_id=None, subject_id=None) -> None:
        """An audit event for the privacy service's log: ids and the action, no personal data."""
        self.outbox.dispatch(
            ACCESS_AUDITED, self._audit_payload(action, actor_id, subject_id, "ok")
        )

    def audit_refusal(self, action: str, actor_id=None, subject_id=None) -> None:
        """A refusal is audited even though the worker then fails and rolls back."""
        self.outbox.dispatch_regardless(
            ACCESS_AUDITED, self._audit_payload(action, actor_id, subject_id, "denied")
        )

    def _audit_payload(self, action: str, actor_id, subject_id, outcome: str) -> dict:
        return {
            "actor_id": str(actor_id) if actor_id else None,
            "subject_id": str(subject_id) if subject_id else None,
            "action": action,
            "outcome": outcome,
            "occurred_at": self.now.isoformat(),
        }

    def require_admin(self, actor: dict | None) -> None:
        if actor is None or actor["role"] != ADMIN:
            raise Forbidden("Only administrators may do this.")
