"""The retention job and its preview: coachees past their two calendar years are erased.

Each run asks accounts for every coachee created before the cut-off that is not erased yet and
opens one retention erasure per account (a unique index makes repeats no-ops); the sagas do the
rest. A run stopped half-way leaves the erasures it opened, and the next run opens the others.
"""

from datetime import datetime

from services.contracts.accounts import PRIVACY
from services.infra.database import step
from services.infra.permissions import require_role
from services.privacy import repository as repo
from services.privacy.intake import open_retention_erasure
from services.privacy.retention import (
    created_before,
    erasure_deadline,
    erasure_due_from,
    preview_cutoff,
)
from services.privacy.work import Work

PAGE_SIZE = 200


def run_retention(work: Work) -> dict:
    before = created_before(work.now)
    found = opened = 0
    cursor = None
    while True:
        page = work.accounts.coachees_created_before(before.isoformat(), PAGE_SIZE, cursor)
        with step(work.db):
            for account in page["items"]:
                found += 1
                deadline = erasure_deadline(datetime.fromisoformat(account["created_at"]))
                if open_retention_erasure(work, account, deadline):
                    opened += 1
        cursor = page["next_cursor"]
        if cursor is None:
            break
    if opened:
        work.audit("retention_run", detail={"accounts_due": found, "erasures_opened": opened})
    return {"created_before": before.isoformat(), "accounts_due": found, "erasures_opened": opened}


def preview_item(account: dict, request) -> dict:
    created_at = datetime.fromisoformat(account["created_at"])
    return {
        "account_id": account["account_id"],
        "username": account["username"],
        "created_at": account["created_at"],
        "erase_from": erasure_due_from(created_at).isoformat(),
        "erase_by": erasure_deadline(created_at).isoformat(),
        "request_id": str(request["id"]) if request else None,
        "request_status": request["status"] if request else None,
    }


def retention_preview(work: Work, actor: dict | None, limit: int, cursor: str | None) -> dict:
    """The coachees that the run a month from now erases, unless already erased by then."""
    require_role(work, actor, PRIVACY, services_allowed=True)
    before = preview_cutoff(work.now)
    page = work.accounts.coachees_created_before(before.isoformat(), limit, cursor)
    requests = repo.retention_requests_of(work.db, [a["account_id"] for a in page["items"]])
    items = [
        preview_item(account, requests.get(account["account_id"])) for account in page["items"]
    ]
    return {
        "created_before": before.isoformat(),
        "items": items,
        "next_cursor": page["next_cursor"],
    }
