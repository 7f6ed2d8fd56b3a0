"""The dry run of an erasure: what every participant would remove, anonymise and retain, and why.

Each participant computes its answer in a transaction it rolls back; a participant that is down
is shown as unavailable rather than failing the whole preview.
"""

import uuid

from services.contracts.accounts import PRIVACY as PRIVACY_STAFF
from services.contracts.names import PRIVACY
from services.contracts.privacy import ERASURE
from services.infra.permissions import require_role
from services.privacy.intake import coachee_by_username
from services.privacy.own_data import erase_own
from services.privacy.participants import ParticipantUnavailable
from services.privacy.plans import ERASE_ACTION, steps_of
from services.privacy.work import Work


def preview_of(work: Work, service: str, subject_id: str, request_id: str) -> dict:
    if service == PRIVACY:
        return {"service": service, "available": True, **vars(erase_own(work, subject_id, True))}
    try:
        answer = work.participants.preview_erasure(service, subject_id, request_id)
    except ParticipantUnavailable as exc:
        return {"service": service, "available": False, "error": str(exc)}
    return {"service": service, "available": True, **answer}


def preview_erasure(work: Work, username: str, actor: dict | None) -> dict:
    require_role(work, actor, PRIVACY_STAFF, services_allowed=True)
    coachee = coachee_by_username(work, username)
    subject_id, request_id = coachee["account_id"], str(uuid.uuid4())
    services = [
        preview_of(work, service, subject_id, request_id)
        for service, action in steps_of(ERASURE)
        if action == ERASE_ACTION
    ]
    work.audit("erasure_previewed", actor and actor["account_id"], subject_id)
    return {"subject_id": subject_id, "username": coachee["username"], "services": services}
