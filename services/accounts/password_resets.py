"""A forgotten password: a link by mail, and setting a new password with it.

Asking answers the same whether or not the login (a username or an email address) belongs to an
account, and an unknown login costs the same up to the lookup: every request is counted per
login and per client address like a failed login, and throttled by the same rule. A known
account in use with an email address gets a reset valid for `PASSWORD_RESET_VALID_SECONDS`,
and its earlier unused resets stop working. The link's token is made only when its mail goes
(`reset_mail_sender`), so it exists in the mail and nowhere else: the database keeps its SHA-256,
as for login sessions. Setting the new password, ending every session of the account and using
up the token happen in one transaction, with the reset's row locked, so a token works once.
"""

import uuid

from services.accounts import repository as repo
from services.accounts.logins import is_disabled, refuse_if_throttled
from services.accounts.passwords import password_problems
from services.accounts.throttle import account_key, reset_throttle_keys
from services.accounts.work import Work
from services.contracts.accounts import InvalidResetToken
from services.contracts.errors import InvalidInput
from services.infra.tokens import token_hash

RESET_THROTTLED = "Too many password-reset requests; try again later."
TOKEN_REFUSED = (
    "This link does not work: it has been used or has expired, or a newer link was sent. "
    "Ask for a new one."
)


def request_reset(work: Work, request: dict) -> None:
    keys = reset_throttle_keys(request["login"], request["client_address"])
    refuse_if_throttled(work, keys, "password_reset_throttled", RESET_THROTTLED)
    repo.record_failures(work.db, keys, work.now)
    for account in repo.accounts_by_login(work.db, request["login"]):
        if account["email"] and not is_disabled(account, work.now):
            issue_reset(work, account, request["language"])


def issue_reset(work: Work, account, language: str) -> None:
    repo.revoke_open_resets(work.db, account["id"], work.now)
    reset_id = uuid.uuid4()
    repo.insert_reset(
        work.db,
        {
            "id": reset_id,
            "account_id": account["id"],
            "created_at": work.now,
            "expires_at": work.now + work.settings.resets.valid_for,
        },
    )
    repo.insert_reset_mail(
        work.db,
        {
            "id": uuid.uuid4(),
            "password_reset_id": reset_id,
            "language": language,
            "attempts": 0,
            "next_attempt_at": work.now,
        },
    )
    work.audit("password_reset_requested", subject_id=account["id"])


def live_reset(work: Work, token: str, lock: bool = False):
    reset = repo.live_reset(work.db, token_hash(token), work.now, lock)
    if reset is None:
        raise InvalidResetToken(TOKEN_REFUSED, {"token": [TOKEN_REFUSED]})
    return reset


def check_token(work: Work, token: str) -> dict:
    live_reset(work, token)
    return {"valid": True}


def reset_password(work: Work, confirmation: dict) -> None:
    """The new password obeys the rules of every other new password; failed logins counted
    against the account are forgotten, since they guessed at the password now replaced."""
    reset = live_reset(work, confirmation["token"], lock=True)
    password = confirmation["password"]
    problems = password_problems(password, reset["username"], reset["email"] or "")
    if problems:
        raise InvalidInput("Choose another password.", {"password": problems})
    account_id = reset["account_id"]
    password_hash = work.settings.hashing.hash(password)
    repo.update_account(work.db, account_id, {"password_hash": password_hash})
    repo.revoke_all_sessions(work.db, account_id, work.now)
    work.sessions_changed(account_id)
    repo.mark_reset_used(work.db, reset["id"], work.now)
    repo.clear_failures(work.db, account_key(reset["username"]))
    work.audit("password_reset", actor_id=account_id, subject_id=account_id)


def delete_expired_resets(work: Work) -> int:
    """An expired reset is of no further use; it goes with its mail."""
    return repo.delete_resets_expired_before(work.db, work.now)
