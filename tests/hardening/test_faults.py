"""Faults answer 503 with Retry-After in bounded time, and the system recovers after them:
the broker or the database cut off (through the tests' own relays), a service not answering."""

import os
import signal
import time
from contextlib import contextmanager

import pytest
import requests

from tests.conftest import wait_for
from tests.hardening.system import RPC_TIMEOUT_SECONDS

BOUND_SECONDS = RPC_TIMEOUT_SECONDS + 5
RECOVERY_SECONDS = 90


def timed_get(url: str) -> tuple[requests.Response, float]:
    started = time.monotonic()
    response = requests.get(url, timeout=BOUND_SECONDS * 2)
    return response, time.monotonic() - started


def assert_unavailable(response: requests.Response, seconds: float) -> None:
    assert response.status_code == 503, response.text
    assert int(response.headers["Retry-After"]) > 0
    assert response.json()["error"]["code"] == "service_unavailable"
    assert seconds < BOUND_SECONDS


def recovery_seconds(url: str) -> float:
    started = time.monotonic()
    wait_for(lambda: answers_ok(url), seconds=RECOVERY_SECONDS, interval=0.5)
    return time.monotonic() - started


def answers_ok(url: str) -> bool:
    try:
        return requests.get(url, timeout=BOUND_SECONDS).status_code == 200
    except requests.RequestException:
        return False


@contextmanager
def stopped(pid: int):
    os.kill(pid, signal.SIGSTOP)
    try:
        yield
    finally:
        os.kill(pid, signal.SIGCONT)


@pytest.fixture
def system(hardening_system):
    assert answers_ok(f"{hardening_system.url}/api/services")
    assert all(process.poll() is None for process in hardening_system.processes.values())
    return hardening_system


def test_broker_cut_off_gives_503_in_bounded_time_and_the_system_recovers(system):
    system.broker.cut()
    try:
        catalogue, catalogue_seconds = timed_get(f"{system.url}/api/services")
        health, _ = timed_get(f"{system.url}/healthz")
    finally:
        system.broker.restore()

    assert_unavailable(catalogue, catalogue_seconds)
    assert health.status_code == 503
    recovered = recovery_seconds(f"{system.url}/api/services")
    assert all(process.poll() is None for process in system.processes.values())
    print(f"\nbroker cut: 503 after {catalogue_seconds:.2f} s; 200 again {recovered:.2f} s after")


def test_database_cut_off_gives_503_and_the_system_recovers(system):
    system.database.cut()
    try:
        catalogue, catalogue_seconds = timed_get(f"{system.url}/api/services")
        started = time.monotonic()
        login = requests.post(
            f"{system.url}/api/session",
            json={"username": "nobody", "password": "not-a-password", "remember_me": False},
            timeout=BOUND_SECONDS * 2,
        )
        login_seconds = time.monotonic() - started
    finally:
        system.database.restore()

    assert_unavailable(catalogue, catalogue_seconds)
    assert_unavailable(login, login_seconds)
    recovered = recovery_seconds(f"{system.url}/api/services")
    print(
        f"\ndatabase cut: 503 after {catalogue_seconds:.2f} s (catalogue), "
        f"{login_seconds:.2f} s (login); 200 again {recovered:.2f} s after"
    )


def test_a_service_that_does_not_answer_gives_503_after_the_rpc_timeout(system):
    with stopped(system.processes["bookings"].pid):
        catalogue, seconds = timed_get(f"{system.url}/api/services")

    assert_unavailable(catalogue, seconds)
    assert seconds >= RPC_TIMEOUT_SECONDS
    recovered = recovery_seconds(f"{system.url}/api/services")
    print(f"\nbookings stopped: 503 after {seconds:.2f} s; 200 again {recovered:.2f} s after")
