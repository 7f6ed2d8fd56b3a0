"""`make bench`: the floor later features are measured against, in one run on this machine.

Prints three figures and asserts nothing about time, since the figures depend on the machine:
- the raw kombu request/reply round trip: what AMQP itself costs, with no nameko in the way;
- a nameko RPC round trip to `accounts.health` through the real service process;
- `GET /healthz` requests per second under concurrent load, through the gateway and all five
  services.

Everything it uses is its own, so other users of the machine are left alone: a RabbitMQ vhost,
a migrated PostgreSQL database per service, a moto_server S3 endpoint, the five services and the
gateway as real `nameko run` processes on free ports. All of it is removed at the end, also on
errors and Ctrl-C.
"""

import http.client
import json
import multiprocessing
import os
import platform
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import quote, urlsplit

from kombu import Connection, Consumer, Producer, Queue
from nameko.standalone.rpc import ClusterRpcProxy

from deploy.catalog import GATEWAY_CLASS, SERVICE_CLASSES
from deploy.local import BIN, ensure_server, healthz_ok, nameko_run, reachable, stop_all, wait_until
from services.contracts.names import ACCOUNTS, ALL_SERVICES
from services.infra.migrations import drop_database, upgrade
from services.infra.storage import ensure_bucket

RUN_ID = f"bench_{uuid.uuid4().hex[:8]}"
HOST = "127.0.0.1"
AMQP_SERVER = f"amqp://guest:guest@{HOST}:5672"
DATABASE_SERVER = f"postgresql+psycopg://postgres@{HOST}:5432"
ROUND_TRIPS = 1000
WARMUP_ROUND_TRIPS = 50
LOAD_SECONDS = 10
LOAD_CONNECTIONS = 8
ECHO_QUEUE = "bench.echo"
NAMEKO_CLI_WARNINGS = "ignore::Warning:nameko.cli.commands,ignore::UserWarning:nameko.cli.main"

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


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def rabbitmqctl(*args: str) -> None:
    subprocess.run(["rabbitmqctl", "-q", *args], check=True, capture_output=True)


@contextmanager
def rabbitmq_vhost() -> Iterator[str]:
    """Yields the AMQP URI of a vhost of this run's own."""
    rabbitmqctl("add_vhost", RUN_ID)
    try:
        rabbitmqctl("set_permissions", "-p", RUN_ID, "guest", ".*", ".*", ".*")
        yield f"{AMQP_SERVER}/{quote(RUN_ID, safe='')}"
    finally:
        rabbitmqctl("delete_vhost", RUN_ID)


@contextmanager
def service_databases() -> Iterator[dict[str, str]]:
    """Each service's own migrated database: `/healthz` reaches every one of them."""
    urls = {}
    try:
        for service in ALL_SERVICES:
            urls[service] = f"{DATABASE_SERVER}/{RUN_ID}_{service}"
            upgrade(service, urls[service])
        yield urls
    finally:
        for url in urls.values():
            drop_database(url)


