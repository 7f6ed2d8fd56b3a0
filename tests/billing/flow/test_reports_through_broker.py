"""Bookings turning into billable lines and monthly reports, on the real broker, databases, S3
and SMTP sink: lines once per fact, publication once, corrections and re-issues."""

import subprocess
import sys
import uuid
from datetime import date, datetime, timedelta
from pathlib import Path

import eventlet
import requests
from nameko.amqp.publish import Publisher
from nameko.events import get_event_exchange
from sqlalchemy import func, select, text

from services.billing.models import billable_lines, reports
from services.billing.service import BillingService
from services.infra.clock import HELSINKI, Clock
from services.infra.tables import outbox, processed_events
from tests.billing.report_lines import store_lines
from tests.bookings.conftest import booking_request, coachee_form
from tests.conftest import run_now, wait_for

MARCH = "2027-03"
APRIL = "2027-04"
MARCH_DUE = datetime(2027, 4, 6, 0, 1, tzinfo=HELSINKI)
VALMENNUS = str(Path(sys.executable).parent / "valmennus")


def book(rpc, catalogue, subscriber_id: str, starts_at: str, member_number="M-1") -> dict:
    request = booking_request(catalogue, starts_at, coachee_form(subscriber_id, member_number))
    return rpc.bookings.create_booking(request)["booking"]


def draft(rpc, admin, subscriber_id: str, period: str) -> dict:
    return rpc.billing.preview_report({"subscriber_id": subscriber_id, "period": period}, admin)


def wait_for_lines(rpc, admin, subscriber_id: str, period: str, count: int) -> dict:
    return wait_for(
        lambda: (found := draft(rpc, admin, subscriber_id, period))["line_count"] == count and found
    )


def reports_of(rpc, admin, subscriber_id: str, period: str) -> list[dict]:
    query = {"subscriber_id": subscriber_id, "period": period}
    return rpc.billing.list_reports(admin, query)["items"]


def file_text(rpc, admin, report_id: str, file_format: str) -> bytes:
    link = rpc.billing.get_report_file(report_id, file_format, admin)
    response = requests.get(link["url"], timeout=10)
    assert response.status_code == 200
    return response.content


def billing_rows(billing_engine, query):
    with billing_engine.connect() as connection:
        return connection.execute(query).all()


def lines_of_booking(billing_engine, booking_id: str) -> int:
    query = select(func.count()).where(billable_lines.c.booking_id == uuid.UUID(booking_id))
    return billing_rows(billing_engine, query)[0][0]


def test_a_month_of_bookings_becomes_one_locked_report_per_subscriber(
    rpc,
    admin,
    catalogue,
    report_subscribers,
    containers,
    clock,
    smtp_sink,
    published_events,
    billing_engine,
):
    roster, manual = report_subscribers["roster"], report_subscribers["manual"]
    first = book(rpc, catalogue, roster["id"], "2027-03-02T09:00:00+02:00", "M-1")
    book(rpc, catalogue, roster["id"], "2027-03-30T10:00:00+03:00", "M-2")
    pending = book(rpc, catalogue, manual["id"], "2027-03-03T09:00:00+02:00", "H-77")
    rpc.bookings.decide_eligibility(pending["id"], True, admin)
    clock.set(datetime(2027, 3, 2, 12, 0, tzinfo=HELSINKI))
    rpc.bookings.record_outcome(first["id"], "completed", admin)
    wait_for_lines(rpc, admin, roster["id"], MARCH, 2)
    wait_for_lines(rpc, admin, manual["id"], MARCH, 1)
    assert draft(rpc, admin, roster["id"], MARCH)["status"] == "draft"

    clock.set(MARCH_DUE)
    run_now(containers["billing"], "publish_due_reports")

    [roster_report] = reports_of(rpc, admin, roster["id"], MARCH)
    [manual_report] = reports_of(rpc, admin, manual["id"], MARCH)
    assert (roster_report["version"], roster_report["sessions"]) == (1, 2)
    assert roster_report["totals"] == [{"service": catalogue["service"]["name"], "sessions": 2}]
    assert (manual_report["version"], manual_report["sessions"]) == (1, 1)
    roster_csv = file_text(rpc, admin, roster_report["id"], "csv").decode("utf-8-sig")
    manual_csv = file_text(rpc, admin, manual_report["id"], "csv").decode("utf-8-sig")
    assert "Jäsennumero" in roster_csv and ";M-2;" in roster_csv
    assert "Henkilöstönumero" not in manual_csv and "H-77" not in manual_csv
    assert file_text(rpc, admin, manual_report["id"], "pdf").startswith(b"%PDF-")
    assert draft(rpc, admin, roster["id"], MARCH)["status"] == "final"
    audited = select(outbox.c.payload).where(
        outbox.c.event_type == "access_audited",
        outbox.c.payload["report_id"].astext == manual_report["id"],
    )
    assert [row.payload["action"] for row in billing_rows(billing_engine, audited)] == [
        "report_file_read",
        "report_file_read",
    ]
    assert {row.payload["actor_id"] for row in billing_rows(billing_engine, audited)} == {
        admin["account_id"]
    }

    run_now(containers["billing"], "send_report_mails")
    [mail] = smtp_sink.received(to=roster["billing_contact_emails"][0])
    assert MARCH in mail["Subject"] and roster["name"] in mail["Subject"]
    assert f"/api/reports/{roster_report['id']}.pdf" in mail.get_content()
    assert "M-1" not in mail.get_content()
    published = wait_for(
        lambda: [e for e in published_events if e["report_id"] == roster_report["id"]]
    )
    assert published == [
        {
            "report_id": roster_report["id"],
            "subscriber_id": roster["id"],
            "period": MARCH,
            "version": 1,
            "event_id": published[0]["event_id"],
        }
    ]


