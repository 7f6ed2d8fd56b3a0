"""Queries of the accounts service, given a session."""

import uuid
from datetime import datetime

from sqlalchemy import and_, delete, func, insert, literal_column, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.engine import RowMapping

from services.accounts.models import (
    accounts,
    erasure_requests,
    login_failures,
    password_reset_mails,
    password_resets,
    sessions,
)
from services.contracts.accounts import ADMIN, COACHEE, STAFF_ROLES


def account_by_id(session, account_id, lock: bool = False) -> RowMapping | None:
    query = select(accounts).where(accounts.c.id == account_id)
    if lock:
        query = query.with_for_update()
    return session.execute(query).mappings().first()


def contacts_of(session, account_ids) -> list[RowMapping]:
    """The name and address of each of the accounts that is not erased."""
    query = select(accounts.c.id, accounts.c.name, accounts.c.email).where(
        accounts.c.id.in_(account_ids), accounts.c.erased_at.is_(None)
    )
    return session.execute(query).mappings().all()


def account_by_username(session, username: str) -> RowMapping | None:
    return (
        session.execute(select(accounts).where(accounts.c.username == username.strip().lower()))
        .mappings()
        .first()
    )


def account_by_registration_key(session, key: str) -> RowMapping | None:
    query = select(accounts).where(accounts.c.registration_key == key)
    return session.execute(query).mappings().first()


def username_taken(session, username: str) -> bool:
    return account_by_username(session, username) is not None


def insert_account(session, values: dict) -> RowMapping | None:
    """The new account, or None when its username or registration key is taken already
    (PostgreSQL's ON CONFLICT DO NOTHING: no savepoint needed to go on)."""
    query = pg_insert(accounts).on_conflict_do_nothing().returning(accounts)
    return session.execute(query, dict(values, id=uuid.uuid4())).mappings().first()


def update_account(session, account_id, values: dict) -> RowMapping:
    query = update(accounts).where(accounts.c.id == account_id).values(values).returning(accounts)
    return session.execute(query).mappings().one()


def accounts_by_login(session, login: str) -> list[RowMapping]:
    """The account a username names, or every account an email address belongs to (an address
    may serve several accounts; compared in any case)."""
    login = login.strip()
    if "@" in login:
        condition = func.lower(accounts.c.email) == login.lower()
    else:
        condition = accounts.c.username == login.lower()
    return session.execute(select(accounts).where(condition)).mappings().all()


def delete_account(session, account_id) -> None:
    delete_resets(session, account_id)
    session.execute(delete(erasure_requests).where(erasure_requests.c.account_id == account_id))
    session.execute(delete(sessions).where(sessions.c.account_id == account_id))
    session.execute(delete(accounts).where(accounts.c.id == account_id))


def coachees_created_before(
    session, before: datetime, limit: int, after: uuid.UUID | None
) -> list[RowMapping]:
    query = select(accounts).where(
        accounts.c.role == COACHEE,
        accounts.c.erased_at.is_(None),
        accounts.c.created_at < before,
    )
    if after is not None:
        query = query.where(accounts.c.id > after)
    return session.execute(query.order_by(accounts.c.id).limit(limit)).mappings().all()


def not_disabled(now: datetime):
    return and_(
        accounts.c.disabled_permanently.is_(False),
        or_(accounts.c.disabled_until.is_(None), accounts.c.disabled_until <= now),
        accounts.c.erased_at.is_(None),
    )


def active_admins_except(session, account_id, now: datetime) -> int:
    query = select(func.count()).where(
        accounts.c.role == ADMIN, accounts.c.id != account_id, not_disabled(now)
    )
    return session.execute(query).scalar_one()


def page_of(session, query, limit: int, cursor: str | None) -> dict:
    """Keyset pages ordered by username (unique); the cursor is the last username seen."""
    if cursor:
        query = query.where(accounts.c.username > cursor)
    rows = session.execute(query.order_by(accounts.c.username).limit(limit + 1)).mappings().all()
    next_cursor = rows[limit - 1]["username"] if len(rows) > limit else None
    return {"items": rows[:limit], "next_cursor": next_cursor}


