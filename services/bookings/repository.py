"""Queries of the bookings service, given a session."""

import uuid
from datetime import date, datetime

from sqlalchemy import bindparam, delete, exists, func, insert, null, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.engine import RowMapping

from services.bookings.models import (
    availability_changes,
    bookings,
    catalogue_services,
    coach_services,
    coaches,
    feedback,
    mail_jobs,
    notes,
    registrations,
    specifications,
    working_hours,
)
from services.contracts.bookings import ACTIVE_STATUSES, CONFIRMED, PENDING

REGISTRATION_OPEN = "open"
REGISTRATION_BOOKED = "booked"
REGISTRATION_ABANDONED = "abandoned"


def new_id() -> uuid.UUID:
    return uuid.uuid4()


def insert_service(session, values: dict, specification_names: list[str]) -> None:
    session.execute(insert(catalogue_services), values)
    if specification_names:
        session.execute(
            insert(specifications),
            [
                {"id": new_id(), "service_id": values["id"], "name": name, "position": position}
                for position, name in enumerate(specification_names)
            ],
        )


def update_service(session, service_id, values: dict) -> None:
    session.execute(
        update(catalogue_services).where(catalogue_services.c.id == service_id).values(values)
    )


def services_with_specifications(session, service_ids=None, active_only=True) -> list[dict]:
    """Services by name, each with its specifications in order: one query, since the booking
    form and the catalogue, the busiest requests, ask for it every time."""
    query = (
        select(
            catalogue_services,
            specifications.c.id.label("specification_id"),
            specifications.c.name.label("specification_name"),
        )
        .outerjoin(specifications, specifications.c.service_id == catalogue_services.c.id)
        .order_by(catalogue_services.c.name, catalogue_services.c.id, specifications.c.position)
    )
    if active_only:
        query = query.where(catalogue_services.c.active.is_(True))
    if service_ids is not None:
        query = query.where(catalogue_services.c.id.in_(service_ids))
    services: dict = {}
    for row in session.execute(query).mappings():
        service = services.get(row["id"])
        if service is None:
            service = services[row["id"]] = {
                column.name: row[column.name] for column in catalogue_services.columns
            }
            service["specifications"] = []
        if row["specification_id"] is not None:
            service["specifications"].append(
                {"id": row["specification_id"], "name": row["specification_name"]}
            )
    return list(services.values())


def service_by_id(session, service_id) -> dict | None:
    found = services_with_specifications(session, [service_id], active_only=False)
    return found[0] if found else None


def insert_coach(session, values: dict, service_ids: list) -> None:
    session.execute(insert(coaches), values)
    replace_coach_services(session, values["id"], service_ids)


def replace_coach_services(session, coach_id, service_ids: list) -> None:
    session.execute(delete(coach_services).where(coach_services.c.coach_id == coach_id))
    if service_ids:
        session.execute(
            insert(coach_services),
            [{"coach_id": coach_id, "service_id": service_id} for service_id in service_ids],
        )


def update_coach(session, coach_id, values: dict) -> None:
    session.execute(update(coaches).where(coaches.c.id == coach_id).values(values))


def coach_by_id(session, coach_id) -> RowMapping | None:
    return session.execute(select(coaches).where(coaches.c.id == coach_id)).mappings().first()


def coach_by_account(session, account_id) -> RowMapping | None:
    query = select(coaches).where(coaches.c.account_id == account_id)
    return session.execute(query).mappings().first()


def list_coaches(session, coach_id=None) -> list[dict]:
    """Coaches with the ids of the services each delivers; only one when `coach_id` is given."""
    query = select(coaches).order_by(coaches.c.name)
    link_query = select(coach_services)
    if coach_id is not None:
        query = query.where(coaches.c.id == coach_id)
        link_query = link_query.where(coach_services.c.coach_id == coach_id)
    rows = [dict(row) for row in session.execute(query).mappings()]
    links = session.execute(link_query).mappings()
    by_coach: dict = {}
    for link in links:
        by_coach.setdefault(link["coach_id"], []).append(link["service_id"])
    for row in rows:
        row["service_ids"] = by_coach.get(row["id"], [])
    return rows


def coach_names(session, coach_ids) -> dict:
    """The names of the given coaches, by id."""
    query = select(coaches.c.id, coaches.c.name).where(coaches.c.id.in_(list(coach_ids)))
    return {row.id: row.name for row in session.execute(query)}