def test_redelivered_and_duplicated_events_make_no_extra_lines(
    rpc, admin, catalogue, report_subscribers, base_config, billing_engine
):
    roster = report_subscribers["roster"]
    booking = book(rpc, catalogue, roster["id"], "2027-03-02T09:00:00+02:00")
    wait_for_lines(rpc, admin, roster["id"], MARCH, 1)
    payload = {
        "booking_id": booking["id"],
        "coachee_id": booking["coachee_id"],
        "coach_id": booking["coach_id"],
        "service_id": booking["service_id"],
    }
    redelivered = dict(payload, event_id=str(uuid.uuid4()))
    duplicate = dict(payload, event_id=str(uuid.uuid4()))
    publisher = Publisher(base_config["AMQP_URI"])
    exchange = get_event_exchange("bookings", base_config)
    for event in (redelivered, redelivered, redelivered, duplicate):
        publisher.publish(event, exchange=exchange, routing_key="booking_confirmed")

    handled = select(processed_events.c.event_id).where(
        processed_events.c.event_id.in_(
            [uuid.UUID(redelivered["event_id"]), uuid.UUID(duplicate["event_id"])]
        )
    )
    wait_for(lambda: len(billing_rows(billing_engine, handled)) == 2)
    assert lines_of_booking(billing_engine, booking["id"]) == 1
    assert draft(rpc, admin, roster["id"], MARCH)["line_count"] == 1


def test_two_billing_instances_running_the_job_together_publish_once(
    rpc,
    admin,
    catalogue,
    report_subscribers,
    containers,
    container_factory,
    service_config,
    billing_engine,
    clock,
    smtp_sink,
    published_events,
):
    roster = report_subscribers["roster"]
    book(rpc, catalogue, roster["id"], "2027-03-02T09:00:00+02:00")
    wait_for_lines(rpc, admin, roster["id"], MARCH, 1)
    second = container_factory(BillingService, service_config("billing"))
    next(d for d in second.dependencies if isinstance(d, Clock)).source = clock
    second.start()
    clock.set(MARCH_DUE)

    jobs = [
        eventlet.spawn(run_now, container, "publish_due_reports")
        for container in (containers["billing"], second, containers["billing"], second)
    ]
    for job in jobs:
        job.wait()
    run_now(second, "publish_due_reports")
    for container in (containers["billing"], second):
        run_now(container, "send_report_mails")

    [report] = reports_of(rpc, admin, roster["id"], MARCH)
    announced = select(outbox.c.event_id).where(
        outbox.c.event_type == "monthly_report_published",
        outbox.c.payload["report_id"].astext == report["id"],
    )
    assert len(billing_rows(billing_engine, announced)) == 1
    assert len(smtp_sink.received(to=roster["billing_contact_emails"][0])) == 1
    wait_for(lambda: any(e["report_id"] == report["id"] for e in published_events))
    stored = select(func.count()).where(reports.c.subscriber_id == uuid.UUID(roster["id"]))
    assert billing_rows(billing_engine, stored)[0][0] == 1


def booked_in_a_published_march(rpc, admin, catalogue, roster, containers, clock) -> dict:
    """A booking on 30 March, billed in March's report, which is then published."""
    booking = book(rpc, catalogue, roster["id"], "2027-03-30T10:00:00+03:00")
    wait_for_lines(rpc, admin, roster["id"], MARCH, 1)
    clock.set(MARCH_DUE)
    run_now(containers["billing"], "publish_due_reports")
    return booking


