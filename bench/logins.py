"""`python -m bench.logins` (issue 3): logins per second, and whether they stall other requests.

Clients log in again and again through `POST /api/session`, each with an account of its own and
from an address of its own, as real users do (only failed logins are throttled, per account and
per address). Beside them two probes ask at a steady pace: `GET /api/session` with a bearer token,
an authenticated request the gateway answers after one `accounts.resolve_session` RPC (its
session cache is off here, `SESSION_CACHE_SECONDS=0`, so every probe asks accounts), and, as a
control, `GET /api/services`, one RPC to the bookings service, which logins do not touch. The
probes run alone first, then during the logins.

A login verifies an argon2id hash, CPU work of tens of milliseconds. It runs in eventlet's thread
pool so that the accounts service's other greenlets go on meanwhile. If it stalled them, the
accounts probe would slow down by whole hashes, and more than the control; if both slow down
alike, what remains is competition for the CPU, which the CPU figures show. For scale, one hash
is also timed in this process with the service's parameters: on N cores logins cannot go faster
than N divided by that time.

Prints figures only, on an isolated stack (`bench.stack`) removed at the end.
"""

import os
import statistics
import sys
import time
from contextlib import ExitStack
from dataclasses import replace
from functools import partial

from bench.stack import (
    Client,
    LoadRow,
    Loop,
    Reply,
    Stack,
    admin_headers,
    bearer,
    benchmark_main,
    cpu_use,
    isolated_stack,
    log_in,
    machine_description,
    print_load_rows,
    repeatedly,
    run_concurrently,
)
from services.accounts.settings import settings_from
from services.infra.config import load_config

LOGIN_CLIENTS = 4
LOAD_SECONDS = 20
PROBE_EVERY_SECONDS = 0.04  # light: the probes themselves take little of the CPU
HASHES_TIMED = 20
PROBES = {
    "/api/session": "GET /api/session (accounts RPC)",
    "/api/services": "GET /api/services (bookings RPC)",
}


def hash_ms() -> float:
    """The median time of one argon2id hash with the accounts service's configured parameters."""
    hasher = settings_from(load_config("accounts")).hashing.hasher
    samples = []
    for _ in range(HASHES_TIMED):
        started = time.perf_counter()
        hasher.hash("kesäinen-aamu-2027")
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def staff_accounts(stack: Stack, count: int) -> list[tuple[str, str]]:
    """Usernames and passwords to log in with: staff accounts made through the admin API, each
    with the initial password the API returns once."""
    accounts = []
    with Client(stack.url, admin_headers(stack)) as admin:
        for n in range(count):
            created = admin.expect(
                201,
                "POST",
                "/api/staff",
                json_body={
                    "username": f"bench.user{n:02}",
                    "role": "coach",
                    "name": "Bench User",
                    "email": f"bench.user{n:02}@example.fi",
                },
            )
            accounts.append((created["account"]["username"], created["initial_password"]))
    return accounts


def logging_in(client: Client, username: str, password: str) -> Loop:
    body = {"username": username, "password": password, "remember_me": False}
    return repeatedly(partial(client.request, "POST", "/api/session", json_body=body))


def probing(client: Client, path: str) -> Loop:
    return repeatedly(partial(client.request, "GET", path), PROBE_EVERY_SECONDS)


def probe_rows(
    when: str, results: list[list[Reply]], seconds: float, cpu: dict[str, float]
) -> list[LoadRow]:
    """A row per probe; the CPU use of the run they were part of goes with the last."""
    every = f"every {PROBE_EVERY_SECONDS * 1000:.0f} ms"
    rows = [
        LoadRow(f"{label}, {when}, {every}", replies, seconds)
        for label, replies in zip(PROBES.values(), results, strict=True)
    ]
    rows[-1] = replace(rows[-1], cpu=cpu)
    return rows


def measure(stack: Stack) -> list[LoadRow]:
    probe_account, *client_accounts = staff_accounts(stack, LOGIN_CLIENTS + 1)
    with ExitStack() as clients:
        setup = clients.enter_context(Client(stack.url))
        token = log_in(setup, *probe_account)
        probes = [
            probing(clients.enter_context(Client(stack.url, bearer(token))), path)
            for path in PROBES
        ]
        login_loops = []
        for n, account in enumerate(client_accounts):
            client = clients.enter_context(Client(stack.url, {"X-Forwarded-For": f"192.0.2.{n}"}))
            log_in(client, *account)  # fails loudly now rather than as errors in the figures
            login_loops.append(logging_in(client, *account))

        print(f"measuring: the probes alone, then with {LOGIN_CLIENTS} clients logging in")
        with cpu_use(stack) as alone_cpu:
            alone_seconds, alone = run_concurrently(probes, LOAD_SECONDS)
        with cpu_use(stack) as loaded_cpu:
            loaded_seconds, results = run_concurrently([*probes, *login_loops], LOAD_SECONDS)
    during, logins = results[: len(probes)], results[len(probes) :]
    login_row = LoadRow(
        f"POST /api/session, {LOGIN_CLIENTS} clients, {LOAD_SECONDS} s",
        [reply for replies in logins for reply in replies],
        loaded_seconds,
    )
    return [
        *probe_rows("alone", alone, alone_seconds, alone_cpu),
        login_row,
        *probe_rows("during logins", during, loaded_seconds, loaded_cpu),
    ]


def run() -> None:
    load_before = os.getloadavg()[0]
    one_hash_ms = hash_ms()
    with isolated_stack(TRUST_PROXY_HEADERS="true", SESSION_CACHE_SECONDS="0") as stack:
        rows = measure(stack)
    print()
    print(machine_description("Valmennuskalenteri logins", load_before))
    print(
        f"one argon2id hash in this process: {one_hash_ms:.1f} ms, so at most "
        f"{1000 / one_hash_ms:.0f} logins/s per core"
    )
    print_load_rows(rows)


if __name__ == "__main__":
    sys.exit(benchmark_main(run))