def like_pattern(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def search_coachees(session, text: str, limit: int, cursor: str | None) -> dict:
    query = select(accounts).where(accounts.c.role == COACHEE, accounts.c.erased_at.is_(None))
    if text.strip():
        pattern = like_pattern(text.strip())
        query = query.where(
            or_(
                *(
                    column.ilike(pattern)
                    for column in (
                        accounts.c.name,
                        accounts.c.email,
                        accounts.c.phone,
                        accounts.c.username,
                        accounts.c.member_number,
                    )
                )
            )
        )
    return page_of(session, query, limit, cursor)


def list_staff(session, limit: int, cursor: str | None) -> dict:
    return page_of(session, select(accounts).where(accounts.c.role.in_(STAFF_ROLES)), limit, cursor)


def insert_session(session, values: dict) -> RowMapping:
    return session.execute(insert(sessions).returning(sessions), values).mappings().one()


def live_session(session, token_hash: bytes, now: datetime) -> RowMapping | None:
    query = (
        select(
            sessions,
            accounts.c.username,
            accounts.c.role,
            accounts.c.name,
            accounts.c.subscriber_id,
            accounts.c.member_number,
        )
        .join(accounts, accounts.c.id == sessions.c.account_id)
        .where(
            sessions.c.token_hash == token_hash,
            sessions.c.revoked_at.is_(None),
            sessions.c.expires_at > now,
            not_disabled(now),
        )
    )
    return session.execute(query).mappings().first()


def revoke_session(session, token_hash: bytes, now: datetime) -> uuid.UUID | None:
    """Ends the session; answers its account, or None when no open session has the token."""
    return session.execute(
        update(sessions)
        .where(sessions.c.token_hash == token_hash, sessions.c.revoked_at.is_(None))
        .values(revoked_at=now)
        .returning(sessions.c.account_id)
    ).scalar()


def revoke_all_sessions(session, account_id, now: datetime) -> int:
    result = session.execute(
        update(sessions)
        .where(sessions.c.account_id == account_id, sessions.c.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    return result.rowcount


def sessions_of(session, account_id) -> list[RowMapping]:
    query = (
        select(sessions).where(sessions.c.account_id == account_id).order_by(sessions.c.created_at)
    )
    return session.execute(query).mappings().all()


def delete_sessions(session, account_id) -> int:
    return session.execute(delete(sessions).where(sessions.c.account_id == account_id)).rowcount


def failures_since(session, key: bytes, since: datetime) -> list[datetime]:
    query = select(login_failures.c.failed_at).where(
        login_failures.c.throttle_key == key, login_failures.c.failed_at > since
    )
    return list(session.execute(query).scalars())


def record_failures(session, keys: list[bytes], now: datetime) -> None:
    session.execute(insert(login_failures), [{"throttle_key": k, "failed_at": now} for k in keys])


def clear_failures(session, key: bytes) -> None:
    session.execute(delete(login_failures).where(login_failures.c.throttle_key == key))


def delete_failures_before(session, before: datetime, limit: int) -> int:
    """Delete up to `limit` failures at or before `before`, skipping rows a login has locked.

    The table has no key of its own, so rows are picked by their physical address (`ctid`).
    """
    ctid = literal_column("ctid")
    doomed = (
        select(ctid)
        .where(login_failures.c.failed_at <= before)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    return session.execute(delete(login_failures).where(ctid.in_(doomed))).rowcount


def insert_erasure_request(session, account_id, now: datetime) -> uuid.UUID:
    request_id = uuid.uuid4()
    session.execute(
        insert(erasure_requests),
        {"id": request_id, "account_id": account_id, "requested_at": now},
    )
    return request_id


def pending_erasure_request(session, account_id) -> uuid.UUID | None:
    """The account's erasure request not carried out yet (requests go with the erasure)."""
    query = select(erasure_requests.c.id).where(erasure_requests.c.account_id == account_id)
    return session.execute(query.order_by(erasure_requests.c.requested_at).limit(1)).scalar()


def delete_erasure_requests(session, account_id) -> int:
    query = delete(erasure_requests).where(erasure_requests.c.account_id == account_id)
    return session.execute(query).rowcount


def insert_reset(session, values: dict) -> None:
    session.execute(insert(password_resets), values)


def insert_reset_mail(session, values: dict) -> None:
    session.execute(insert(password_reset_mails), values)


def revoke_open_resets(session, account_id, now: datetime) -> int:
    query = (
        update(password_resets)
        .where(
            password_resets.c.account_id == account_id,
            password_resets.c.used_at.is_(None),
            password_resets.c.revoked_at.is_(None),
        )
        .values(revoked_at=now)
    )
    return session.execute(query).rowcount


def resets_with_accounts(session, reset_ids) -> dict:
    """Each reset by its id, with what its mail needs of the account (to whom, and whether it
    may still go)."""
    query = (
        select(
            password_resets,
            accounts.c.username,
            accounts.c.name,
            accounts.c.email,
            accounts.c.disabled_until,
            accounts.c.disabled_permanently,
            accounts.c.erased_at,
        )
        .join(accounts, accounts.c.id == password_resets.c.account_id)
        .where(password_resets.c.id.in_(reset_ids))
    )
    return {row["id"]: row for row in session.execute(query).mappings()}


def set_reset_token(session, reset_id, token_hash: bytes) -> None:
    query = update(password_resets).where(password_resets.c.id == reset_id)
    session.execute(query.values(token_hash=token_hash))


def live_reset(session, token_hash: bytes, now: datetime, lock: bool = False) -> RowMapping | None:
    """The unused, unreplaced, unexpired reset of an account in use that the token belongs to;
    with `lock`, its row is held until the transaction ends, so a token is used only once."""
    query = (
        select(password_resets, accounts.c.username, accounts.c.email)
        .join(accounts, accounts.c.id == password_resets.c.account_id)
        .where(
            password_resets.c.token_hash == token_hash,
            password_resets.c.used_at.is_(None),
            password_resets.c.revoked_at.is_(None),
            password_resets.c.expires_at > now,
            not_disabled(now),
        )
    )
    if lock:
        query = query.with_for_update(of=password_resets)
    return session.execute(query).mappings().first()


def mark_reset_used(session, reset_id, now: datetime) -> None:
    query = update(password_resets).where(password_resets.c.id == reset_id)
    session.execute(query.values(used_at=now))


def resets_of(session, account_id) -> list[RowMapping]:
    query = (
        select(password_resets)
        .where(password_resets.c.account_id == account_id)
        .order_by(password_resets.c.created_at)
    )
    return session.execute(query).mappings().all()


def delete_resets(session, account_id) -> int:
    """The account's resets, and with them (by cascade) the mails of their links."""
    query = delete(password_resets).where(password_resets.c.account_id == account_id)
    return session.execute(query).rowcount


def delete_resets_expired_before(session, before: datetime) -> int:
    query = delete(password_resets).where(password_resets.c.expires_at <= before)
    return session.execute(query).rowcount