def test_a_change_after_locking_is_a_correction_in_the_next_open_report(
    rpc, admin, catalogue, report_subscribers, containers, clock
):
    roster = report_subscribers["roster"]
    booking = booked_in_a_published_march(rpc, admin, catalogue, roster, containers, clock)

    rpc.bookings.cancel_booking(booking["id"], admin)

    april = wait_for_lines(rpc, admin, roster["id"], APRIL, 1)
    [correction] = april["lines"]
    assert (correction["quantity"], correction["correction_of"]) == (-1, MARCH)
    assert correction["booking_id"] == booking["id"]
    assert april["status"] == "draft"
    [march] = reports_of(rpc, admin, roster["id"], MARCH)
    assert (march["version"], march["sessions"]) == (1, 1)
    assert draft(rpc, admin, roster["id"], MARCH)["sessions"] == 1


def instant(text: str) -> datetime:
    return datetime.fromisoformat(text)


def test_a_reschedule_moves_the_charge_at_once_and_a_no_show_is_billed_at_its_new_time(
    rpc, admin, catalogue, report_subscribers, clock, billing_engine
):
    roster = report_subscribers["roster"]
    booking = book(rpc, catalogue, roster["id"], "2027-03-30T10:00:00+03:00")
    wait_for_lines(rpc, admin, roster["id"], MARCH, 1)

    rpc.bookings.reschedule_booking(
        booking["id"], {"starts_at": "2027-04-02T09:00:00+03:00"}, admin
    )

    april = wait_for_lines(rpc, admin, roster["id"], APRIL, 1)
    [charge] = april["lines"]
    assert instant(charge["starts_at"]) == instant("2027-04-02T09:00:00+03:00")
    assert (charge["quantity"], charge["correction_of"]) == (1, None)
    march = draft(rpc, admin, roster["id"], MARCH)
    assert (march["line_count"], march["sessions"]) == (0, 0)
    assert lines_of_booking(billing_engine, booking["id"]) == 3
    clock.set(datetime(2027, 4, 2, 12, 0, tzinfo=HELSINKI))
    rpc.bookings.record_outcome(booking["id"], "no_show", admin)
    assert draft(rpc, admin, roster["id"], APRIL)["lines"] == [charge]


def test_a_reschedule_out_of_a_locked_month_is_a_correction_as_a_cancellation_would_be(
    rpc, admin, catalogue, report_subscribers, containers, clock
):
    roster = report_subscribers["roster"]
    booking = booked_in_a_published_march(rpc, admin, catalogue, roster, containers, clock)

    rpc.bookings.reschedule_booking(
        booking["id"], {"starts_at": "2027-04-20T10:00:00+03:00"}, admin
    )

    april = wait_for_lines(rpc, admin, roster["id"], APRIL, 2)
    by_quantity = {line["quantity"]: line for line in april["lines"]}
    assert by_quantity[-1]["correction_of"] == MARCH
    assert instant(by_quantity[-1]["starts_at"]) == instant("2027-03-30T10:00:00+03:00")
    assert by_quantity[1]["correction_of"] is None
    assert instant(by_quantity[1]["starts_at"]) == instant("2027-04-20T10:00:00+03:00")
    assert april["sessions"] == 0
    [march] = reports_of(rpc, admin, roster["id"], MARCH)
    assert (march["version"], march["sessions"]) == (1, 1)


def test_reissue_keeps_every_version_and_bills_a_waiting_correction_once(
    rpc, admin, catalogue, report_subscribers, containers, clock, smtp_sink
):
    roster = report_subscribers["roster"]
    kept = book(rpc, catalogue, roster["id"], "2027-03-02T09:00:00+02:00", "M-1")
    cancelled = book(rpc, catalogue, roster["id"], "2027-03-30T10:00:00+03:00", "M-2")
    wait_for_lines(rpc, admin, roster["id"], MARCH, 2)
    clock.set(MARCH_DUE)
    run_now(containers["billing"], "publish_due_reports")
    [first] = reports_of(rpc, admin, roster["id"], MARCH)
    rpc.bookings.cancel_booking(cancelled["id"], admin)
    wait_for_lines(rpc, admin, roster["id"], APRIL, 1)
    clock.advance(timedelta(days=2))

    second = rpc.billing.reissue_report(first["id"], {"reason": "M-2 peruttiin jälkikäteen"}, admin)

    assert (second["version"], second["sessions"], second["line_count"]) == (2, 1, 1)
    assert second["reason"] == "M-2 peruttiin jälkikäteen"
    assert second["issued_by"] == admin["account_id"]
    versions = reports_of(rpc, admin, roster["id"], MARCH)
    assert [(r["version"], r["sessions"]) for r in versions] == [(2, 1), (1, 2)]
    assert draft(rpc, admin, roster["id"], APRIL)["line_count"] == 0
    second_csv = file_text(rpc, admin, second["id"], "csv").decode("utf-8-sig")
    assert ";M-1;" in second_csv and ";M-2;" not in second_csv
    assert ";M-2;" in file_text(rpc, admin, first["id"], "csv").decode("utf-8-sig")
    run_now(containers["billing"], "send_report_mails")
    subjects = [m["Subject"] for m in smtp_sink.received(to=roster["billing_contact_emails"][0])]
    assert sorted(subjects) == sorted(
        [
            f"Laskutusraportti {MARCH}: {roster['name']}",
            f"Laskutusraportti {MARCH}: {roster['name']} (versio 2)",
        ]
    )
    assert kept["id"] in second_csv


