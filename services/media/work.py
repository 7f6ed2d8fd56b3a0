"""What one media operation works with: transaction, outbox, storage, cleaning, bookings, time."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from services.contracts.accounts import ACCESS_AUDITED
from services.media.cleaned import Cleaned
from services.media.settings import MediaSettings
from services.media.storage import MediaStore


@dataclass
class Work:
    db: object
    outbox: object
    store: MediaStore
    clean: Callable[[bytes, str], Cleaned]
    bookings: object
    settings: MediaSettings
    now: datetime

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
