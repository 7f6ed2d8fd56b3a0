"""Coachee registration, and seeing, editing and searching account details."""

import uuid

from sqlalchemy.exc import IntegrityError

from services.accounts import repository as repo
from services.accounts.details import normalise_details
from services.accounts.passwords import password_problems
from services.accounts.subscription import check_subscription_change
from services.accounts.usernames import new_username
from services.accounts.work import Work
from services.contracts.accounts import ADMIN, COACHEE, Account
from services.contracts.errors import Forbidden, InvalidInput, NotFound

ACCOUNT = Account()
USERNAME_ATTEMPTS = 20


def checked_registration(registration: dict) -> dict:
    """The registration normalised, or InvalidInput naming every field with a problem."""
    details = normalise_details(registration)
    problems = password_problems(details["password"], details["email"])
    if problems:
        raise InvalidInput("Choose another password.", {"password": problems})
    return details


def register_coachee(work: Work, registration: dict, registration_key: str | None) -> dict:
    if registration_key:
        existing = repo.account_by_registration_key(work.db, registration_key)
        if existing is not None:
            return {"account_id": str(existing["id"]), "username": existing["username"]}
    details = checked_registration(registration)
    password_hash = work.settings.hashing.hash(details.pop("password"))
    for _ in range(USERNAME_ATTEMPTS):
        try:
            with work.db.begin_nested():
                account = repo.insert_account(
                    work.db,
                    dict(
                        details,
                        username=new_username(),
                        role=COACHEE,
                        password_hash=password_hash,
                        registration_key=registration_key,
                        created_at=work.now,
                    ),
                )
        except IntegrityError:
            continue
        return {"account_id": str(account["id"]), "username": account["username"]}
    raise RuntimeError("no free username found")


def discard_registration(work: Work, account_id) -> None:
    """Undo a registration whose booking failed; an account that was ever used stays."""
    account = repo.account_by_id(work.db, account_id)
    if account is not None and account["role"] == COACHEE and account["last_login_at"] is None:
        repo.delete_account(work.db, account_id)


def visible_account(work: Work, account_id, actor: dict | None):
    """The account if the actor may see it: themselves, an admin, or a service (no actor)."""
    try:
        account = repo.account_by_id(work.db, uuid.UUID(str(account_id)))
    except ValueError:
        account = None
    allowed = actor is None or actor["role"] == ADMIN or str(account_id) == actor["account_id"]
    if account is None or account["erased_at"] is not None or not allowed:
        raise NotFound("No such account.")
    return account


def audit_staff_access(work: Work, actor: dict | None, account, action: str) -> None:
    if (
        actor is not None
        and account["role"] == COACHEE
        and actor["account_id"] != str(account["id"])
    ):
        work.audit(action, actor_id=actor["account_id"], subject_id=account["id"])


def get_account(work: Work, account_id, actor: dict | None) -> dict:
    account = visible_account(work, account_id, actor)
    audit_staff_access(work, actor, account, "profile_read")
    return ACCOUNT.dump(account)


def update_account(work: Work, account_id, changes: dict, actor: dict | None) -> dict:
    """Own details, or a coachee's by an admin; staff accounts change through `update_staff`."""
    account = visible_account(work, account_id, actor)
    editing_other_staff = actor is not None and str(account["id"]) != actor["account_id"]
    if editing_other_staff and account["role"] != COACHEE:
        raise NotFound("No such coachee.")
    details = normalise_details(changes)
    check_subscription_change(work, account, details, actor)
    updated = repo.update_account(work.db, account["id"], details)
    audit_staff_access(work, actor, account, "profile_changed")
    return ACCOUNT.dump(updated)


def require_admin(work: Work, actor: dict | None) -> None:
    if actor is None or actor["role"] != ADMIN:
        if actor is not None:
            work.audit_refusal("access_denied", actor_id=actor["account_id"])
        raise Forbidden("Only administrators may do this.")


def search_coachees(work: Work, text: str, actor: dict, limit: int, cursor: str | None) -> dict:
    require_admin(work, actor)
    page = repo.search_coachees(work.db, text, limit, cursor)
    for account in page["items"]:
        work.audit("profile_read", actor_id=actor["account_id"], subject_id=account["id"])
    return {"items": ACCOUNT.dump(page["items"], many=True), "next_cursor": page["next_cursor"]}
