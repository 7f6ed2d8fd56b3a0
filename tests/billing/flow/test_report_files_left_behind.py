"""No report file with members' names outlives a publication that did not finish, on the real
broker, database and S3: a failure after the files are stored removes them, and the files of a
process that died are deleted by the timer an hour later."""

import uuid
from contextlib import contextmanager
from datetime import datetime, timedelta

from sqlalchemy import insert, select, text

from services.billing.models import report_file_uploads, reports
from services.infra.clock import HELSINKI
from tests.billing.report_lines import store_lines
from tests.conftest import run_now
from tests.media.uploads import versions_of

MARCH = datetime(2027, 3, 1, tzinfo=HELSINKI).date()
AFTER_GRACE = datetime(2027, 4, 6, 0, 1, tzinfo=HELSINKI)


@contextmanager
def reports_refused(engine, subscriber_id: str):
    """The database refuses the subscriber's report rows, which are written after the files
    are stored: a failure half way through a publication."""
    with engine.begin() as connection:
        connection.execute(
            text(
                "CREATE FUNCTION refuse_report() RETURNS trigger LANGUAGE plpgsql AS "
                "$$ BEGIN RAISE EXCEPTION 'refused by the test'; END $$"
            )
        )
        connection.execute(
            text(
                "CREATE TRIGGER refuse_report BEFORE INSERT ON reports FOR EACH ROW "
                f"WHEN (NEW.subscriber_id = '{uuid.UUID(subscriber_id)}') "
                "EXECUTE FUNCTION refuse_report()"
            )
        )
    try:
        yield
    finally:
        with engine.begin() as connection:
            connection.execute(text("DROP TRIGGER refuse_report ON reports"))
            connection.execute(text("DROP FUNCTION refuse_report()"))


def stored_keys(object_store, prefix: str) -> list[str]:
    return [version["Key"] for version in versions_of(object_store, prefix)]


def notes(engine, prefix: str) -> list[str]:
    query = select(report_file_uploads.c.key).where(report_file_uploads.c.key.startswith(prefix))
    with engine.connect() as connection:
        return list(connection.execute(query).scalars())


def reports_of(engine, subscriber_id: str) -> list:
    query = select(reports.c.id).where(reports.c.subscriber_id == uuid.UUID(subscriber_id))
    with engine.connect() as connection:
        return list(connection.execute(query).scalars())


def test_a_publication_failing_after_its_files_are_stored_leaves_no_file_and_runs_again(
    report_subscribers,
    containers,
    clock,
    billing_engine,
    service_config,
    object_store,
):
    subscriber_id = report_subscribers["roster"]["id"]
    prefix = f"billing/reports/{subscriber_id}/"
    store_lines(service_config("billing")["DATABASE_URL"], subscriber_id, MARCH, 2)
    clock.set(AFTER_GRACE)

    with reports_refused(billing_engine, subscriber_id):
        run_now(containers["billing"], "publish_due_reports")

    assert reports_of(billing_engine, subscriber_id) == []
    assert stored_keys(object_store, prefix) == []
    assert notes(billing_engine, prefix) == []
    run_now(containers["billing"], "publish_due_reports")

    assert len(reports_of(billing_engine, subscriber_id)) == 1
    assert len(stored_keys(object_store, prefix)) == 2
    assert notes(billing_engine, prefix) == []


def test_files_of_a_publication_whose_process_died_are_deleted_after_an_hour(
    containers, clock, billing_engine, object_store
):
    key = f"billing/reports/{uuid.uuid4()}/2027-03/{uuid.uuid4()}.csv"
    object_store.put(key, b"Maija;M-1\n", "text/csv")
    with billing_engine.begin() as connection:
        connection.execute(insert(report_file_uploads).values(key=key, started_at=clock.now()))

    clock.advance(timedelta(minutes=59))
    run_now(containers["billing"], "purge_abandoned_report_files")
    assert stored_keys(object_store, key) == [key]

    clock.advance(timedelta(minutes=2))
    assert run_now(containers["billing"], "purge_abandoned_report_files") >= 1

    assert stored_keys(object_store, key) == []
    assert notes(billing_engine, key) == []
