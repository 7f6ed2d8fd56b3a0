"""Queries of the billing service, given a session."""

import uuid
from datetime import datetime

from sqlalchemy import bindparam, delete, exists, func, insert, literal, select, update
from sqlalchemy.dialects.postgresql import ARRAY, BYTEA, UUID
from sqlalchemy.engine import RowMapping

from services.billing.models import roster_members, subscribers

SUBSCRIBER_BY_ID = select(subscribers).where(subscribers.c.id == bindparam("subscriber_id"))
"""Built once (with its locking form), as every booking event reads the subscriber."""
SUBSCRIBER_BY_ID_FOR_UPDATE = SUBSCRIBER_BY_ID.with_for_update()


def subscriber_by_id(session, subscriber_id, for_update: bool = False) -> RowMapping | None:
    query = SUBSCRIBER_BY_ID_FOR_UPDATE if for_update else SUBSCRIBER_BY_ID
    return session.execute(query, {"subscriber_id": subscriber_id}).mappings().first()


def insert_subscriber(session, values: dict, now: datetime) -> RowMapping:
    values = dict(values, id=uuid.uuid4(), created_at=now, updated_at=now)
    return session.execute(insert(subscribers).returning(subscribers), values).mappings().one()


def update_subscriber(session, subscriber_id, values: dict, now: datetime) -> RowMapping:
    query = (
        update(subscribers)
        .where(subscribers.c.id == subscriber_id)
        .values(dict(values, updated_at=now))
        .returning(subscribers)
    )
    return session.execute(query).mappings().one()


def list_subscribers(session, limit: int, cursor: str | None) -> dict:
    """Keyset pages ordered by name (unique); the cursor is the last name seen."""
    query = select(subscribers)
    if cursor:
        query = query.where(subscribers.c.name > cursor)
    rows = session.execute(query.order_by(subscribers.c.name).limit(limit + 1)).mappings().all()
    next_cursor = rows[limit - 1]["name"] if len(rows) > limit else None
    return {"items": rows[:limit], "next_cursor": next_cursor}


def active_subscribers(session) -> list[RowMapping]:
    query = select(subscribers).where(subscribers.c.active).order_by(subscribers.c.name)
    return session.execute(query).mappings().all()


def replace_roster(session, subscriber_id, member_hashes: list[bytes], now: datetime) -> None:
    """The old roster goes and the new one comes in the caller's one transaction."""
    session.execute(delete(roster_members).where(roster_members.c.subscriber_id == subscriber_id))
    hashes = func.unnest(bindparam("hashes", member_hashes, type_=ARRAY(BYTEA)))
    session.execute(
        insert(roster_members).from_select(
            ["subscriber_id", "member_hash"],
            select(literal(subscriber_id, UUID(as_uuid=True)), hashes),
        )
    )
    session.execute(
        update(subscribers)
        .where(subscribers.c.id == subscriber_id)
        .values(roster_members=len(member_hashes), roster_replaced_at=now)
    )


SUBSCRIBER_AND_MEMBERSHIP = select(
    subscribers,
    exists()
    .where(
        roster_members.c.subscriber_id == bindparam("subscriber_id"),
        roster_members.c.member_hash == bindparam("member_hash"),
    )
    .label("on_roster"),
).where(subscribers.c.id == bindparam("subscriber_id"))


def subscriber_and_membership(session, subscriber_id, member_hash: bytes) -> RowMapping | None:
    """The subscriber with `on_roster`: whether the member number's hash is on its roster; one
    query, since every booking asks."""
    parameters = {"subscriber_id": subscriber_id, "member_hash": member_hash}
    return session.execute(SUBSCRIBER_AND_MEMBERSHIP, parameters).mappings().first()
