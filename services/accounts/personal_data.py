"""The accounts service's part of the privacy contract, and a coachee's own erasure request."""

from services.accounts import repository as repo
from services.accounts.logins import confirm_password
from services.accounts.work import Work
from services.contracts.accounts import ERASURE_REQUESTED
from services.contracts.errors import Unauthenticated
from services.infra.erasure import ErasureResult

PROFILE_FIELDS = ("name", "email", "phone", "subscriber_id", "member_number")
TOMBSTONE_REASON = (
    "The username is kept as a tombstone so that it is never given to anyone else; it is "
    "made of random words and says nothing about the person."
)


def export_personal_data(work: Work, subject_id) -> dict:
    account = repo.account_by_id(work.db, subject_id)
    if account is None:
        return {"service": "accounts", "items": [], "files": [], "done": True}
    items = [
        {
            "group": "account",
            "id": str(account["id"]),
            "data": {
                "username": account["username"],
                "role": account["role"],
                **{name: _plain(account[name]) for name in PROFILE_FIELDS},
                "created_at": account["created_at"].isoformat(),
                "last_login_at": _plain(account["last_login_at"]),
            },
        }
    ]
    items += [
        {
            "group": "login_sessions",
            "id": str(row["id"]),
            "data": {
                "created_at": row["created_at"].isoformat(),
                "expires_at": row["expires_at"].isoformat(),
                "revoked_at": _plain(row["revoked_at"]),
            },
        }
        for row in repo.sessions_of(work.db, account["id"])
    ]
    items += [
        {
            "group": "password_resets",
            "id": str(row["id"]),
            "data": {
                "requested_at": row["created_at"].isoformat(),
                "expires_at": row["expires_at"].isoformat(),
                "used_at": _plain(row["used_at"]),
            },
        }
        for row in repo.resets_of(work.db, account["id"])
    ]
    return {"service": "accounts", "items": items, "files": [], "done": True}


def _plain(value):
    return value.isoformat() if hasattr(value, "isoformat") else (str(value) if value else value)


def erase_account(work: Work, subject_id) -> ErasureResult:
    """Anonymise the profile, remove sessions, password resets and requests, keep the username
    as a tombstone."""
    account = repo.account_by_id(work.db, subject_id)
    if account is None or account["erased_at"] is not None:
        return ErasureResult(messages=["No personal data is held about this person."])
    removed = repo.delete_sessions(work.db, account["id"])
    work.sessions_changed(account["id"])
    removed += repo.delete_resets(work.db, account["id"])
    removed += repo.delete_erasure_requests(work.db, account["id"])
    repo.update_account(
        work.db,
        account["id"],
        {
            **dict.fromkeys(PROFILE_FIELDS),
            "password_hash": None,
            "registration_key": None,
            "last_login_at": None,
            "erased_at": work.now,
            "disabled_permanently": True,
        },
    )
    return ErasureResult(
        items_removed=removed,
        items_anonymised=1,
        items_retained=1,
        messages=[TOMBSTONE_REASON],
    )


def request_erasure(work: Work, account_id, password: str, client_address: str) -> dict:
    """The person's erasure request; one already waiting is answered again (a form sent twice
    starts one erasure). The account row is locked, so two sent at once cannot both insert."""
    account = repo.account_by_id(work.db, account_id, lock=True)
    if account is None:
        raise Unauthenticated("Please log in.")
    confirm_password(work, account, password, client_address)
    pending = repo.pending_erasure_request(work.db, account["id"])
    if pending is not None:
        return {"request_id": str(pending)}
    request_id = repo.insert_erasure_request(work.db, account["id"], work.now)
    work.outbox.dispatch(
        ERASURE_REQUESTED, {"request_id": str(request_id), "account_id": str(account["id"])}
    )
    work.audit("erasure_requested", actor_id=account["id"], subject_id=account["id"])
    return {"request_id": str(request_id)}