def test_erasure_keeps_the_billing_lines_for_the_accounting_act_and_export_lists_them(
    rpc, admin, catalogue, report_subscribers
):
    roster = report_subscribers["roster"]
    booking = book(rpc, catalogue, roster["id"], "2027-03-02T09:00:00+02:00", "M-2")
    wait_for_lines(rpc, admin, roster["id"], MARCH, 1)
    subject = booking["coachee_id"]
    request_id = str(uuid.uuid4())

    preview = rpc.billing.erase_personal_data(subject, request_id, True)
    erased = rpc.billing.erase_personal_data(subject, request_id)
    exported = rpc.billing.export_personal_data(subject)

    assert erased == preview
    assert (erased["items_removed"], erased["items_retained"]) == (0, 1)
    assert "Accounting Act" in erased["messages"][0] and "2033" in erased["messages"][0]
    assert draft(rpc, admin, roster["id"], MARCH)["line_count"] == 1
    [item] = exported["items"]
    assert item["group"] == "billing_lines" and exported["done"] is True
    assert item["data"]["member_name"] == "Maija Meikäläinen"
    assert item["data"]["member_number"] == "M-2"
    assert item["data"]["booking_id"] == booking["id"]


def test_operator_publishes_a_month_from_the_command_line(
    rpc, admin, catalogue, report_subscribers, clock, amqp_uri
):
    roster = report_subscribers["roster"]
    book(rpc, catalogue, roster["id"], "2027-03-02T09:00:00+02:00")
    wait_for_lines(rpc, admin, roster["id"], MARCH, 1)
    clock.set(datetime(2027, 4, 1, 0, 5, tzinfo=HELSINKI))
    environment = {"AMQP_URI": amqp_uri, "PATH": "/usr/bin:/bin"}

    published = subprocess.run(
        [VALMENNUS, "report", "publish", "--period", MARCH],
        capture_output=True,
        text=True,
        env=environment,
    )
    again = subprocess.run(
        [VALMENNUS, "report", "publish", "--period", MARCH],
        capture_output=True,
        text=True,
        env=environment,
    )

    assert published.returncode == 0, published.stderr
    assert f"published {MARCH} v1: {roster['name']}" in published.stdout
    assert again.returncode == 0 and "0 published now" in again.stdout
    assert len(reports_of(rpc, admin, roster["id"], MARCH)) == 1
    too_early = subprocess.run(
        [VALMENNUS, "report", "publish", "--period", APRIL],
        capture_output=True,
        text=True,
        env=environment,
    )
    assert too_early.returncode == 1 and "has not ended" in too_early.stderr


def test_a_reissue_waits_for_a_booking_change_of_the_subscriber_in_progress(
    rpc, admin, report_subscribers, containers, clock, service_config, billing_engine
):
    roster = report_subscribers["roster"]
    store_lines(service_config("billing")["DATABASE_URL"], roster["id"], date(2027, 3, 1), 1)
    clock.set(MARCH_DUE)
    run_now(containers["billing"], "publish_due_reports")
    [first] = reports_of(rpc, admin, roster["id"], MARCH)
    ledger = func.hashtextextended(f"billing-ledger:{roster['id']}", 0)
    waiting = (
        select(func.count())
        .where(text("pg_locks.locktype = 'advisory' AND NOT pg_locks.granted"))
        .select_from(text("pg_locks"))
    )

    with billing_engine.connect() as change_in_progress:
        change_in_progress.execute(select(func.pg_advisory_xact_lock_shared(ledger)))
        reissue = eventlet.spawn(
            rpc.billing.reissue_report, first["id"], {"reason": "Korjattu"}, admin
        )
        with billing_engine.connect() as observer:
            wait_for(lambda: observer.execute(waiting).scalar_one() >= 1)
        assert not reissue.dead
        change_in_progress.rollback()

    assert reissue.wait()["version"] == 2
