"""Queries of published reports and of what a month's report holds, given a session.

A report holds its period's lines, except a charge and its reversal billed in the same report:
together they are nothing to bill (a session booked and cancelled within the month).
"""

from collections.abc import Iterator
from datetime import date

from sqlalchemy import delete, exists, func, insert, or_, select, tuple_
from sqlalchemy.engine import RowMapping

from services.billing.models import billable_lines, report_mails, reports, subscribers

paired = billable_lines.alias("paired")


def report_lines_where(subscriber_id, period: date) -> list:
    cancelled_out = exists().where(
        paired.c.period == billable_lines.c.period,
        or_(
            paired.c.reverses_line_id == billable_lines.c.id,
            paired.c.id == billable_lines.c.reverses_line_id,
        ),
    )
    return [
        billable_lines.c.subscriber_id == subscriber_id,
        billable_lines.c.period == period,
        ~cancelled_out,
    ]


def report_line_page(session, subscriber_id, period: date, after, limit: int) -> list[RowMapping]:
    """Up to `limit` lines in time order after the (starts_at, id) pair `after`, if given."""
    query = select(billable_lines).where(*report_lines_where(subscriber_id, period))
    if after is not None:
        query = query.where(tuple_(billable_lines.c.starts_at, billable_lines.c.id) > after)
    query = query.order_by(billable_lines.c.starts_at, billable_lines.c.id).limit(limit)
    return session.execute(query).mappings().all()


def report_lines(session, subscriber_id, period: date, page_size: int) -> Iterator[RowMapping]:
    """Every line of the report, fetched a page at a time so memory stays flat."""
    after = None
    while True:
        page = report_line_page(session, subscriber_id, period, after, page_size)
        yield from page
        if len(page) < page_size:
            return
        after = (page[-1]["starts_at"], page[-1]["id"])


def report_totals(session, subscriber_id, period: date) -> list[RowMapping]:
    """Per service (by name): lines, and sessions billed (charges less reversals)."""
    query = (
        select(
            billable_lines.c.service_name.label("service"),
            func.count().label("lines"),
            func.sum(billable_lines.c.quantity).label("sessions"),
        )
        .where(*report_lines_where(subscriber_id, period))
        .group_by(billable_lines.c.service_name)
        .order_by(billable_lines.c.service_name)
    )
    return session.execute(query).mappings().all()


def report_columns():
    return [*reports.c, subscribers.c.name.label("subscriber_name")]


def with_subscriber(query):
    return query.join(subscribers, subscribers.c.id == reports.c.subscriber_id)


def insert_report(session, values: dict) -> None:
    session.execute(insert(reports), values)


def report_by_id(session, report_id) -> RowMapping | None:
    query = select(*report_columns()).select_from(with_subscriber(reports))
    return session.execute(query.where(reports.c.id == report_id)).mappings().first()


def reports_by_ids(session, report_ids) -> dict:
    """Each report by its id."""
    query = select(*report_columns()).select_from(with_subscriber(reports))
    rows = session.execute(query.where(reports.c.id.in_(report_ids))).mappings()
    return {row["id"]: row for row in rows}


def latest_version(session, subscriber_id, period: date) -> int:
    query = select(func.coalesce(func.max(reports.c.version), 0)).where(
        reports.c.subscriber_id == subscriber_id, reports.c.period == period
    )
    return session.execute(query).scalar_one()


def list_reports(
    session, subscriber_id, period: date | None, after, limit: int
) -> list[RowMapping]:
    """Newest first; `after` is the (issued_at, id) pair of the last report of the page before."""
    query = select(*report_columns()).select_from(with_subscriber(reports))
    if subscriber_id is not None:
        query = query.where(reports.c.subscriber_id == subscriber_id)
    if period is not None:
        query = query.where(reports.c.period == period)
    if after is not None:
        query = query.where(tuple_(reports.c.issued_at, reports.c.id) < after)
    query = query.order_by(reports.c.issued_at.desc(), reports.c.id.desc()).limit(limit)
    return session.execute(query).mappings().all()


def reports_of_period(session, subscriber_id, period: date) -> list[RowMapping]:
    query = select(reports.c.id, reports.c.csv_key, reports.c.pdf_key).where(
        reports.c.subscriber_id == subscriber_id, reports.c.period == period
    )
    return session.execute(query).mappings().all()


def delete_reports(session, report_ids: list) -> None:
    """Delete the report versions and their mail jobs."""
    session.execute(delete(report_mails).where(report_mails.c.report_id.in_(report_ids)))
    session.execute(delete(reports).where(reports.c.id.in_(report_ids)))
