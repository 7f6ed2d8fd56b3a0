"""Who sees which reports: admins all of them, a subscriber's contacts only their own
organisation's. Anything else a contact asks about is "not found", so nothing reveals whether
another subscriber's report exists. Reading report lines is access to members' personal data,
so each read is audited (R-SEC-1): ids only, for the privacy service's log.
"""

import uuid
from dataclasses import dataclass

from marshmallow import ValidationError

from services.billing.work import Work
from services.contracts.accounts import ACCESS_AUDITED, ADMIN, SUBSCRIBER
from services.contracts.billing import ReportViewer
from services.contracts.errors import Forbidden

VIEWER = ReportViewer()
NOT_A_VIEWER = "Only administrators and the subscriber's contacts see its reports."


@dataclass(frozen=True)
class Viewer:
    account_id: uuid.UUID
    admin: bool
    subscriber_id: uuid.UUID | None

    def may_see(self, subscriber_id) -> bool:
        return self.admin or self.subscriber_id == subscriber_id


def viewer_of(actor) -> Viewer:
    """Who asks for reports, or Forbidden: the report functions' one permission check. To build
    on infra's `require_role` (which also audits refusals) once that is in main."""
    if not isinstance(actor, dict):
        raise Forbidden(NOT_A_VIEWER)
    try:
        data = VIEWER.load(actor)
    except ValidationError:
        raise Forbidden(NOT_A_VIEWER) from None
    if data["role"] == ADMIN:
        return Viewer(data["account_id"], admin=True, subscriber_id=None)
    if data["role"] == SUBSCRIBER and data["subscriber_id"] is not None:
        return Viewer(data["account_id"], admin=False, subscriber_id=data["subscriber_id"])
    raise Forbidden(NOT_A_VIEWER)


def require_admin_viewer(actor) -> Viewer:
    viewer = viewer_of(actor)
    if not viewer.admin:
        raise Forbidden("Only administrators may do this.")
    return viewer


def audit_read(work: Work, viewer: Viewer, action: str, **detail) -> None:
    work.outbox.dispatch(
        ACCESS_AUDITED,
        {
            "actor_id": str(viewer.account_id),
            "subject_id": None,
            "action": action,
            "outcome": "ok",
            "occurred_at": work.now.isoformat(),
            **{name: str(value) for name, value in detail.items()},
        },
    )
