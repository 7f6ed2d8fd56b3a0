"""Running requests as persisted sagas: one step at a time, each step's outcome committed.

A timer calls `advance_due_requests`. Each request is locked while one of its steps runs (other
instances skip it), and the step's outcome is committed before the next step starts, so a crash
of this service loses at most the step in flight. That step runs again after the restart, and the
participant answers a repeated erasure with the result it stored the first time. A participant
that is down or failing leaves its step pending with a doubling wait; later steps wait for it.
"""

import logging

from services.contracts.names import PRIVACY
from services.contracts.privacy import COMPLETED
from services.contracts.privacy import STEP_DONE as DONE
from services.contracts.privacy import STEP_PENDING as PENDING
from services.infra import database
from services.privacy import own_data, results
from services.privacy import repository as repo
from services.privacy.plans import EXPORT_ACTION
from services.privacy.request_views import gathered
from services.privacy.work import Work

log = logging.getLogger(__name__)

COUNTS = ("items_removed", "items_anonymised", "items_retained")


def merged(action: str, earlier: dict | None, answer: dict) -> dict:
    """A multi-page answer put together: items and files, or counts and distinct messages."""
    if action == EXPORT_ACTION:
        earlier = earlier or {"items": [], "files": []}
        return {
            "items": earlier["items"] + list(answer.get("items", [])),
            "files": earlier["files"] + list(answer.get("files", [])),
        }
    earlier = earlier or {**dict.fromkeys(COUNTS, 0), "messages": []}
    messages = earlier["messages"] + [
        message for message in answer.get("messages", []) if message not in earlier["messages"]
    ]
    return {**{key: earlier[key] + int(answer.get(key, 0)) for key in COUNTS}, "messages": messages}


def describe_failure(exc: Exception) -> str:
    return f"{type(exc).__name__}: {exc}"[:1000]


def apply_step(work: Work, request, step) -> dict:
    if step["participant"] == PRIVACY:
        return own_data.apply(work, step["action"], request)
    return work.participants.apply(
        step["participant"],
        step["action"],
        str(request["subject_id"]),
        str(request["id"]),
        step["page"],
    )


def run_step(work: Work, request, step) -> bool:
    """Runs one page of a step; True when the saga may go on at once."""
    attempts = step["attempts"] + 1
    try:
        with database.attempt(work.db):
            answer = apply_step(work, request, step)
    except Exception as exc:
        delay = work.settings.step_backoff.delay_after(attempts)
        log.warning(
            "step %s of request %s failed (attempt %d), next in %s: %s",
            step["participant"],
            request["id"],
            attempts,
            delay,
            exc,
        )
        repo.update_step(
            work.db,
            request["id"],
            step["position"],
            {
                "attempts": attempts,
                "last_error": describe_failure(exc),
                "next_attempt_at": work.now + delay,
            },
        )
        return False
    values = {"attempts": attempts, "result": merged(step["action"], step["result"], answer)}
    if answer.get("done", True):
        values.update(status=DONE, completed_at=work.now, last_error=None)
    else:
        values.update(page=step["page"] + 1)
    repo.update_step(work.db, request["id"], step["position"], values)
    return True


def finish(work: Work, request, steps) -> None:
    changes = {"status": COMPLETED, "completed_at": work.now}
    collected = [step for step in steps if step["action"] == EXPORT_ACTION]
    if collected:
        answers = [{**step["result"], "service": step["participant"]} for step in collected]
        changes.update(results.store_answer(work, request, answers))
        for step in collected:
            summary = gathered(step["result"])
            repo.update_step(work.db, request["id"], step["position"], {"result": summary})
    repo.update_request(work.db, request["id"], changes)
    work.audit(
        "privacy_request_completed",
        subject_id=request["subject_id"],
        detail={"request_id": str(request["id"]), "kind": request["kind"]},
    )


def advance_once(work: Work, request_id) -> bool:
    """Runs the request's next due step, or finishes the request; True when it may go on."""
    request = repo.lock_open_request(work.db, request_id)
    if request is None:
        return False
    steps = repo.steps_of(work.db, request_id)
    pending = next((step for step in steps if step["status"] == PENDING), None)
    if pending is None:
        finish(work, request, steps)
        return False
    if pending["next_attempt_at"] > work.now:
        return False
    return run_step(work, request, pending)


def advance_request(work: Work, request_id) -> None:
    """Runs the request's due steps in order, each a committed step, until one must wait."""
    while True:
        with database.step(work.db):
            went_on = advance_once(work, request_id)
        if not went_on:
            return


def advance_due_requests(work: Work, limit: int = 20) -> int:
    """Advances up to `limit` requests that have a due step; returns how many it looked at."""
    with database.step(work.db):
        due = repo.requests_with_due_steps(work.db, work.now, limit)
    for request_id in due:
        try:
            advance_request(work, request_id)
        except Exception:
            log.exception("request %s could not advance; trying again on the next tick", request_id)
    return len(due)
