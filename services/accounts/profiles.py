"""Coachee registration, and seeing, editing and searching account details."""

import uuid

from services.accounts import repository as repo
from services.accounts.logins import changes_principal
from services.accounts.passwords import password_problems
from services.accounts.subscription import check_subscription_change
from services.accounts.usernames import new_username
from services.accounts.work import Work
from services.contracts.accounts import ADMIN, COACH, COACHEE, Account, CoacheeContact, Contact
from services.contracts.errors import InvalidInput, NotFound
from services.infra.permissions import require_role

ACCOUNT = Account()
CONTACT = CoacheeContact()
CONTACTS = Contact(many=True)
USERNAME_ATTEMPTS = 20


def checked_registration(registration: dict) -> dict:
    """The registration (loaded, so normalised, by the contract's schema) with a strong enough
    password, or InvalidInput naming the password's problems."""
    problems = password_problems(registration["password"], registration["email"])
    if problems:
        raise InvalidInput("Choose another password.", {"password": problems})
    return dict(registration)


def registered(account) -> dict:
    return {"account_id": str(account["id"]), "username": account["username"]}


def registered_under(work: Work, registration_key: str | None) -> dict | None:
    if registration_key is None:
        return None
    existing = repo.account_by_registration_key(work.db, registration_key)
    return registered(existing) if existing is not None else None


def register_coachee(work: Work, registration: dict, registration_key: str | None) -> dict:
    """A new coachee account, or the one registered under the same key before (a repeat, or a
    twin registration that raced this one and won the key). A new one, the usual case, costs
    one statement: the key is looked up only when the insert finds it taken."""
    details = checked_registration(registration)
    password_hash = work.settings.hashing.hash(details.pop("password"))
    for _ in range(USERNAME_ATTEMPTS):
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
        if account is not None:
            return registered(account)
        earlier = registered_under(work, registration_key)
        if earlier is not None:
            return earlier
    raise RuntimeError("no free username found")


def discard_registration(work: Work, registration_key: str) -> None:
    """Undo the registration of a first booking that was never made; an account that was ever
    used stays."""
    account = repo.account_by_registration_key(work.db, registration_key)
    if account is not None and account["role"] == COACHEE and account["last_login_at"] is None:
        repo.delete_account(work.db, account["id"])


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


def get_contacts(work: Work, account_ids: list) -> list[dict]:
    """Whom a service's mails go to, for services only: ids unknown or erased are left out."""
    return CONTACTS.dump(repo.contacts_of(work.db, account_ids))


def get_coachee_contact(work: Work, account_id, actor: dict) -> dict:
    """A coachee's contact details for a coach or an admin, audited as a read of their profile.

    The caller (the gateway) has checked with bookings that the coach has a session with them;
    accounts keeps no bookings, so it checks only the role and that the account is a coachee.
    """
    require_role(work, actor, COACH, ADMIN)
    account = visible_account(work, account_id, None)
    if account["role"] != COACHEE:
        raise NotFound("No such coachee.")
    audit_staff_access(work, actor, account, "profile_read")
    return CONTACT.dump(account)


def update_account(work: Work, account_id, changes: dict, actor: dict | None) -> dict:
    """Own details, or a coachee's by an admin; staff accounts change through `update_staff`."""
    account = visible_account(work, account_id, actor)
    editing_other_staff = actor is not None and str(account["id"]) != actor["account_id"]
    if editing_other_staff and account["role"] != COACHEE:
        raise NotFound("No such coachee.")
    check_subscription_change(work, account, changes, actor)
    updated = repo.update_account(work.db, account["id"], changes)
    if changes_principal(changes):
        work.sessions_changed(account["id"])
    audit_staff_access(work, actor, account, "profile_changed")
    return ACCOUNT.dump(updated)


def search_coachees(work: Work, text: str, actor: dict, limit: int, cursor: str | None) -> dict:
    require_role(work, actor, ADMIN)
    page = repo.search_coachees(work.db, text, limit, cursor)
    for account in page["items"]:
        work.audit("profile_read", actor_id=actor["account_id"], subject_id=account["id"])
    return {"items": ACCOUNT.dump(page["items"], many=True), "next_cursor": page["next_cursor"]}
