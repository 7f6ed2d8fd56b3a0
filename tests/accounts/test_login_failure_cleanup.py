"""Failed logins past the throttling window are deleted by the accounts service's timer."""

import os
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import create_engine, func, insert, select
from sqlalchemy.orm import Session

from services.accounts import repository as repo
from services.accounts.logins import FAILURE_CLEANUP_BATCH
from services.accounts.models import login_failures
from services.accounts.throttle import throttle_keys
from services.contracts.errors import Throttled, Unauthenticated
from tests.accounts.conftest import log_in
from tests.conftest import run_now

WINDOW = timedelta(minutes=15)


@pytest.fixture
def database(accounts_config):
    """The service's own database, to see which failures it keeps."""
    engine = create_engine(accounts_config["DATABASE_URL"])
    yield engine
    engine.dispose()


def stored_failures(database, key: bytes) -> int:
    with database.connect() as connection:
        query = select(func.count()).where(login_failures.c.throttle_key == key)
        return connection.execute(query).scalar_one()


def store_failures(database, key: bytes, times: list[datetime]) -> None:
    with database.begin() as connection:
        connection.execute(
            insert(login_failures), [{"throttle_key": key, "failed_at": at} for at in times]
        )


def account_key(username: str) -> bytes:
    return throttle_keys(username, "")[0]


def fail_to_log_in(accounts, username: str, times: int) -> None:
    for _ in range(times):
        with pytest.raises(Unauthenticated):
            log_in(accounts, username, password="väärä-salasana-1")


def test_cleanup_deletes_failures_past_the_window_and_throttling_still_counts_the_rest(
    accounts, accounts_container, registration, clock, database
):
    earlier = accounts.register_coachee(registration)["username"]
    later = accounts.register_coachee(registration)["username"]
    fail_to_log_in(accounts, earlier, 3)
    clock.advance(timedelta(minutes=10))
    fail_to_log_in(accounts, later, 3)
    clock.advance(timedelta(minutes=6))
    assert stored_failures(database, account_key(earlier)) == 3

    run_now(accounts_container, "delete_expired_login_failures")

    assert stored_failures(database, account_key(earlier)) == 0
    assert stored_failures(database, account_key(later)) == 3
    with pytest.raises(Throttled):
        log_in(accounts, later)
    assert log_in(accounts, earlier)["token"]


def test_one_run_deletes_a_backlog_of_many_batches(accounts_container, clock, database):
    key = os.urandom(32)
    cutoff = clock.now() - WINDOW
    backlog = [cutoff - timedelta(seconds=n) for n in range(FAILURE_CLEANUP_BATCH * 2 + 500)]
    store_failures(database, key, [*backlog, cutoff + timedelta(seconds=1)])

    deleted = run_now(accounts_container, "delete_expired_login_failures")

    assert deleted >= len(backlog)
    assert stored_failures(database, key) == 1


def test_a_batch_deletes_no_more_failures_than_its_size(database):
    """Older than anything other tests store, so only these rows qualify."""
    key = os.urandom(32)
    long_ago = datetime(2000, 1, 1, tzinfo=UTC)
    store_failures(database, key, [long_ago] * 5)

    with Session(database) as session, session.begin():
        assert repo.delete_failures_before(session, long_ago, limit=2) == 2

    assert stored_failures(database, key) == 3
