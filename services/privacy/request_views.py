"""Requests as their handlers see them (status, due date, overdue or not, each saga step), and
as their subject sees them."""

from datetime import datetime

from services.contracts.errors import InvalidInput
from services.contracts.privacy import COMPLETED, STEP_DONE
from services.privacy import repository as repo
from services.privacy.access import visible_request
from services.privacy.deadlines import is_overdue
from services.privacy.plans import EXPORT_ACTION


def iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def gathered(result: dict) -> dict:
    return {"items": len(result["items"]), "files": len(result["files"])}


def step_outcome(step) -> dict | None:
    """What a step says about its service; of a collecting step only how much it gathered.

    A collecting step holds what it gathered until its request is answered, then only the counts.
    """
    result = step["result"]
    if result is None or step["action"] != EXPORT_ACTION or not isinstance(result["items"], list):
        return result
    return gathered(result)


def step_view(step) -> dict:
    return {
        "participant": step["participant"],
        "action": step["action"],
        "status": step["status"],
        "attempts": step["attempts"],
        "next_attempt_at": iso(step["next_attempt_at"]) if step["status"] != STEP_DONE else None,
        "last_error": step["last_error"],
        "result": step_outcome(step) if step["status"] == STEP_DONE else None,
        "completed_at": iso(step["completed_at"]),
    }


def request_view(request, steps, now: datetime) -> dict:
    completed = request["status"] == COMPLETED
    return {
        "id": str(request["id"]),
        "kind": request["kind"],
        "subject_id": str(request["subject_id"]),
        "login_name": request["login_name"],
        "origin": request["origin"],
        "received_at": iso(request["received_at"]),
        "due_at": iso(request["due_at"]),
        "overdue": is_overdue(request["due_at"], completed, now),
        "status": request["status"],
        "completed_at": iso(request["completed_at"]),
        "description": request["description"],
        "change_link": request["change_link"],
        "number_in_year": request["number_in_year"],
        "free_of_charge": request["free_of_charge"],
        "result_available": has_result(request),
        "result_expires_at": iso(request["result_expires_at"]),
        "steps": [step_view(step) for step in steps],
    }


def has_result(request) -> bool:
    return bool(request["result_key"]) and request["result_deleted_at"] is None


def own_request_view(request) -> dict:
    return {
        "id": str(request["id"]),
        "kind": request["kind"],
        "origin": request["origin"],
        "status": request["status"],
        "received_at": iso(request["received_at"]),
        "due_at": iso(request["due_at"]),
        "completed_at": iso(request["completed_at"]),
        "result_available": has_result(request),
        "result_expires_at": iso(request["result_expires_at"]),
    }


def list_subject_requests(session, subject_id) -> dict:
    """Every request about the person, newest first; a person has a handful, so no pages."""
    rows = repo.requests_of_subject_newest_first(session, subject_id)
    return {"items": [own_request_view(row) for row in rows]}


def get_request(session, request_id, actor: dict | None, now: datetime) -> dict:
    request = visible_request(session, request_id, actor)
    return request_view(request, repo.steps_of(session, request["id"]), now)


def offset_of(cursor: str | None) -> int:
    try:
        return max(int(cursor or 0), 0)
    except ValueError:
        raise InvalidInput("Not a cursor from this list.", {"cursor": ["Unknown."]}) from None


def list_requests(session, filters: dict, now: datetime) -> dict:
    offset = offset_of(filters["cursor"])
    rows = repo.list_requests(session, filters, offset, filters["limit"] + 1)
    page = rows[: filters["limit"]]
    more = len(rows) > filters["limit"]
    return {
        "items": [request_view(row, [], now) for row in page],
        "next_cursor": str(offset + len(page)) if more else None,
    }
