"""The retention rule on a settable clock: around New Year and the end of January, resumable,
repeatable, and previewed a month ahead."""

import json
import subprocess
import uuid
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from services.bookings.service import BookingsService
from services.contracts.errors import Forbidden, NotFound
from services.infra.clock import HELSINKI
from services.privacy.models import subject_requests
from services.privacy.service import PrivacyService
from tests.bookings.conftest import coachee_form
from tests.conftest import run_now, wait_for
from tests.deploy.test_cli import VALMENNUS
from tests.privacy.conftest import STEP_RETRY_BASE, completed


def coachee_created_at(rpc, clock, instant: datetime) -> dict:
    clock.set(instant)
    return rpc.accounts.register_coachee(coachee_form(str(uuid.uuid4())))


def retention_request(engine, account_id: str) -> dict | None:
    with engine.connect() as connection:
        row = connection.execute(
            select(subject_requests).where(
                subject_requests.c.subject_id == account_id,
                subject_requests.c.origin == "retention",
            )
        )
        found = row.mappings().first()
    return dict(found) if found else None


def run_daily_job(containers) -> dict:
    return run_now(containers["privacy"], "apply_retention")


def helsinki(*parts) -> datetime:
    return datetime(*parts, tzinfo=HELSINKI)


def test_account_created_in_2018_is_erased_in_january_2020_and_not_before(
    rpc, containers, clock, engines
):
    old = coachee_created_at(rpc, clock, helsinki(2018, 6, 1, 12, 0))
    at_new_year = coachee_created_at(rpc, clock, datetime(2018, 12, 31, 22, 30, tzinfo=UTC))

    clock.set(helsinki(2019, 12, 31, 23, 59))
    run_daily_job(containers)
    assert retention_request(engines["privacy"], old["account_id"]) is None

    clock.set(helsinki(2020, 1, 1, 0, 0))
    summary = run_daily_job(containers)
    request = retention_request(engines["privacy"], old["account_id"])

    assert summary["created_before"] == helsinki(2019, 1, 1).isoformat()
    assert request["due_at"] == helsinki(2020, 2, 1)
    assert request["login_name"] == old["username"]
    assert retention_request(engines["privacy"], at_new_year["account_id"]) is None
    completed(rpc, str(request["id"]))
    with pytest.raises(NotFound):
        rpc.accounts.get_account(old["account_id"], None)

    clock.set(helsinki(2021, 1, 31, 23, 0))
    run_daily_job(containers)
    later = retention_request(engines["privacy"], at_new_year["account_id"])
    assert later["due_at"] == helsinki(2021, 2, 1)


def test_running_retention_again_opens_nothing_new(rpc, containers, clock, engines):
    old = coachee_created_at(rpc, clock, helsinki(2016, 3, 1, 12, 0))
    clock.set(helsinki(2018, 1, 2, 3, 0))
    run_daily_job(containers)
    first = retention_request(engines["privacy"], old["account_id"])

    while_running = run_daily_job(containers)
    completed(rpc, str(first["id"]))
    after_erasure = run_daily_job(containers)

    assert while_running["erasures_opened"] == after_erasure["erasures_opened"] == 0
    assert retention_request(engines["privacy"], old["account_id"])["id"] == first["id"]
    assert old["account_id"] not in [
        item["account_id"] for item in rpc.privacy.retention_preview(None, 200)["items"]
    ]


def test_interrupted_retention_erasures_finish_after_a_restart(
    rpc, containers, clock, engines, start
):
    first = coachee_created_at(rpc, clock, helsinki(2015, 5, 1, 12, 0))
    second = coachee_created_at(rpc, clock, helsinki(2015, 9, 1, 12, 0))
    clock.set(helsinki(2017, 1, 3, 3, 0))
    containers["bookings"].stop()
    run_daily_job(containers)
    ids = [
        str(retention_request(engines["privacy"], c["account_id"])["id"]) for c in (first, second)
    ]
    wait_for(
        lambda: all(rpc.privacy.get_request(i, None)["steps"][1]["attempts"] for i in ids),
        seconds=20,
    )

    containers["privacy"].kill()
    start(BookingsService)
    start(PrivacyService)
    clock.advance(STEP_RETRY_BASE)

    for request_id in ids:
        assert completed(rpc, request_id)["origin"] == "retention"
    for coachee in (first, second):
        with pytest.raises(NotFound):
            rpc.accounts.get_account(coachee["account_id"], None)


def test_preview_in_december_lists_whom_the_january_run_erases(rpc, clock, admin):
    due = coachee_created_at(rpc, clock, helsinki(2012, 11, 30, 12, 0))
    not_yet = coachee_created_at(rpc, clock, helsinki(2013, 1, 1, 0, 30))

    clock.set(helsinki(2013, 12, 15, 12, 0))
    preview = rpc.privacy.retention_preview(None, 200)
    listed = {item["account_id"]: item for item in preview["items"]}

    assert preview["created_before"] == helsinki(2013, 1, 1).isoformat()
    assert due["account_id"] in listed and not_yet["account_id"] not in listed
    assert listed[due["account_id"]]["erase_from"] == helsinki(2014, 1, 1).isoformat()
    assert listed[due["account_id"]]["erase_by"] == helsinki(2014, 2, 1).isoformat()
    assert listed[due["account_id"]]["request_id"] is None
    with pytest.raises(Forbidden):
        rpc.privacy.retention_preview(admin, 200)


def test_operator_command_prints_the_preview(rpc, clock, amqp_uri):
    due = coachee_created_at(rpc, clock, helsinki(2011, 2, 1, 12, 0))
    clock.set(helsinki(2012, 12, 20, 12, 0))

    result = subprocess.run(
        [VALMENNUS, "retention", "--preview"],
        capture_output=True,
        text=True,
        env={"AMQP_URI": amqp_uri, "PATH": "/usr/bin:/bin"},
        timeout=60,
    )

    assert result.returncode == 0, result.stderr
    preview = json.loads(result.stdout)
    assert preview["created_before"] == helsinki(2012, 1, 1).isoformat()
    assert due["account_id"] in [item["account_id"] for item in preview["items"]]
