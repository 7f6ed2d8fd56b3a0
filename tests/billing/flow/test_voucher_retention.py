"""Billing lines and reports deleted once the Accounting Act's six years have passed, on the
real broker, database and S3: a month at a time, files with their rows, and a charge kept while
a correction of it is still kept."""

import uuid
from datetime import date, datetime

from sqlalchemy import insert, select

from services.billing.models import billable_lines, report_periods, reports
from services.infra.clock import HELSINKI
from tests.billing.report_lines import line, store_lines
from tests.conftest import run_now
from tests.media.uploads import versions_of

JUNE_2020 = date(2020, 6, 1)
DECEMBER_2020 = date(2020, 12, 1)
JANUARY_2021 = date(2021, 1, 1)


def store_reversed_charge(engine, subscriber_id: str) -> None:
    """A December 2020 session cancelled after its month was locked: the charge billed in
    December, its reversal in January 2021 (whose period is already stored)."""
    subscriber = uuid.UUID(subscriber_id)
    charge = line(99, DECEMBER_2020, subscriber_id=subscriber)
    reversal = dict(
        line(99, DECEMBER_2020, subscriber_id=subscriber),
        booking_id=charge["booking_id"],
        coachee_id=charge["coachee_id"],
        quantity=-1,
        reverses_line_id=charge["id"],
        period=JANUARY_2021,
    )
    with engine.begin() as connection:
        connection.execute(
            insert(report_periods), {"subscriber_id": subscriber, "period": DECEMBER_2020}
        )
        connection.execute(insert(billable_lines), [charge, reversal])


def lines_by_period(engine, subscriber_id: str) -> dict[date, int]:
    query = select(billable_lines.c.period).where(
        billable_lines.c.subscriber_id == uuid.UUID(subscriber_id)
    )
    with engine.connect() as connection:
        periods = [row.period for row in connection.execute(query)]
    return {period: periods.count(period) for period in sorted(set(periods))}


def stored_reports(engine, subscriber_id: str) -> dict[date, dict]:
    query = select(reports.c.period, reports.c.csv_key, reports.c.pdf_key).where(
        reports.c.subscriber_id == uuid.UUID(subscriber_id)
    )
    with engine.connect() as connection:
        return {row.period: row._asdict() for row in connection.execute(query)}


def report_months(engine, subscriber_id: str) -> list[date]:
    query = select(report_periods.c.period).where(
        report_periods.c.subscriber_id == uuid.UUID(subscriber_id)
    )
    with engine.connect() as connection:
        return sorted(row.period for row in connection.execute(query))


def in_storage(object_store, key: str) -> bool:
    return versions_of(object_store, key) != []


def test_lines_and_reports_go_in_the_seventh_year_and_a_reversed_charge_waits_for_its_reversal(
    report_subscribers, containers, clock, billing_engine, service_config, object_store
):
    subscriber_id = report_subscribers["roster"]["id"]
    database_url = service_config("billing")["DATABASE_URL"]
    store_lines(database_url, subscriber_id, JUNE_2020, 3)
    store_lines(database_url, subscriber_id, JANUARY_2021, 2)
    store_reversed_charge(billing_engine, subscriber_id)
    clock.set(datetime(2021, 2, 10, 12, 0, tzinfo=HELSINKI))
    run_now(containers["billing"], "publish_due_reports")
    published = stored_reports(billing_engine, subscriber_id)
    assert sorted(published) == [JUNE_2020, DECEMBER_2020, JANUARY_2021]

    clock.set(datetime(2026, 12, 31, 23, 59, tzinfo=HELSINKI))
    run_now(containers["billing"], "delete_expired_vouchers")
    assert sorted(stored_reports(billing_engine, subscriber_id)) == sorted(published)

    clock.set(datetime(2027, 1, 1, 0, 30, tzinfo=HELSINKI))
    answer = run_now(containers["billing"], "delete_expired_vouchers")

    assert answer["kept_from"] == "2021-01" and answer["lines_deleted"] >= 3
    assert lines_by_period(billing_engine, subscriber_id) == {DECEMBER_2020: 1, JANUARY_2021: 3}
    assert sorted(stored_reports(billing_engine, subscriber_id)) == [JANUARY_2021]
    assert report_months(billing_engine, subscriber_id) == [DECEMBER_2020, JANUARY_2021]
    for period in (JUNE_2020, DECEMBER_2020):
        for key in (published[period]["csv_key"], published[period]["pdf_key"]):
            assert not in_storage(object_store, key), key
    assert in_storage(object_store, published[JANUARY_2021]["pdf_key"])

    clock.set(datetime(2028, 1, 1, 0, 30, tzinfo=HELSINKI))
    run_now(containers["billing"], "delete_expired_vouchers")

    assert lines_by_period(billing_engine, subscriber_id) == {}
    assert stored_reports(billing_engine, subscriber_id) == {}
    assert report_months(billing_engine, subscriber_id) == []
    assert not in_storage(object_store, published[JANUARY_2021]["pdf_key"])
    again = run_now(containers["billing"], "delete_expired_vouchers")
    assert (again["reports_deleted"], again["lines_deleted"]) == (0, 0)
