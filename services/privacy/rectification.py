"""Rectification (R-RIGHTS-4): the request says what was wrong; completing it links the change."""

from services.contracts.accounts import PRIVACY
from services.contracts.errors import Conflict
from services.contracts.privacy import COMPLETED, RECTIFICATION
from services.infra.permissions import require_role
from services.privacy import repository as repo
from services.privacy.access import visible_request
from services.privacy.request_views import request_view
from services.privacy.work import Work


def record_rectification(work: Work, request_id, change_link: str, actor: dict | None) -> dict:
    require_role(work, actor, PRIVACY, services_allowed=True)
    request = visible_request(work.db, request_id, actor)
    if request["kind"] != RECTIFICATION:
        raise Conflict("Only a rectification request is completed by linking a change.")
    if request["status"] == COMPLETED:
        raise Conflict("This rectification is already recorded.")
    updated = repo.update_request(
        work.db,
        request["id"],
        {"change_link": change_link, "status": COMPLETED, "completed_at": work.now},
    )
    work.audit(
        "rectification_recorded",
        actor and actor["account_id"],
        request["subject_id"],
        {"request_id": str(request["id"])},
    )
    return request_view(updated, [], work.now)
