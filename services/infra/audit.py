"""Audit events for the privacy service's log (R-SEC-1): ids and the action, never personal data."""

from services.contracts.accounts import ACCESS_AUDITED


class Audited:
    """Mixed into a service's `Work`, which has an `outbox` and the time `now`."""

    def audit(self, action: str, actor_id=None, subject_id=None) -> None:
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