QUALIFIED_COACHES = (
    select(coaches, working_hours.c.weekday, working_hours.c.starts, working_hours.c.ends)
    .join(coach_services, coach_services.c.coach_id == coaches.c.id)
    .outerjoin(working_hours, working_hours.c.coach_id == coaches.c.id)
    .where(coach_services.c.service_id == bindparam("service_id"), coaches.c.active.is_(True))
    .order_by(coaches.c.name, coaches.c.id, working_hours.c.weekday, working_hours.c.starts)
)


def qualified_coaches(session, service_id) -> list[dict]:
    """The active coaches of a service by name, each with its `working_hours` (weekday, starts,
    ends) in order: one query, which slot searches and bookings make."""
    found: dict = {}
    for row in session.execute(QUALIFIED_COACHES, {"service_id": service_id}).mappings():
        coach = found.get(row["id"])
        if coach is None:
            coach = found[row["id"]] = {column.name: row[column.name] for column in coaches.columns}
            coach["working_hours"] = []
        if row["weekday"] is not None:
            coach["working_hours"].append(
                {"weekday": row["weekday"], "starts": row["starts"], "ends": row["ends"]}
            )
    return list(found.values())


def replace_working_hours(session, coach_id, hours: list[dict]) -> None:
    session.execute(delete(working_hours).where(working_hours.c.coach_id == coach_id))
    if hours:
        session.execute(
            insert(working_hours),
            [dict(period, id=new_id(), coach_id=coach_id) for period in hours],
        )


def working_hours_of(session, coach_ids: list) -> list[RowMapping]:
    query = select(working_hours).where(working_hours.c.coach_id.in_(coach_ids))
    return (
        session.execute(query.order_by(working_hours.c.weekday, working_hours.c.starts))
        .mappings()
        .all()
    )


def insert_availability_change(session, values: dict) -> None:
    session.execute(insert(availability_changes), values)


def delete_availability_change(session, coach_id, change_id) -> int:
    return session.execute(
        delete(availability_changes).where(
            availability_changes.c.id == change_id, availability_changes.c.coach_id == coach_id
        )
    ).rowcount


def availability_changes_of(session, coach_ids: list, start: datetime, end: datetime):
    query = select(availability_changes).where(
        availability_changes.c.coach_id.in_(coach_ids),
        availability_changes.c.starts_at < end,
        availability_changes.c.ends_at > start,
    )
    return session.execute(query.order_by(availability_changes.c.starts_at)).mappings().all()


def changes_and_busy_query(excluding_a_booking: bool):
    changes = select(
        availability_changes.c.coach_id,
        availability_changes.c.starts_at,
        availability_changes.c.ends_at,
        availability_changes.c.kind,
    ).where(
        availability_changes.c.coach_id.in_(bindparam("coach_ids", expanding=True)),
        availability_changes.c.starts_at < bindparam("end"),
        availability_changes.c.ends_at > bindparam("start"),
    )
    busy = select(
        bookings.c.coach_id,
        bookings.c.starts_at,
        bookings.c.ends_at,
        null().cast(availability_changes.c.kind.type),
    ).where(
        bookings.c.coach_id.in_(bindparam("coach_ids", expanding=True)),
        bookings.c.status.in_(ACTIVE_STATUSES),
        bookings.c.starts_at < bindparam("end"),
        bookings.c.blocks_until > bindparam("start"),
    )
    if excluding_a_booking:
        busy = busy.where(bookings.c.id != bindparam("except_id"))
    return changes.union_all(busy).order_by("starts_at")


CHANGES_AND_BUSY = {excluding: changes_and_busy_query(excluding) for excluding in (False, True)}
"""Built once: every booking and slot search runs it, and building it anew cost as much CPU as
running it (0.19 ms)."""


def changes_and_busy_periods_of(
    session, coach_ids: list, start: datetime, end: datetime, except_id=None
) -> list[RowMapping]:
    """The coaches' availability changes overlapping start..end and the periods their active
    bookings (with the buffer after each) keep them busy, in one query: each row's `kind` is the
    change's, or None for a booking."""
    query = CHANGES_AND_BUSY[except_id is not None]
    parameters = {"coach_ids": coach_ids, "start": start, "end": end, "except_id": except_id}
    return session.execute(query, parameters).mappings().all()


def insert_booking(session, values: dict) -> RowMapping | None:
    """The new booking, or None when it collides with another: its coach's time (the exclusion
    constraint) or its idempotency key. PostgreSQL's ON CONFLICT DO NOTHING arbitrates both, so
    a collision needs no savepoint to undo."""
    query = pg_insert(bookings).on_conflict_do_nothing().returning(bookings)
    return session.execute(query, values).mappings().first()


