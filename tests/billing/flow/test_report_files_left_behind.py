"""No report file with members' names outlives a publication that did not finish, on the real
broker, database and S3: a failure after the files are stored removes them, and the files of a
process that died are deleted by the timer an hour later."""

import uuid
from contextlib import contextmanager
from datetime import datetime, timedelta

import pytest
from sqlalchemy import create_engine, insert, select, text
from sqlalchemy.pool import NullPool

from services.billing.models import report_file_uploads, reports
from services.infra.clock import HELSINKI
from services.infra.storage import make_s3_client
from tests.billing.report_lines import store_lines
from tests.conftest import run_now

MARCH = datetime(2027, 3, 1, tzinfo=HELSINKI).date()
AFTER_GRACE = datetime(2027, 4, 6, 0, 1, tzinfo=HELSINKI)


@pytest.fixture
def billing_engine(service_config):
    engine = create_engine(service_config("billing")["DATABASE_URL"], poolclass=NullPool)
    yield engine
    engine.dispose()


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


def stored_keys(s3_config, prefix: str) -> list[str]:
    client = make_s3_client(s3_config)
    answer = client.list_object_versions(Bucket=s3_config["S3_BUCKET"], Prefix=prefix)
    return [entry["Key"] for entry in answer.get("Versions", []) + answer.get("DeleteMarkers", [])]


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
    s3_config,
):
    subscriber_id = report_subscribers["roster"]["id"]
    prefix = f"billing/reports/{subscriber_id}/"
    store_lines(service_config("billing")["DATABASE_URL"], subscriber_id, MARCH, 2)
    clock.set(AFTER_GRACE)

    with reports_refused(billing_engine, subscriber_id):
        run_now(containers["billing"], "publish_due_reports")

    assert reports_of(billing_engine, subscriber_id) == []
    assert stored_keys(s3_config, prefix) == []
    assert notes(billing_engine, prefix) == []
    run_now(containers["billing"], "publish_due_reports")

    assert len(reports_of(billing_engine, subscriber_id)) == 1
    assert len(stored_keys(s3_config, prefix)) == 2
    assert notes(billing_engine, prefix) == []


def test_files_of_a_publication_whose_process_died_are_deleted_after_an_hour(
    containers, clock, billing_engine, s3_config
):
    key = f"billing/reports/{uuid.uuid4()}/2027-03/{uuid.uuid4()}.csv"
    client = make_s3_client(s3_config)
    client.put_object(
        Bucket=s3_config["S3_BUCKET"], Key=key, Body=b"Maija;M-1\n", ServerSideEncryption="AES256"
    )
    with billing_engine.begin() as connection:
        connection.execute(insert(report_file_uploads).values(key=key, started_at=clock.now()))

    clock.advance(timedelta(minutes=59))
    run_now(containers["billing"], "purge_abandoned_report_files")
    assert stored_keys(s3_config, key) == [key]

    clock.advance(timedelta(minutes=2))
    assert run_now(containers["billing"], "purge_abandoned_report_files") >= 1

    assert stored_keys(s3_config, key) == []
    assert notes(billing_engine, key) == []
