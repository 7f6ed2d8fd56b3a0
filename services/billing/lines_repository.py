"""Queries of the billable-line ledger and of report periods' locks, given a session."""

from datetime import date, datetime

from sqlalchemy import Text, bindparam, delete, exists, func, insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.engine import RowMapping

from services.billing.models import billable_lines, report_periods

reversals = billable_lines.alias("reversals")


LOCK_KEY = func.hashtextextended(bindparam("key", type_=Text), 0)
LOCK = select(func.pg_advisory_xact_lock(LOCK_KEY))
SHARE_LOCK = select(func.pg_advisory_xact_lock_shared(LOCK_KEY))
"""Transaction-scoped advisory locks on a text key. This module's statements that every booking
event runs are built once: building one anew cost up to as much CPU as running it."""


def lock_booking(session, booking_id) -> None:
    """Serialise changes to one booking's lines until the transaction ends."""
    session.execute(LOCK, {"key": str(booking_id)})


def ledger_key(subscriber_id) -> str:
    return f"billing-ledger:{subscriber_id}"


def share_subscriber_ledgers(session, subscriber_ids) -> None:
    """Taken by a booking change before it locks any report period. Changes go on side by side,
    but not during a re-issue of the subscriber's report: that locks its month and then every
    later open month in order, while a change may lock a later month before an earlier one (a
    reversal billed in April, then a charge whose March is published and goes to April too), and
    the two would deadlock."""
    for subscriber_id in sorted({str(s) for s in subscriber_ids}):
        session.execute(SHARE_LOCK, {"key": ledger_key(subscriber_id)})


def own_subscriber_ledger(session, subscriber_id) -> None:
    """Wait for the subscriber's booking changes to end and hold off new ones (see above)."""
    session.execute(LOCK, {"key": ledger_key(subscriber_id)})


OPEN_CHARGE = select(billable_lines).where(
    billable_lines.c.booking_id == bindparam("booking_id"),
    billable_lines.c.quantity == 1,
    ~exists().where(reversals.c.reverses_line_id == billable_lines.c.id),
)


def open_charge(session, booking_id) -> RowMapping | None:
    """The booking's charge that no reversal has cancelled yet."""
    return session.execute(OPEN_CHARGE, {"booking_id": booking_id}).mappings().first()


def insert_line(session, values: dict) -> None:
    session.execute(insert(billable_lines), values)


PERIOD_LOCK_SHARED = (
    select(report_periods.c.locked_at)
    .where(
        report_periods.c.subscriber_id == bindparam("subscriber_id"),
        report_periods.c.period == bindparam("period"),
    )
    .with_for_update(read=True)
)


def period_locked(session, subscriber_id, period: date) -> bool:
    """Whether the period's report is published. Holds a share lock on the period until the
    transaction ends, so its report cannot be published while a line is being added. The
    period's row is made the first time; usually it exists and one statement does."""
    key = {"subscriber_id": subscriber_id, "period": period}
    found = session.execute(PERIOD_LOCK_SHARED, key).first()
    if found is None:
        session.execute(pg_insert(report_periods).on_conflict_do_nothing(), key)
        found = session.execute(PERIOD_LOCK_SHARED, key).one()
    return found.locked_at is not None


def lock_open_period(session, subscriber_id, period: date) -> bool:
    """Take an unpublished period for publishing; False when it is published or another
    instance is publishing it right now."""
    query = (
        select(report_periods.c.period)
        .where(
            report_periods.c.subscriber_id == subscriber_id,
            report_periods.c.period == period,
            report_periods.c.locked_at.is_(None),
        )
        .with_for_update(skip_locked=True)
    )
    return session.execute(query).first() is not None


def lock_period(session, subscriber_id, period: date) -> None:
    """Wait for and hold the period's row, so nothing is added to or published in it meanwhile."""
    session.execute(
        select(report_periods.c.period)
        .where(report_periods.c.subscriber_id == subscriber_id, report_periods.c.period == period)
        .with_for_update()
    ).one()