def booking_by_id(session, booking_id, lock: bool = False) -> RowMapping | None:
    query = select(bookings).where(bookings.c.id == booking_id)
    if lock:
        query = query.with_for_update()
    return session.execute(query).mappings().first()


def booking_by_idempotency_key(session, scope: str, key: str) -> RowMapping | None:
    query = select(bookings).where(
        bookings.c.idempotency_scope == scope, bookings.c.idempotency_key == key
    )
    return session.execute(query).mappings().first()


def with_names(query):
    """The booking's columns with the names of its service, specification and coach."""
    return (
        query.add_columns(
            catalogue_services.c.name.label("service_name"),
            specifications.c.name.label("specification_name"),
            coaches.c.name.label("coach_name"),
        )
        .join(catalogue_services, catalogue_services.c.id == bookings.c.service_id)
        .join(specifications, specifications.c.id == bookings.c.specification_id)
        .join(coaches, coaches.c.id == bookings.c.coach_id)
    )


BOOKINGS_WITH_NAMES = with_names(select(bookings)).where(
    bookings.c.id.in_(bindparam("booking_ids", expanding=True))
)
"""Built once, as billing asks for snapshots on every booking event."""


def bookings_with_names(session, booking_ids) -> dict:
    """Each booking by its id, with the names its mails and billing snapshots tell."""
    rows = session.execute(BOOKINGS_WITH_NAMES, {"booking_ids": list(booking_ids)}).mappings()
    return {row["id"]: row for row in rows}


def open_registration(session, registration_key: str, now: datetime) -> str:
    """Open the registration unless it exists; returns its state."""
    opened = session.execute(
        pg_insert(registrations).on_conflict_do_nothing().returning(registrations.c.state),
        {"registration_key": registration_key, "state": REGISTRATION_OPEN, "opened_at": now},
    ).scalar_one_or_none()
    if opened is not None:
        return opened
    query = select(registrations.c.state).where(
        registrations.c.registration_key == registration_key
    )
    return session.execute(query).scalar_one()


def book_registration(session, registration_key: str, account_id) -> bool:
    """Decide an open registration as booked; False when it was decided otherwise first."""
    booked = session.execute(
        update(registrations)
        .where(
            registrations.c.registration_key == registration_key,
            registrations.c.state == REGISTRATION_OPEN,
        )
        .values(state=REGISTRATION_BOOKED, account_id=account_id)
    )
    return booked.rowcount == 1


