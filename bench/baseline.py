"""`make bench`: the floor later features are measured against, in one run on this machine.

Prints three figures and asserts nothing about time, since the figures depend on the machine:
- the raw kombu request/reply round trip: what AMQP itself costs, with no nameko in the way;
- a nameko RPC round trip to `accounts.health` through the real service process;
- `GET /healthz` requests per second under concurrent load, through the gateway and all five
  services.

Everything it uses is its own (`bench.stack.isolated_stack`), so other users of the machine are
left alone, and all of it is removed at the end, also on errors and Ctrl-C.
"""

import json
import multiprocessing
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass
from functools import partial
from urllib.parse import urlsplit

from kombu import Connection, Consumer, Producer, Queue
from nameko.standalone.rpc import ClusterRpcProxy

from bench.stack import (
    Client,
    benchmark_main,
    isolated_stack,
    machine_description,
    out_of_ctrl_c_reach,
    repeatedly,
    run_concurrently,
)
from services.contracts.names import ACCOUNTS

ROUND_TRIPS = 1000
WARMUP_ROUND_TRIPS = 50
LOAD_SECONDS = 10
LOAD_CONNECTIONS = 8
ECHO_QUEUE = "bench.echo"

WRK_REPORT = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "failed": %d, "median_us": %f, "p95_us": %f}\\n',
    summary.requests, summary.duration, e.connect + e.read + e.write + e.status + e.timeout,
    latency:percentile(50), latency:percentile(95)))
end
"""


@dataclass
class Row:
    measurement: str
    median_ms: float
    p95_ms: float
    per_second: float | None = None
    note: str = ""


def median_and_p95(samples_ms: list[float]) -> tuple[float, float]:
    return statistics.median(samples_ms), statistics.quantiles(samples_ms, n=100)[94]


def row_of_samples(measurement: str, samples_ms: list[float]) -> Row:
    return Row(measurement, *median_and_p95(samples_ms))


def time_round_trips(round_trip: Callable[[], object]) -> list[float]:
    """Milliseconds of each of ROUND_TRIPS sequential calls, after a warm-up that is not kept."""
    for _ in range(WARMUP_ROUND_TRIPS):
        round_trip()
    samples = []
    for _ in range(ROUND_TRIPS):
        started = time.perf_counter()
        round_trip()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def serve_echo(amqp_uri: str, ready) -> None:
    """Replies to each request with its own body: the least an AMQP RPC server can do."""
    with Connection(amqp_uri) as connection:
        producer = Producer(connection.default_channel)

        def echo(body, message):
            producer.publish(
                body,
                routing_key=message.properties["reply_to"],
                correlation_id=message.properties["correlation_id"],
            )
            message.ack()

        with Consumer(connection, [Queue(ECHO_QUEUE, auto_delete=True)], callbacks=[echo]):
            ready.set()
            while True:
                connection.drain_events()


def kombu_round_trips(amqp_uri: str) -> list[float]:
    """Request/reply with plain kombu, the echo server in a process of its own as nameko's is."""
    ready = multiprocessing.Event()
    server = multiprocessing.Process(target=serve_echo, args=(amqp_uri, ready), daemon=True)
    server.start()
    try:
        if not ready.wait(30):
            raise SystemExit("the kombu echo server did not start")
        with Connection(amqp_uri) as connection:
            reply_queue = Queue(f"bench.reply-{uuid.uuid4().hex}", exclusive=True)
            producer = Producer(connection.default_channel)

            def round_trip() -> None:
                producer.publish(
                    {"ping": 1},
                    routing_key=ECHO_QUEUE,
                    reply_to=reply_queue.name,
                    correlation_id=uuid.uuid4().hex,
                )
                connection.drain_events(timeout=5)

            with Consumer(connection, [reply_queue], on_message=lambda message: None, no_ack=True):
                return time_round_trips(round_trip)
    finally:
        server.kill()  # a clean close could wait forever; its queue goes with the vhost
        server.join()


def nameko_round_trips(amqp_uri: str) -> list[float]:
    with ClusterRpcProxy({"AMQP_URI": amqp_uri}, timeout=10) as rpc:
        return time_round_trips(rpc.accounts.health)


def load_with_wrk(url: str) -> Row:
    """wrk with one thread, leaving the other cores to the stack it measures."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
        script.write(WRK_REPORT)
        script.flush()
        output = subprocess.run(
            [
                "wrk",
                "-t1",
                f"-c{LOAD_CONNECTIONS}",
                f"-d{LOAD_SECONDS}s",
                "--timeout",
                "10s",
                "-s",
                script.name,
                url,
            ],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    report = json.loads(output.strip().splitlines()[-1])
    return Row(
        f"GET /healthz (wrk, {LOAD_CONNECTIONS} connections, {LOAD_SECONDS} s)",
        report["median_us"] / 1000,
        report["p95_us"] / 1000,
        report["requests"] / (report["duration_us"] / 1e6),
        f"{report['failed']} of {report['requests']} failed or not 200",
    )


def load_with_threads(url: str) -> Row:
    """Where wrk is not installed: Python clients in threads, which saturate sooner than wrk."""
    target = urlsplit(url)
    with ExitStack() as clients:
        loops = [
            repeatedly(partial(clients.enter_context(Client(url)).request, "GET", target.path))
            for _ in range(LOAD_CONNECTIONS)
        ]
        elapsed, results = run_concurrently(loops, LOAD_SECONDS)
    replies = [reply for client_replies in results for reply in client_replies]
    failed = sum(reply.status != 200 for reply in replies)
    return Row(
        f"GET /healthz (threads, {LOAD_CONNECTIONS} connections, {LOAD_SECONDS} s)",
        *median_and_p95([reply.ms for reply in replies]),
        len(replies) / elapsed,
        f"{failed} of {len(replies)} failed or not 200",
    )


def print_table(rows: list[Row], load_before: float) -> None:
    print()
    print(machine_description("Valmennuskalenteri baseline", load_before))
    header = f"{'measurement':<46} {'median ms':>10} {'p95 ms':>10} {'requests/s':>11}"
    print(header)
    print("-" * len(header))
    for row in rows:
        per_second = "" if row.per_second is None else f"{row.per_second:,.0f}"
        print(
            f"{row.measurement:<46} {row.median_ms:>10.2f} {row.p95_ms:>10.2f} {per_second:>11}"
            + (f"  {row.note}" if row.note else "")
        )


def measure(amqp_uri: str, healthz_url: str) -> list[Row]:
    print(f"measuring: raw kombu, nameko RPC ({ROUND_TRIPS} round trips each), /healthz load")
    load = load_with_wrk if shutil.which("wrk") else load_with_threads
    return [
        row_of_samples(
            f"raw kombu request/reply ({ROUND_TRIPS} sequential)",
            out_of_ctrl_c_reach(kombu_round_trips, amqp_uri),
        ),
        row_of_samples(
            f"nameko RPC {ACCOUNTS}.health ({ROUND_TRIPS} sequential)",
            out_of_ctrl_c_reach(nameko_round_trips, amqp_uri),
        ),
        load(healthz_url),
    ]


def run() -> None:
    load_before = os.getloadavg()[0]
    with isolated_stack() as stack:
        rows = measure(stack.amqp_uri, f"{stack.url}/healthz")
    print_table(rows, load_before)


if __name__ == "__main__":
    sys.exit(benchmark_main(run))
