"""Queries of the privacy service, given a session."""

import uuid
from datetime import datetime

from sqlalchemy import and_, case, func, insert, select, tuple_, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.engine import RowMapping

from services.contracts.privacy import (
    BY_RETENTION,
    ERASURE,
    EXPORT,
    INSPECTION,
    OPEN,
    STEP_PENDING,
)
from services.privacy.models import audit_log, breaches, request_steps, subject_requests


def insert_request(session, values: dict) -> RowMapping | None:
    """The new request, or None when its id (or a retention erasure of the subject) exists."""
    query = pg_insert(subject_requests).on_conflict_do_nothing().returning(subject_requests)
    return session.execute(query, values).mappings().first()


def insert_steps(session, request_id, steps: list[tuple[str, str]], now: datetime) -> None:
    if steps:
        session.execute(
            insert(request_steps),
            [
                {
                    "request_id": request_id,
                    "position": position,
                    "participant": participant,
                    "action": action,
                    "status": STEP_PENDING,
                    "next_attempt_at": now,
                }
                for position, (participant, action) in enumerate(steps)
            ],
        )


def request_by_id(session, request_id) -> RowMapping | None:
    query = select(subject_requests).where(subject_requests.c.id == request_id)
    return session.execute(query).mappings().first()


def update_request(session, request_id, values: dict) -> RowMapping:
    query = (
        update(subject_requests)
        .where(subject_requests.c.id == request_id)
        .values(values)
        .returning(subject_requests)
    )
    return session.execute(query).mappings().one()


def lock_subject(session, subject_id) -> None:
    """Serialise the subject's own requests until the transaction ends."""
    key = func.hashtextextended(f"privacy-subject:{subject_id}", 0)
    session.execute(select(func.pg_advisory_xact_lock(key)))


def open_request_of(session, subject_id, kind: str, origin: str) -> RowMapping | None:
    query = select(subject_requests).where(
        subject_requests.c.subject_id == subject_id,
        subject_requests.c.kind == kind,
        subject_requests.c.origin == origin,
        subject_requests.c.status == OPEN,
    )
    return session.execute(query.order_by(subject_requests.c.received_at)).mappings().first()


def requests_of_subject(session, subject_id) -> list[RowMapping]:
    query = (
        select(subject_requests)
        .where(subject_requests.c.subject_id == subject_id)
        .order_by(subject_requests.c.received_at)
    )
    return session.execute(query).mappings().all()


def requests_of_subject_newest_first(session, subject_id) -> list[RowMapping]:
    query = (
        select(subject_requests)
        .where(subject_requests.c.subject_id == subject_id)
        .order_by(subject_requests.c.received_at.desc(), subject_requests.c.id)
    )
    return session.execute(query).mappings().all()


def inspections_in(session, subject_id, start: datetime, end: datetime) -> int:
    query = select(func.count()).where(
        subject_requests.c.subject_id == subject_id,
        subject_requests.c.kind == INSPECTION,
        subject_requests.c.received_at >= start,
        subject_requests.c.received_at < end,
    )
    return session.execute(query).scalar_one()


def list_requests(session, filters: dict, offset: int, limit: int) -> list[RowMapping]:
    """Open requests first, the most overdue first; then completed ones, the latest first."""
    query = select(subject_requests)
    if filters.get("status"):
        query = query.where(subject_requests.c.status == filters["status"])
    if filters.get("kind"):
        query = query.where(subject_requests.c.kind == filters["kind"])
    is_open = case((subject_requests.c.status == OPEN, 0), else_=1)
    open_due = case((subject_requests.c.status == OPEN, subject_requests.c.due_at))
    query = query.order_by(
        is_open,
        open_due.asc(),
        subject_requests.c.completed_at.desc(),
        subject_requests.c.id,
    )
    return session.execute(query.offset(offset).limit(limit)).mappings().all()


def steps_of(session, request_id) -> list[RowMapping]:
    query = (
        select(request_steps)
        .where(request_steps.c.request_id == request_id)
        .order_by(request_steps.c.position)
    )
    return session.execute(query).mappings().all()


