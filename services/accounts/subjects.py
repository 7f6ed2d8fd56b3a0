"""What the privacy service asks of accounts about the people its requests concern.

A coachee is found by the login name a request gives; the retention rule lists coachees by when
their account was created; an erasure first ends the login, for good, before anything is erased.
"""

import uuid
from datetime import datetime

from services.accounts import repository as repo
from services.accounts.logins import confirm_password
from services.accounts.work import Work
from services.contracts.accounts import ACCOUNT_DISABLED, COACHEE
from services.contracts.errors import InvalidInput, NotFound, Unauthenticated


def subject_view(account) -> dict:
    return {
        "account_id": str(account["id"]),
        "username": account["username"],
        "created_at": account["created_at"].isoformat(),
    }


def find_coachee(work: Work, username: str) -> dict:
    account = repo.account_by_username(work.db, username)
    if account is None or account["role"] != COACHEE or account["erased_at"] is not None:
        raise NotFound("No coachee has this username.")
    return subject_view(account)


def coachees_created_before(work: Work, before: datetime, limit: int, cursor: str | None) -> dict:
    """Coachees not yet erased whose account is older than `before`; pages by account id."""
    try:
        after = uuid.UUID(cursor) if cursor else None
    except ValueError:
        raise InvalidInput("Not a cursor from this list.", {"cursor": ["Unknown."]}) from None
    rows = repo.coachees_created_before(work.db, before, limit + 1, after)
    page = rows[:limit]
    next_cursor = str(page[-1]["id"]) if len(rows) > limit else None
    return {"items": [subject_view(row) for row in page], "next_cursor": next_cursor}


def disable_login(work: Work, subject_id) -> dict:
    """The first step of an erasure: the login ends for good, and every session with it."""
    account = repo.account_by_id(work.db, subject_id)
    if account is None or account["erased_at"] is not None:
        message = "No login to disable."
        ended = 0
    else:
        repo.update_account(
            work.db, account["id"], {"disabled_permanently": True, "disabled_until": None}
        )
        ended = repo.revoke_all_sessions(work.db, account["id"], work.now)
        work.sessions_changed(account["id"])
        if not account["disabled_permanently"]:
            disabled = {"account_id": str(account["id"]), "until": None}
            work.outbox.dispatch(ACCOUNT_DISABLED, disabled)
            work.audit("login_disabled", subject_id=account["id"])
        message = f"The login is disabled for good; {ended} open sessions ended."
    return {
        "items_removed": 0,
        "items_anonymised": 0,
        "items_retained": 0,
        "messages": [message],
        "done": True,
    }


def confirm_own_password(work: Work, account_id, password: str, client_address: str) -> None:
    """The password re-entered before a request about one's own data; throttled like a login."""
    account = repo.account_by_id(work.db, account_id)
    if account is None:
        raise Unauthenticated("Please log in.")
    confirm_password(work, account, password, client_address)
