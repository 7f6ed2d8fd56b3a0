"""Billable lines made up for tests: as dicts for the report writers, or stored in billing's
database for a subscriber and month (with the month's report period, unpublished)."""

import uuid
from datetime import date, datetime, timedelta

from sqlalchemy import create_engine, insert
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.pool import NullPool

from services.billing.models import billable_lines, report_periods
from services.infra.clock import HELSINKI


def line(number: int = 0, period: date = date(2027, 3, 1), **changes) -> dict:
    """The `number`th session of the month, 20 seconds after the one before from 9.00 on the
    1st, so even 100,000 of them fit in a month."""
    first = datetime(period.year, period.month, 1, 9, 0, tzinfo=HELSINKI)
    starts_at = first + timedelta(seconds=20 * number)
    return {
        "id": uuid.uuid4(),
        "booking_id": uuid.uuid4(),
        "coachee_id": uuid.uuid4(),
        "event_id": uuid.uuid4(),
        "quantity": 1,
        "reverses_line_id": None,
        "starts_at": starts_at,
        "ends_at": starts_at + timedelta(hours=1),
        "service_name": "Uraohjaus",
        "specification_name": "Työnhaku",
        "delivery_method": "video",
        "coach_name": "Kaisa Valmentaja",
        "member_name": f"Jäsen {number}",
        "member_number": f"M-{number}",
        "session_period": period,
        "period": period,
        "recorded_at": starts_at,
        **changes,
    }


def store_lines(database_url: str, subscriber_id, period: date, count: int, **changes) -> None:
    engine = create_engine(database_url, poolclass=NullPool)
    with engine.begin() as connection:
        connection.execute(
            pg_insert(report_periods)
            .values(subscriber_id=subscriber_id, period=period)
            .on_conflict_do_nothing()
        )
        connection.execute(
            insert(billable_lines),
            [
                line(number, period, subscriber_id=uuid.UUID(str(subscriber_id)), **changes)
                for number in range(count)
            ],
        )
    engine.dispose()
