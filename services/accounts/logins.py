"""Logging in and out, sessions, password changes."""

import secrets
import uuid

from services.accounts import repository as repo
from services.accounts.passwords import password_problems
from services.accounts.sessions import new_token
from services.accounts.throttle import throttle_keys
from services.accounts.work import Work
from services.contracts.errors import InvalidInput, Throttled, Unauthenticated
from services.infra.database import step
from services.infra.tokens import token_hash

LOGIN_REFUSED = "The username or password is wrong, or the login is not in use."
FAILURE_CLEANUP_BATCH = 1000
PRINCIPAL_FIELDS = frozenset({"username", "role", "name", "subscriber_id", "member_number"})
"""The account's fields a `Principal` may carry: changing one changes what `resolve_session`
answers for the account's sessions."""


def principal_of(account, session_row) -> dict:
    """`account` has username, role, name and membership; `session_row` is the session (with
    account_id)."""
    subscriber_id = account["subscriber_id"]
    return {
        "account_id": str(session_row["account_id"]),
        "username": account["username"],
        "role": account["role"],
        "name": account["name"],
        "subscriber_id": str(subscriber_id) if subscriber_id is not None else None,
        "member_number": account["member_number"],
        "session_id": str(session_row["id"]),
        "csrf_token": session_row["csrf_token"],
        "expires_at": session_row["expires_at"].isoformat(),
    }


def changes_principal(changes: dict) -> bool:
    return not PRINCIPAL_FIELDS.isdisjoint(changes)


def is_disabled(account, now) -> bool:
    return (
        account["disabled_permanently"]
        or account["erased_at"] is not None
        or (account["disabled_until"] is not None and account["disabled_until"] > now)
    )


def refuse_if_throttled(
    work: Work,
    keys: list[bytes],
    action: str = "login_throttled",
    message: str = "Too many failed logins; try again later.",
) -> None:
    """Throttled when any key has reached the limit; the refusal is audited as `action`."""
    throttle = work.settings.throttle
    waits = [
        throttle.retry_after(
            repo.failures_since(work.db, key, work.now - throttle.window), work.now
        )
        for key in keys
    ]
    waits = [wait for wait in waits if wait is not None]
    if waits:
        work.audit_refusal(action)
        raise Throttled(message, retry_after=max(waits))


def refuse_password(work: Work, keys: list[bytes], account_id, message: str):
    """Remember the failure for throttling and audit it, then refuse.

    Called before the operation has written anything, so the step stores only the refusal.
    """
    with step(work.db):
        repo.record_failures(work.db, keys, work.now)
        work.audit("login_failed", subject_id=account_id)
    raise Unauthenticated(message)


def delete_expired_failures(work: Work) -> int:
    """Forget failed logins older than the throttling window, which no longer count.

    Each batch commits on its own, so a long backlog never holds its locks for long.
    """
    cutoff = work.now - work.settings.throttle.window
    deleted = 0
    while True:
        with step(work.db):
            batch = repo.delete_failures_before(work.db, cutoff, FAILURE_CLEANUP_BATCH)
        deleted += batch
        if batch < FAILURE_CLEANUP_BATCH:
            return deleted


def confirm_password(work: Work, account, password: str, client_address: str) -> None:
    """Re-entering the password (to change it, to ask for erasure) is throttled like a login."""
    keys = throttle_keys(account["username"], client_address)
    refuse_if_throttled(work, keys)
    if not work.settings.hashing.verify(account["password_hash"], password):
        refuse_password(work, keys, account["id"], "The password is wrong.")


def log_in(work: Work, credentials: dict) -> dict:
    """Raises Unauthenticated or Throttled *after* committing what the refusal must remember."""
    keys = throttle_keys(credentials["username"], credentials["client_address"])
    refuse_if_throttled(work, keys)
    account = repo.account_by_username(work.db, credentials["username"])
    hashing = work.settings.hashing
    password_ok = hashing.verify(account and account["password_hash"], credentials["password"])
    if not password_ok or is_disabled(account, work.now):
        refuse_password(work, keys, account and account["id"], LOGIN_REFUSED)

    changes = {"last_login_at": work.now}
    if hashing.needs_rehash(account["password_hash"]):
        changes["password_hash"] = hashing.hash(credentials["password"])
    repo.update_account(work.db, account["id"], changes)
    repo.clear_failures(work.db, keys[0])
    token = new_token()
    session_row = repo.insert_session(
        work.db,
        {
            "id": uuid.uuid4(),
            "account_id": account["id"],
            "token_hash": token_hash(token),
            "csrf_token": secrets.token_urlsafe(24),
            "remember_me": credentials["remember_me"],
            "created_at": work.now,
            "expires_at": work.settings.lifetimes.expiry(work.now, credentials["remember_me"]),
        },
    )
    work.audit("login_succeeded", actor_id=account["id"], subject_id=account["id"])
    return {"token": token, "principal": principal_of(account, session_row)}


def resolve_session(work: Work, token: str) -> dict:
    row = repo.live_session(work.db, token_hash(token), work.now) if token else None
    if row is None:
        raise Unauthenticated("Please log in.")
    return principal_of(row, row)


def log_out(work: Work, token: str) -> None:
    account_id = repo.revoke_session(work.db, token_hash(token), work.now)
    if account_id is not None:
        work.sessions_changed(account_id)


def change_password(work: Work, account_id, current: str, new: str, client_address: str) -> None:
    account = repo.account_by_id(work.db, account_id)
    if account is None:
        raise Unauthenticated("Please log in.")
    confirm_password(work, account, current, client_address)
    problems = password_problems(new, account["username"], account["email"] or "")
    if problems:
        raise InvalidInput("Choose another password.", {"new_password": problems})
    repo.update_account(work.db, account_id, {"password_hash": work.settings.hashing.hash(new)})
    repo.revoke_all_sessions(work.db, account_id, work.now)
    work.sessions_changed(account["id"])
    work.audit("password_changed", actor_id=account_id, subject_id=account_id)
