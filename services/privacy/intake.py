"""Registering data-subject requests: by privacy staff, by the person, by the retention rule.

A request gets its due date from its receipt, and one step row per participant of its saga. An
inspection is numbered within the person's calendar year (Helsinki): the first is free of charge,
a second one is not (R-RIGHTS-3).
"""

import uuid
from datetime import datetime

from services.contracts.accounts import PRIVACY
from services.contracts.errors import InvalidInput, NotFound
from services.contracts.privacy import (
    BY_RETENTION,
    BY_STAFF,
    BY_SUBJECT,
    ERASURE,
    EXPORT,
    INSPECTION,
    OPEN,
    RECTIFICATION,
)
from services.infra.clock import HELSINKI
from services.infra.permissions import require_role
from services.privacy import repository as repo
from services.privacy.deadlines import request_due_at
from services.privacy.plans import steps_of
from services.privacy.request_views import request_view
from services.privacy.retention import start_of_year
from services.privacy.work import Work

NO_SUCH_COACHEE = "No coachee has this username."
SAY_WHAT_WAS_WRONG = "Say what was wrong."
NOT_IN_FUTURE = "Cannot be in the future."


def inspection_number(session, subject_id, received_at: datetime) -> int:
    """Which inspection of the person's calendar year this one is, counting itself."""
    year = received_at.astimezone(HELSINKI).year
    earlier = repo.inspections_in(session, subject_id, start_of_year(year), start_of_year(year + 1))
    return earlier + 1


def open_request(work: Work, values: dict, due_at: datetime | None = None):
    """Store a request and its saga's steps; None when one with its id (or key) exists already."""
    values = {
        "id": values.get("id") or uuid.uuid4(),
        "status": OPEN,
        "due_at": due_at or request_due_at(values["received_at"]),
        **values,
    }
    if values["kind"] == INSPECTION:
        number = inspection_number(work.db, values["subject_id"], values["received_at"])
        values.update(number_in_year=number, free_of_charge=number == 1)
    request = repo.insert_request(work.db, values)
    if request is not None:
        repo.insert_steps(work.db, request["id"], list(steps_of(request["kind"])), work.now)
    return request


def coachee_by_username(work: Work, username: str) -> dict:
    try:
        return work.accounts.find_coachee(username)
    except NotFound:
        raise InvalidInput(NO_SUCH_COACHEE, {"username": [NO_SUCH_COACHEE]}) from None


def register_request(work: Work, data: dict, actor: dict | None) -> dict:
    require_role(work, actor, PRIVACY, services_allowed=True)
    if data["kind"] == RECTIFICATION and not data["description"]:
        raise InvalidInput(SAY_WHAT_WAS_WRONG, {"description": [SAY_WHAT_WAS_WRONG]})
    received_at = data["received_at"] or work.now
    if received_at > work.now:
        raise InvalidInput(NOT_IN_FUTURE, {"received_at": [NOT_IN_FUTURE]})
    coachee = coachee_by_username(work, data["username"])
    request = open_request(
        work,
        {
            "kind": data["kind"],
            "subject_id": coachee["account_id"],
            "login_name": data["username"],
            "origin": BY_STAFF,
            "requested_by": actor and actor["account_id"],
            "received_at": received_at,
            "description": data["description"],
        },
    )
    work.audit(
        "privacy_request_registered",
        actor and actor["account_id"],
        request["subject_id"],
        {"request_id": str(request["id"]), "kind": request["kind"]},
    )
    return request_view(request, repo.steps_of(work.db, request["id"]), work.now)


def request_own_export(work: Work, account_id: str, username: str) -> dict:
    """The person's own export request, after the gateway had the password re-entered; one
    still being made is answered again (a form sent twice makes one export)."""
    repo.lock_subject(work.db, account_id)
    waiting = repo.open_request_of(work.db, account_id, EXPORT, BY_SUBJECT)
    if waiting is not None:
        return request_view(waiting, repo.steps_of(work.db, waiting["id"]), work.now)
    request = open_request(
        work,
        {
            "kind": EXPORT,
            "subject_id": account_id,
            "login_name": username,
            "origin": BY_SUBJECT,
            "requested_by": account_id,
            "received_at": work.now,
        },
    )
    return request_view(request, repo.steps_of(work.db, request["id"]), work.now)


def accept_erasure_request(work: Work, request_id: str, account_id: str) -> None:
    """The person's own erasure request, recorded by accounts; its id is the saga's id."""
    try:
        login_name = work.accounts.get_account(account_id, None)["username"]
    except NotFound:
        login_name = None
    open_request(
        work,
        {
            "id": request_id,
            "kind": ERASURE,
            "subject_id": account_id,
            "login_name": login_name,
            "origin": BY_SUBJECT,
            "requested_by": account_id,
            "received_at": work.now,
        },
    )


def open_retention_erasure(work: Work, account: dict, deadline: datetime) -> bool:
    """True when this run opened it; a coachee gets one retention erasure, however often run."""
    request = open_request(
        work,
        {
            "kind": ERASURE,
            "subject_id": account["account_id"],
            "login_name": account["username"],
            "origin": BY_RETENTION,
            "received_at": work.now,
        },
        due_at=deadline,
    )
    return request is not None