def abandon_registrations_opened_before(session, before: datetime, limit: int) -> list[str]:
    """Decide open registrations older than `before` as abandoned; returns their keys."""
    stale = (
        select(registrations.c.registration_key)
        .where(registrations.c.state == REGISTRATION_OPEN, registrations.c.opened_at < before)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    query = (
        update(registrations)
        .where(registrations.c.registration_key.in_(stale))
        .values(state=REGISTRATION_ABANDONED)
        .returning(registrations.c.registration_key)
    )
    return list(session.execute(query).scalars())


def abandoned_registrations(session, limit: int) -> list[str]:
    query = (
        select(registrations.c.registration_key)
        .where(registrations.c.state == REGISTRATION_ABANDONED)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    return list(session.execute(query).scalars())


def forget_registration(session, registration_key: str) -> None:
    session.execute(
        delete(registrations).where(registrations.c.registration_key == registration_key)
    )


def forget_registrations_of(session, account_id) -> int:
    query = delete(registrations).where(registrations.c.account_id == account_id)
    return session.execute(query).rowcount


def update_booking(session, booking_id, values: dict) -> RowMapping:
    query = update(bookings).where(bookings.c.id == booking_id).values(values).returning(bookings)
    return session.execute(query).mappings().one()


def list_bookings(
    session,
    *,
    coachee_id=None,
    coach_id=None,
    start=None,
    end=None,
    status=None,
    after=None,
    limit: int = 50,
) -> list[RowMapping]:
    """Ordered by (starts_at, id); `after` is the (starts_at, id) of the last row already seen."""
    query = select(bookings)
    if coachee_id is not None:
        query = query.where(bookings.c.coachee_id == coachee_id)
    if coach_id is not None:
        query = query.where(bookings.c.coach_id == coach_id)
    if start is not None:
        query = query.where(bookings.c.starts_at >= start)
    if end is not None:
        query = query.where(bookings.c.starts_at < end)
    if status is not None:
        query = query.where(bookings.c.status == status)
    if after is not None:
        starts_at, booking_id = after
        query = query.where(
            or_(
                bookings.c.starts_at > starts_at,
                (bookings.c.starts_at == starts_at) & (bookings.c.id > booking_id),
            )
        )
    query = query.order_by(bookings.c.starts_at, bookings.c.id).limit(limit)
    return session.execute(query).mappings().all()


def expired_holds(session, now: datetime, limit: int = 100) -> list[RowMapping]:
    query = (
        select(bookings)
        .where(bookings.c.status == PENDING, bookings.c.hold_expires_at <= now)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    return session.execute(query).mappings().all()


def bookings_of_coachee(session, coachee_id) -> list[RowMapping]:
    query = (
        select(bookings).where(bookings.c.coachee_id == coachee_id).order_by(bookings.c.starts_at)
    )
    return session.execute(query).mappings().all()


def insert_note(session, values: dict) -> RowMapping:
    return session.execute(insert(notes).returning(notes), values).mappings().one()


def update_note(session, note_id, booking_id, values: dict) -> RowMapping | None:
    query = (
        update(notes)
        .where(notes.c.id == note_id, notes.c.booking_id == booking_id)
        .values(values)
        .returning(notes)
    )
    return session.execute(query).mappings().first()


def notes_of(session, booking_ids: list) -> list[RowMapping]:
    query = select(notes).where(notes.c.booking_id.in_(booking_ids)).order_by(notes.c.created_at)
    return session.execute(query).mappings().all()


def insert_mail_job(session, values: dict) -> None:
    session.execute(pg_insert(mail_jobs).on_conflict_do_nothing(), values)


def confirmed_without_mail(session, kind: str, now: datetime, until: datetime) -> list[RowMapping]:
    """Confirmed bookings starting after `now` and by `until` that have no `kind` mail job for
    the time they start at now."""
    mailed = exists().where(
        mail_jobs.c.booking_id == bookings.c.id,
        mail_jobs.c.kind == kind,
        mail_jobs.c.starts_at == bookings.c.starts_at,
    )
    query = select(bookings).where(
        bookings.c.status == CONFIRMED,
        bookings.c.starts_at > now,
        bookings.c.starts_at <= until,
        ~mailed,
    )
    return session.execute(query).mappings().all()


def save_feedback(session, values: dict) -> RowMapping:
    """Insert the booking's feedback, or replace its rating and comment if it has one."""
    query = pg_insert(feedback)
    query = query.on_conflict_do_update(
        index_elements=[feedback.c.booking_id],
        set_={
            "rating": query.excluded.rating,
            "comment": query.excluded.comment,
            "updated_at": query.excluded.updated_at,
        },
    )
    return session.execute(query.returning(feedback), values).mappings().one()


def feedback_of(session, booking_ids: list) -> list[RowMapping]:
    query = select(feedback).where(feedback.c.booking_id.in_(booking_ids))
    return session.execute(query.order_by(feedback.c.created_at)).mappings().all()


def detach_feedback(session, booking_ids: list) -> int:
    """Keep only the rating, service, coach and month of these bookings' feedback."""
    query = (
        update(feedback)
        .where(feedback.c.booking_id.in_(booking_ids))
        .values(booking_id=None, comment=None, created_at=None, updated_at=None)
    )
    return session.execute(query).rowcount


def feedback_statistics(
    session, first_month: date, last_month: date, service_id=None, coach_id=None
) -> list[RowMapping]:
    """Count and average rating per service and coach of sessions in these months."""
    query = (
        select(
            feedback.c.service_id,
            catalogue_services.c.name.label("service_name"),
            feedback.c.coach_id,
            coaches.c.name.label("coach_name"),
            func.count().label("count"),
            func.round(func.avg(feedback.c.rating), 2).label("average_rating"),
        )
        .join(catalogue_services, catalogue_services.c.id == feedback.c.service_id)
        .join(coaches, coaches.c.id == feedback.c.coach_id)
        .where(feedback.c.session_month.between(first_month, last_month))
        .group_by(
            feedback.c.service_id, catalogue_services.c.name, feedback.c.coach_id, coaches.c.name
        )
        .order_by(catalogue_services.c.name, coaches.c.name, feedback.c.coach_id)
    )
    if service_id is not None:
        query = query.where(feedback.c.service_id == service_id)
    if coach_id is not None:
        query = query.where(feedback.c.coach_id == coach_id)
    return session.execute(query).mappings().all()
