"""Queries of the media service, given a session."""

from sqlalchemy import delete, func, select, text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.engine import RowMapping

from services.media.models import attachments


def insert_attachment(session, values: dict) -> RowMapping | None:
    """The new row, or None when an attachment with the same key or upload exists."""
    query = pg_insert(attachments).on_conflict_do_nothing().returning(attachments)
    return session.execute(query, values).mappings().first()


def attachment_by_id(session, attachment_id) -> RowMapping | None:
    query = select(attachments).where(attachments.c.id == attachment_id)
    return session.execute(query).mappings().first()


def attachment_of_upload(session, quarantine_key: str) -> RowMapping | None:
    query = select(attachments).where(attachments.c.quarantine_key == quarantine_key)
    return session.execute(query).mappings().first()


def attachment_by_idempotency_key(session, owner_id, key: str) -> RowMapping | None:
    query = select(attachments).where(
        attachments.c.owner_id == owner_id, attachments.c.idempotency_key == key
    )
    return session.execute(query).mappings().first()


def attachments_of_booking(session, booking_id) -> list[RowMapping]:
    query = (
        select(attachments)
        .where(attachments.c.booking_id == booking_id)
        .order_by(attachments.c.created_at, attachments.c.id)
    )
    return session.execute(query).mappings().all()


def attachments_of_owner(session, owner_id) -> list[RowMapping]:
    query = (
        select(attachments)
        .where(attachments.c.owner_id == owner_id)
        .order_by(attachments.c.created_at, attachments.c.id)
    )
    return session.execute(query).mappings().all()


def booking_usage(session, booking_id) -> tuple[int, int]:
    """How many attachments a booking has and how many bytes they take together."""
    query = select(func.count(), func.coalesce(func.sum(attachments.c.size_bytes), 0)).where(
        attachments.c.booking_id == booking_id
    )
    count, total = session.execute(query).one()
    return int(count), int(total)


def lock_booking(session, booking_id) -> None:
    """Serialises attachment inserts per booking until the transaction ends, so two uploads
    cannot both fit in the booking's last free bytes."""
    session.execute(
        text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))"),
        {"key": f"media-booking-{booking_id}"},
    )


def delete_attachment(session, attachment_id) -> None:
    session.execute(delete(attachments).where(attachments.c.id == attachment_id))