def update_step(session, request_id, position: int, values: dict) -> None:
    session.execute(
        update(request_steps)
        .where(request_steps.c.request_id == request_id, request_steps.c.position == position)
        .values(values)
    )


def requests_with_due_steps(session, now: datetime, limit: int) -> list[uuid.UUID]:
    """Open requests whose first pending step is due, or that have no pending step left."""
    first_pending = (
        select(
            request_steps.c.request_id,
            func.min(request_steps.c.position).label("position"),
        )
        .where(request_steps.c.status == STEP_PENDING)
        .group_by(request_steps.c.request_id)
        .subquery()
    )
    due = (
        select(subject_requests.c.id)
        .join(first_pending, first_pending.c.request_id == subject_requests.c.id, isouter=True)
        .join(
            request_steps,
            and_(
                request_steps.c.request_id == first_pending.c.request_id,
                request_steps.c.position == first_pending.c.position,
            ),
            isouter=True,
        )
        .where(
            subject_requests.c.status == OPEN,
            subject_requests.c.kind.in_((EXPORT, ERASURE, INSPECTION)),
            (request_steps.c.next_attempt_at.is_(None)) | (request_steps.c.next_attempt_at <= now),
        )
        .order_by(subject_requests.c.due_at)
        .limit(limit)
    )
    return list(session.execute(due).scalars())


def lock_open_request(session, request_id) -> RowMapping | None:
    """The open request, locked for this transaction; None if done or another worker has it."""
    query = (
        select(subject_requests)
        .where(subject_requests.c.id == request_id, subject_requests.c.status == OPEN)
        .with_for_update(skip_locked=True)
    )
    return session.execute(query).mappings().first()


def expired_results(session, now: datetime, limit: int) -> list[RowMapping]:
    query = (
        select(subject_requests)
        .where(
            subject_requests.c.result_key.is_not(None),
            subject_requests.c.result_deleted_at.is_(None),
            subject_requests.c.result_expires_at <= now,
        )
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    return session.execute(query).mappings().all()


def retention_requests_of(session, subject_ids: list[str]) -> dict[str, RowMapping]:
    query = select(subject_requests).where(
        subject_requests.c.subject_id.in_(subject_ids), subject_requests.c.origin == BY_RETENTION
    )
    return {str(row["subject_id"]): row for row in session.execute(query).mappings()}


def insert_audit_entry(session, values: dict) -> None:
    session.execute(pg_insert(audit_log).on_conflict_do_nothing(), values)


def search_audit(session, query: dict, after: tuple | None, limit: int) -> list[RowMapping]:
    """Newest first; `after` is the (occurred_at, id) of the last entry seen."""
    select_query = select(audit_log)
    if query.get("subject"):
        select_query = select_query.where(audit_log.c.subject_id == query["subject"])
    if query.get("actor"):
        select_query = select_query.where(audit_log.c.actor_id == query["actor"])
    if query.get("from_"):
        select_query = select_query.where(audit_log.c.occurred_at >= query["from_"])
    if query.get("to"):
        select_query = select_query.where(audit_log.c.occurred_at < query["to"])
    if after is not None:
        select_query = select_query.where(tuple_(audit_log.c.occurred_at, audit_log.c.id) < after)
    order = (audit_log.c.occurred_at.desc(), audit_log.c.id.desc())
    select_query = select_query.order_by(*order).limit(limit)
    return session.execute(select_query).mappings().all()


def insert_breach(session, values: dict) -> RowMapping:
    return session.execute(insert(breaches).returning(breaches), values).mappings().one()


def breach_by_id(session, breach_id) -> RowMapping | None:
    return session.execute(select(breaches).where(breaches.c.id == breach_id)).mappings().first()


def update_breach(session, breach_id, values: dict) -> RowMapping | None:
    query = update(breaches).where(breaches.c.id == breach_id).values(values).returning(breaches)
    return session.execute(query).mappings().first()


def list_breaches(session) -> list[RowMapping]:
    """Open breaches by their notification deadline, then closed ones, the latest first."""
    query = select(breaches).order_by(
        breaches.c.closed_at.is_not(None), breaches.c.notify_by, breaches.c.closed_at.desc()
    )
    return session.execute(query).mappings().all()
