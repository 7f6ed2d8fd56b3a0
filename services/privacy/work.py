"""What one privacy operation works with: the transaction, the time, settings, files, services."""

from dataclasses import dataclass
from datetime import datetime

from services.infra.database import transaction_beside
from services.privacy import audit
from services.privacy.participants import Participants
from services.privacy.settings import PrivacySettings


@dataclass
class Work:
    db: object
    now: datetime
    settings: PrivacySettings
    storage: object
    participants: Participants
    accounts: object

    def audit(self, action: str, actor_id=None, subject_id=None, detail=None) -> None:
        """The privacy service's own accesses go straight into its audit log."""
        audit.record_own(self.db, self.now, action, actor_id, subject_id, detail or {})

    def audit_refusal(self, action: str, actor_id=None, subject_id=None) -> None:
        """A refusal is logged apart from the worker's transaction, which then rolls back."""
        with transaction_beside(self.db) as own:
            audit.record_own(own, self.now, action, actor_id, subject_id, {"outcome": "denied"})