@contextmanager
def s3_endpoint() -> Iterator[dict[str, str]]:
    """A quiet moto_server on a free port; yields the S3 settings, named as in config.yaml."""
    port = free_port()
    server = subprocess.Popen(
        [str(BIN / "moto_server"), "-H", HOST, "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        wait_until(lambda: reachable(HOST, port), 30, "moto_server")
        settings = {
            "S3_ENDPOINT_URL": f"http://{HOST}:{port}",
            "S3_REGION": "eu-north-1",
            "S3_ACCESS_KEY": "bench",
            "S3_SECRET_KEY": "bench-secret",
            "S3_BUCKET": RUN_ID.replace("_", "-"),
        }
        ensure_bucket(settings)
        yield settings
    finally:
        stop_all([server])


def stack_environment(
    amqp_uri: str, database_urls: dict[str, str], s3: dict[str, str], gateway_address: str
) -> dict[str, str]:
    """What each service's and the gateway's config.yaml reads, pointed at this run's servers.

    Quiet unless something goes wrong: no access log, and not the two warnings `nameko run`
    gives on every start (eventlet's deprecation, pkg_resources').
    """
    env = dict(
        os.environ,
        PSYCOPG_WAIT_FUNC="wait_select",
        LOG_LEVEL="WARNING",
        PYTHONWARNINGS=NAMEKO_CLI_WARNINGS,
        AMQP_URI=amqp_uri,
        GATEWAY_ADDRESS=gateway_address,
        **s3,
    )
    for service, url in database_urls.items():
        env[f"{service.upper()}_DATABASE_URL"] = url
    return env


@contextmanager
def running_stack(env: dict[str, str], healthz_url: str) -> Iterator[None]:
    """The five services and the gateway as `nameko run` processes, until `/healthz` answers."""
    processes = []
    try:
        for service, class_path in SERVICE_CLASSES.items():
            processes.append(nameko_run(service, class_path, env))
        processes.append(nameko_run("gateway", GATEWAY_CLASS, env))

        def ready() -> bool:
            if any(process.poll() is not None for process in processes):
                raise SystemExit("a service stopped while starting; its output is above")
            return healthz_ok(healthz_url)

        wait_until(ready, 60, "the gateway's /healthz")
        yield
    finally:
        stop_all(processes)


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


def ignore_ctrl_c() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def out_of_ctrl_c_reach(measurement: Callable[[str], list[float]], amqp_uri: str) -> list[float]:
    """Runs an AMQP measurement in a process Ctrl-C does not interrupt.

    Interrupted in the middle of reading a frame, an AMQP client is left out of step with its
    socket, and closing the connection then waits forever. On Ctrl-C the measurement, which
    takes seconds, finishes; then everything is stopped.
    """
    with ProcessPoolExecutor(1, initializer=ignore_ctrl_c) as pool:
        return pool.submit(measurement, amqp_uri).result()


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


def keep_requesting(url: str, deadline: float) -> tuple[list[float], int]:
    """One keep-alive client: the milliseconds of each request until `deadline`, and failures."""
    target = urlsplit(url)
    connection = http.client.HTTPConnection(target.hostname, target.port, timeout=10)
    samples, failed = [], 0
    while time.monotonic() < deadline:
        started = time.perf_counter()
        try:
            connection.request("GET", target.path)
            response = connection.getresponse()
            response.read()
            failed += response.status != 200
        except (OSError, http.client.HTTPException):
            connection.close()
            failed += 1
        samples.append((time.perf_counter() - started) * 1000)
    connection.close()
    return samples, failed


def load_with_threads(url: str) -> Row:
    """Where wrk is not installed: Python clients in threads, which saturate sooner than wrk."""
    started = time.monotonic()
    deadline = started + LOAD_SECONDS
    with ThreadPoolExecutor(LOAD_CONNECTIONS) as pool:
        clients = [pool.submit(keep_requesting, url, deadline) for _ in range(LOAD_CONNECTIONS)]
        results = [client.result() for client in clients]
    elapsed = time.monotonic() - started
    samples = [sample for client_samples, _ in results for sample in client_samples]
    failed = sum(client_failed for _, client_failed in results)
    return Row(
        f"GET /healthz (threads, {LOAD_CONNECTIONS} connections, {LOAD_SECONDS} s)",
        *median_and_p95(samples),
        len(samples) / elapsed,
        f"{failed} of {len(samples)} failed or not 200",
    )


def print_table(rows: list[Row], load_before: float) -> None:
    print()
    print(
        f"Valmennuskalenteri baseline, {datetime.now().astimezone():%Y-%m-%d %H:%M %Z}: "
        f"{os.cpu_count()} CPUs, Python {platform.python_version()}, "
        f"load average {load_before:.2f} before the run"
    )
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
    ensure_server("PostgreSQL", HOST, 5432)
    ensure_server("RabbitMQ", HOST, 5672)
    gateway_address = f"{HOST}:{free_port()}"
    healthz_url = f"http://{gateway_address}/healthz"
    with ExitStack() as resources:
        amqp_uri = resources.enter_context(rabbitmq_vhost())
        print("migrating a database per service")
        database_urls = resources.enter_context(service_databases())
        s3 = resources.enter_context(s3_endpoint())
        env = stack_environment(amqp_uri, database_urls, s3, gateway_address)
        resources.enter_context(running_stack(env, healthz_url))
        rows = measure(amqp_uri, healthz_url)
    print_table(rows, load_before)


def main() -> int:
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    try:
        run()
    except KeyboardInterrupt:
        print("interrupted; everything the benchmark started is stopped and removed")
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
