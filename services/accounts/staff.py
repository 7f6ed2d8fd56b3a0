"""Staff and subscriber-contact accounts, managed by admins; disabling any login (R-SEC-3/4)."""

import secrets

from services.accounts import repository as repo
from services.accounts.logins import changes_principal, is_disabled
from services.accounts.passwords import password_problems
from services.accounts.profiles import ACCOUNT
from services.accounts.work import Work
from services.contracts.accounts import ACCOUNT_DISABLED, ADMIN, STAFF_ROLES, SUBSCRIBER
from services.contracts.errors import Conflict, InvalidInput, NotFound
from services.infra.permissions import require_role

LAST_ADMIN = "This is the last active administrator; appoint another one first."


def list_staff(work: Work, actor: dict, limit: int, cursor: str | None) -> dict:
    require_role(work, actor, ADMIN)
    page = repo.list_staff(work.db, limit, cursor)
    return {"items": ACCOUNT.dump(page["items"], many=True), "next_cursor": page["next_cursor"]}


def username_taken() -> Conflict:
    return Conflict("This username is taken.", {"username": ["This username is taken."]})


def refuse_taken_username(work: Work, username: str) -> None:
    if repo.username_taken(work.db, username):
        raise username_taken()


def insert_staff_account(work: Work, values: dict):
    """The new account; a name taken since `refuse_taken_username` looked is the same refusal."""
    account = repo.insert_account(work.db, values)
    if account is None:
        raise username_taken()
    return account


def create_staff(work: Work, data: dict, actor: dict) -> dict:
    require_role(work, actor, ADMIN)
    if data["role"] == SUBSCRIBER and data.get("subscriber_id") is None:
        raise InvalidInput(
            "A subscriber contact needs its subscriber.",
            {"subscriber_id": ["Required for subscriber contacts."]},
        )
    refuse_taken_username(work, data["username"])
    initial_password = secrets.token_urlsafe(12)
    account = insert_staff_account(
        work,
        dict(
            data,
            password_hash=work.settings.hashing.hash(initial_password),
            created_at=work.now,
        ),
    )
    work.audit("staff_created", actor_id=actor["account_id"], subject_id=account["id"])
    return {"account": ACCOUNT.dump(account), "initial_password": initial_password}


def staff_account(work: Work, account_id):
    account = repo.account_by_id(work.db, account_id)
    if account is None or account["role"] not in STAFF_ROLES:
        raise NotFound("No such staff account.")
    return account


def update_staff(work: Work, account_id, changes: dict, actor: dict) -> dict:
    require_role(work, actor, ADMIN)
    account = staff_account(work, account_id)
    losing_admin = account["role"] == ADMIN and changes.get("role", ADMIN) != ADMIN
    if losing_admin and repo.active_admins_except(work.db, account["id"], work.now) == 0:
        raise Conflict(LAST_ADMIN, {"role": [LAST_ADMIN]})
    updated = repo.update_account(work.db, account["id"], changes)
    if changes_principal(changes):
        work.sessions_changed(account["id"])
    work.audit("staff_changed", actor_id=actor["account_id"], subject_id=account["id"])
    return ACCOUNT.dump(updated)


def set_disabled(work: Work, account_id, disabling: dict, actor: dict) -> dict:
    """Disable until a time or for good, or enable; a disabled login's sessions end at once."""
    require_role(work, actor, ADMIN)
    account = repo.account_by_id(work.db, account_id)
    if account is None or account["erased_at"] is not None:
        raise NotFound("No such account.")
    until = disabling["until"]
    if disabling["disabled"] and until is not None and until <= work.now:
        raise InvalidInput("The end of the disabling is in the past.", {"until": ["In the past."]})
    if not disabling["disabled"]:
        updated = repo.update_account(
            work.db, account["id"], {"disabled_until": None, "disabled_permanently": False}
        )
        work.sessions_changed(account["id"])
        work.audit("login_enabled", actor_id=actor["account_id"], subject_id=account["id"])
        return ACCOUNT.dump(updated)
    if (
        account["role"] == ADMIN
        and not is_disabled(account, work.now)
        and repo.active_admins_except(work.db, account["id"], work.now) == 0
    ):
        raise Conflict(LAST_ADMIN, {"disabled": [LAST_ADMIN]})
    updated = repo.update_account(
        work.db,
        account["id"],
        {"disabled_until": until, "disabled_permanently": until is None},
    )
    repo.revoke_all_sessions(work.db, account["id"], work.now)
    work.sessions_changed(account["id"])
    work.outbox.dispatch(
        ACCOUNT_DISABLED,
        {"account_id": str(account["id"]), "until": until.isoformat() if until else None},
    )
    work.audit("login_disabled", actor_id=actor["account_id"], subject_id=account["id"])
    return ACCOUNT.dump(updated)


def create_admin(work: Work, username: str, password: str) -> dict:
    refuse_taken_username(work, username)
    problems = password_problems(password, username)
    if problems:
        raise InvalidInput("Choose another password.", {"password": problems})
    account = insert_staff_account(
        work,
        {
            "username": username,
            "role": ADMIN,
            "name": username,
            "password_hash": work.settings.hashing.hash(password),
            "created_at": work.now,
        },
    )
    work.audit("admin_created", subject_id=account["id"])
    return ACCOUNT.dump(account)
