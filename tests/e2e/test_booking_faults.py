"""A bookings instance killed (SIGKILL) while forty first-time coachees race for one slot.

Real `nameko run` processes: accounts, billing, two bookings instances and the gateway, on a
vhost and databases of their own. Each round, forty clients send the booking form for the same
slot, each with its own Idempotency-Key, and one bookings instance is killed mid-round and
started again. A client whose answer was not final (a 5xx, or no answer) sends the same request
again with the same key, a bounded number of times, as a client should. A round takes about two
seconds on two cores, so the kill lands while requests are in flight; the dead instance's
unacknowledged requests are redelivered to the other one. Afterwards no account
is without a booking, no coach is booked twice at once, and every client's final answer matches
what the databases hold.
"""

import os
import random
import uuid
from functools import partial

import eventlet
import pytest
import requests
from nameko.standalone.rpc import ClusterRpcProxy
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from deploy.catalog import GATEWAY_CLASS, SERVICE_CLASSES
from deploy.local import nameko_run, stop_all
from services.infra.migrations import upgrade
from tests.conftest import free_port, rabbitmq_vhost, wait_for
from tests.gateway.api_client import ApiClient, unique
from tests.gateway.booking_api import booking_form, free_slots, next_week_day, set_up_catalogue

ROUNDS = 5
RACERS = 40
RETRIES = 3
SERVICES = ("accounts", "billing", "bookings")
REGISTRATION_TIMEOUT_SECONDS = 3


@pytest.fixture(scope="module")
def fault_databases(database_url):
    urls = {service: database_url(f"faults_{service}") for service in SERVICES}
    for service, url in urls.items():
        upgrade(service, url)
    return urls


@pytest.fixture(scope="module")
def fault_system(fault_databases, base_config):
    """Yields the gateway's URL, the AMQP URI and a way to kill and restart bookings' second
    instance."""
    with rabbitmq_vhost("faults") as amqp_uri:
        env = {
            "AMQP_URI": amqp_uri,
            "GATEWAY_ADDRESS": f"127.0.0.1:{free_port()}",
            "EVENT_RETRY_DELAYS_MS": base_config["EVENT_RETRY_DELAYS_MS"],
            "REGISTRATION_TIMEOUT_SECONDS": str(REGISTRATION_TIMEOUT_SECONDS),
            "LOG_LEVEL": "ERROR",
            "PYTHONWARNINGS": "ignore",
            "TRUST_PROXY_HEADERS": "true",
            "SMTP_PORT": str(free_port()),
        }
        env.update({f"{s.upper()}_DATABASE_URL": url for s, url in fault_databases.items()})
        env = {**os.environ, **env}
        processes = {s: nameko_run(s, SERVICE_CLASSES[s], env) for s in SERVICES}
        processes["bookings-2"] = nameko_run("bookings", SERVICE_CLASSES["bookings"], env)
        processes["gateway"] = nameko_run("gateway", GATEWAY_CLASS, env)
        url = f"http://{env['GATEWAY_ADDRESS']}"

        def restart_second_bookings():
            processes["bookings-2"].kill()
            processes["bookings-2"].wait(timeout=10)
            processes["bookings-2"] = nameko_run("bookings", SERVICE_CLASSES["bookings"], env)

        try:
            wait_for(lambda: answers(f"{url}/api/services"), seconds=90, interval=0.5)
            for service in SERVICES:
                wait_for(partial(healthy, amqp_uri, service), seconds=90, interval=0.5)
            yield url, amqp_uri, restart_second_bookings
        finally:
            stop_all(list(processes.values()))


def healthy(amqp_uri: str, service: str) -> bool:
    try:
        with ClusterRpcProxy({"AMQP_URI": amqp_uri}, timeout=5) as rpc:
            return getattr(rpc, service).health()["status"] == "ok"
    except Exception:
        return False