def mark_period_locked(session, subscriber_id, period: date, now: datetime) -> None:
    session.execute(
        update(report_periods)
        .where(report_periods.c.subscriber_id == subscriber_id, report_periods.c.period == period)
        .values(locked_at=now)
    )


def open_periods(session, until: date, only: date | None = None) -> list[RowMapping]:
    """Unpublished (subscriber, period) pairs up to `until`, or of the period `only`."""
    query = select(report_periods.c.subscriber_id, report_periods.c.period).where(
        report_periods.c.locked_at.is_(None), report_periods.c.period <= until
    )
    if only is not None:
        query = query.where(report_periods.c.period == only)
    query = query.order_by(report_periods.c.period, report_periods.c.subscriber_id)
    return session.execute(query).mappings().all()


def count_locked(session, period: date) -> int:
    query = select(func.count()).where(
        report_periods.c.period == period, report_periods.c.locked_at.is_not(None)
    )
    return session.execute(query).scalar_one()


def move_pending_corrections(session, subscriber_id, period: date) -> int:
    """Move lines about `period` that wait in later, unpublished reports into `period` itself:
    a re-issued version bills them, so the later report must not bill them again."""
    waiting_in = (
        session.execute(
            select(report_periods.c.period)
            .where(
                report_periods.c.subscriber_id == subscriber_id,
                report_periods.c.period > period,
                report_periods.c.locked_at.is_(None),
            )
            .order_by(report_periods.c.period)
            .with_for_update()
        )
        .scalars()
        .all()
    )
    if not waiting_in:
        return 0
    return session.execute(
        update(billable_lines)
        .where(
            billable_lines.c.subscriber_id == subscriber_id,
            billable_lines.c.session_period == period,
            billable_lines.c.period.in_(waiting_in),
        )
        .values(period=period)
    ).rowcount


def lines_of_coachee(session, coachee_id, limit: int, offset: int) -> list[RowMapping]:
    query = (
        select(billable_lines)
        .where(billable_lines.c.coachee_id == coachee_id)
        .order_by(billable_lines.c.recorded_at, billable_lines.c.id)
        .limit(limit)
        .offset(offset)
    )
    return session.execute(query).mappings().all()


def coachee_line_summary(session, coachee_id) -> tuple[int, date | None]:
    """How many lines are about the person, and the latest period that billed one."""
    query = select(func.count(), func.max(billable_lines.c.period)).where(
        billable_lines.c.coachee_id == coachee_id
    )
    count, latest = session.execute(query).one()
    return count, latest


def expired_periods(session, cutoff: date) -> list[RowMapping]:
    """Report periods before `cutoff`, newest first: a correction is deleted before the charge
    it reverses when both have expired."""
    query = (
        select(report_periods.c.subscriber_id, report_periods.c.period)
        .where(report_periods.c.period < cutoff)
        .order_by(report_periods.c.period.desc(), report_periods.c.subscriber_id)
    )
    return session.execute(query).mappings().all()


def delete_period_lines(session, subscriber_id, period: date, cutoff: date) -> int:
    """Delete the lines billed in the period, except charges reversed by a line still kept."""
    reversed_by_kept = exists().where(
        reversals.c.reverses_line_id == billable_lines.c.id, reversals.c.period >= cutoff
    )
    deleted = session.execute(
        delete(billable_lines).where(
            billable_lines.c.subscriber_id == subscriber_id,
            billable_lines.c.period == period,
            ~reversed_by_kept,
        )
    )
    return deleted.rowcount


def delete_period_if_empty(session, subscriber_id, period: date) -> None:
    has_lines = exists().where(
        billable_lines.c.subscriber_id == subscriber_id, billable_lines.c.period == period
    )
    session.execute(
        delete(report_periods).where(
            report_periods.c.subscriber_id == subscriber_id,
            report_periods.c.period == period,
            ~has_lines,
        )
    )