def answers(url: str) -> bool:
    try:
        return requests.get(url, timeout=2).status_code == 200
    except requests.RequestException:
        return False


def final_answer(url: str, form: dict, key: str) -> tuple[int, dict]:
    """The answer to the form, sent again with its key while the answer is not final."""
    for _ in range(RETRIES + 1):
        try:
            with ApiClient(url) as client:
                reply = client.request(
                    "POST", "/api/bookings", json=form, headers={"Idempotency-Key": key}
                )
            if reply.status_code < 500:
                return reply.status_code, reply.json()
        except requests.RequestException:
            continue
    return 0, {}


def race(url: str, setup: dict, starts_at: str, restart) -> list[tuple[dict, int, dict]]:
    forms = [booking_form(setup, starts_at) for _ in range(RACERS)]
    keys = [f"race-{uuid.uuid4()}" for _ in forms]
    pool = eventlet.GreenPool(RACERS)
    running = [
        pool.spawn(final_answer, url, form, key) for form, key in zip(forms, keys, strict=True)
    ]
    eventlet.sleep(random.uniform(0.05, 1.0))  # the fault's moment in the round, not a wait
    restart()
    return [(form, *thread.wait()) for form, thread in zip(forms, running, strict=True)]


def query(engine, sql: str, **parameters) -> list:
    with engine.connect() as connection:
        return list(connection.execute(text(sql), parameters))


@pytest.mark.timeout(600)
def test_killing_a_bookings_instance_mid_race_leaves_no_orphan_and_no_double_booking(
    fault_system, fault_databases
):
    url, amqp_uri, restart = fault_system
    admin = unique("admin")
    with ClusterRpcProxy({"AMQP_URI": amqp_uri}, timeout=30) as rpc:
        rpc.accounts.create_admin(admin, "ylläpitäjän-salasana-1")
    with ApiClient(url) as client:
        login = client.log_in(admin, "ylläpitäjän-salasana-1")
        setup = set_up_catalogue(client, login.with_bearer())
        slots = free_slots(client, setup, next_week_day(2))[::3][:ROUNDS]

    outcomes = []
    for slot in slots:
        outcomes += race(url, setup, slot["starts_at"], restart)

    engines = {s: create_engine(u, poolclass=NullPool) for s, u in fault_databases.items()}
    try:
        unsettled = "SELECT count(*) FROM registrations WHERE state <> 'booked'"
        wait_for(lambda: query(engines["bookings"], unsettled)[0][0] == 0, seconds=60)
        bookings = query(engines["bookings"], "SELECT id, coachee_id, starts_at FROM bookings")
        accounts = query(
            engines["accounts"], "SELECT id, username, email FROM accounts WHERE role = 'coachee'"
        )
        overlapping = query(
            engines["bookings"],
            "SELECT count(*) FROM bookings a JOIN bookings b ON a.coach_id = b.coach_id"
            " AND a.id < b.id AND a.status IN ('confirmed', 'pending_eligibility')"
            " AND b.status IN ('confirmed', 'pending_eligibility')"
            " AND tstzrange(a.starts_at, a.blocks_until) && tstzrange(b.starts_at, b.blocks_until)",
        )[0][0]
    finally:
        for engine in engines.values():
            engine.dispose()

    booked_coachees = {row.coachee_id for row in bookings}
    assert [a for a in accounts if a.id not in booked_coachees] == [], "orphan accounts"
    assert overlapping == 0
    assert len(bookings) == len(slots)
    account_of_email = {row.email: row for row in accounts}
    for form, status, body in outcomes:
        account = account_of_email.get(form["coachee"]["email"])
        if status == 201:
            assert account is not None and account.username == body["username"]
            assert body["booking"]["id"] in {str(row.id) for row in bookings}
        else:
            assert status in (409, 0), body
            assert account is None, f"{form['coachee']['email']} was answered {status}"
    winners = [status for _, status, _ in outcomes if status == 201]
    assert len(winners) == len(slots)
