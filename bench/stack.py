"""What every benchmark shares: an isolated stack of its own, and clients to load it with.

`isolated_stack()` starts everything a run uses, so other users of the machine are left alone: a
RabbitMQ vhost, a migrated PostgreSQL database per service, a moto_server S3 endpoint, an SMTP
sink, and the five services and the gateway as real `nameko run` processes on free ports. All of
it is removed at the end, also on errors and Ctrl-C (`benchmark_main` turns SIGTERM into the same
clean exit).

The clients are plain `http.client` connections in threads, each one caller making requests one
after another, as a browser or an API client does. Benchmarks print figures and assert nothing
about time, since the figures depend on the machine; `machine_description` says which machine.
"""

import http.client
import itertools
import json
import math
import os
import platform
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

from nameko.standalone.rpc import ClusterRpcProxy

from deploy import QUIET_WARNINGS
from deploy.catalog import GATEWAY_CLASS, SERVICE_CLASSES
from deploy.local import BIN, ensure_server, healthz_ok, nameko_run, reachable, stop_all, wait_until
from gateway.cookies import SESSION_COOKIE
from services.contracts.names import ALL_SERVICES
from services.infra.config import ROOT
from services.infra.migrations import drop_database, upgrade
from services.infra.storage import ensure_bucket

RUN_ID = f"bench_{uuid.uuid4().hex[:8]}"
STACK_NUMBERS = itertools.count(1)
HOST = "127.0.0.1"
AMQP_SERVER = f"amqp://guest:guest@{HOST}:5672"
DATABASE_SERVER = f"postgresql+psycopg://postgres@{HOST}:5432"
REQUEST_TIMEOUT_SECONDS = 30
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class Stack:
    url: str
    amqp_uri: str
    processes: dict[str, subprocess.Popen]
    database_urls: dict[str, str] = field(default_factory=dict)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def quiet_process(args: list[str]) -> subprocess.Popen:
    return subprocess.Popen(
        args,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def rabbitmqctl(*args: str) -> None:
    subprocess.run(["rabbitmqctl", "-q", *args], check=True, capture_output=True)


@contextmanager
def rabbitmq_vhost(stack_id: str) -> Iterator[str]:
    """Yields the AMQP URI of a vhost of this stack's own."""
    rabbitmqctl("add_vhost", stack_id)
    try:
        rabbitmqctl("set_permissions", "-p", stack_id, "guest", ".*", ".*", ".*")
        yield f"{AMQP_SERVER}/{quote(stack_id, safe='')}"
    finally:
        rabbitmqctl("delete_vhost", stack_id)


@contextmanager
def service_databases(stack_id: str) -> Iterator[dict[str, str]]:
    """Each service's own migrated database: `/healthz` reaches every one of them."""
    urls = {}
    try:
        for service in ALL_SERVICES:
            urls[service] = f"{DATABASE_SERVER}/{stack_id}_{service}"
            upgrade(service, urls[service])
        yield urls
    finally:
        for url in urls.values():
            drop_database(url)


@contextmanager
def s3_endpoint(stack_id: str) -> Iterator[dict[str, str]]:
    """A quiet moto_server on a free port; yields the S3 settings, named as in config.yaml."""
    port = free_port()
    server = quiet_process([str(BIN / "moto_server"), "-H", HOST, "-p", str(port)])
    try:
        wait_until(lambda: reachable(HOST, port), 30, "moto_server")
        settings = {
            "S3_ENDPOINT_URL": f"http://{HOST}:{port}",
            "S3_REGION": "eu-north-1",
            "S3_ACCESS_KEY": "bench",
            "S3_SECRET_KEY": "bench-secret",
            "S3_BUCKET": stack_id.replace("_", "-"),
        }
        ensure_bucket(settings)
        yield settings
    finally:
        stop_all([server])


@contextmanager
def smtp_sink() -> Iterator[dict[str, str]]:
    """An SMTP sink of this run's own, so booking mails reach neither a real server nor the
    sink of a `make run` on this machine; the mails go with its temporary directory."""
    port = free_port()
    with tempfile.TemporaryDirectory(prefix=f"{RUN_ID}_mail_") as directory:
        sink_args = ["--host", HOST, "--port", str(port), "--dir", directory]
        sink = quiet_process([sys.executable, "-m", "deploy.smtp_sink", *sink_args])
        try:
            wait_until(lambda: reachable(HOST, port), 30, "the SMTP sink")
            yield {"SMTP_HOST": HOST, "SMTP_PORT": str(port)}
        finally:
            stop_all([sink])


def stack_environment(database_urls: dict[str, str], settings: dict[str, str]) -> dict[str, str]:
    """What each service's and the gateway's config.yaml reads, pointed at this run's servers.

    Quiet unless something goes wrong: no access log, and not the two warnings `nameko run`
    gives on every start (eventlet's deprecation, pkg_resources').
    """
    env = dict(
        os.environ,
        PSYCOPG_WAIT_FUNC="wait_select",
        LOG_LEVEL="WARNING",
        PYTHONWARNINGS=QUIET_WARNINGS,
        **settings,
    )
    for service, url in database_urls.items():
        env[f"{service.upper()}_DATABASE_URL"] = url
    return env


@contextmanager
def running_stack(env: dict[str, str], healthz_url: str) -> Iterator[dict[str, subprocess.Popen]]:
    """The five services and the gateway as `nameko run` processes, by name, once `/healthz`
    answers."""
    processes = {}
    try:
        for service, class_path in SERVICE_CLASSES.items():
            processes[service] = nameko_run(service, class_path, env)
        processes["gateway"] = nameko_run("gateway", GATEWAY_CLASS, env)

        def ready() -> bool:
            if any(process.poll() is not None for process in processes.values()):
                raise SystemExit("a service stopped while starting; its output is above")
            return healthz_ok(healthz_url)

        wait_until(ready, 60, "the gateway's /healthz")
        yield processes
    finally:
        stop_all(list(processes.values()))


@contextmanager
def isolated_stack(**settings: str) -> Iterator[Stack]:
    """The whole system, on this run's own servers; `settings` are extra config variables.
    Several may run at once, each on servers of its own."""
    stack_id = f"{RUN_ID}_{next(STACK_NUMBERS)}"
    ensure_server("PostgreSQL", HOST, 5432)
    ensure_server("RabbitMQ", HOST, 5672)
    gateway_address = f"{HOST}:{free_port()}"
    url = f"http://{gateway_address}"
    with ExitStack() as resources:
        amqp_uri = resources.enter_context(rabbitmq_vhost(stack_id))
        print("migrating a database per service")
        database_urls = resources.enter_context(service_databases(stack_id))
        s3 = resources.enter_context(s3_endpoint(stack_id))
        smtp = resources.enter_context(smtp_sink())
        servers = dict(AMQP_URI=amqp_uri, GATEWAY_ADDRESS=gateway_address, **s3, **smtp)
        env = stack_environment(database_urls, {**servers, **settings})
        processes = resources.enter_context(running_stack(env, f"{url}/healthz"))
        yield Stack(url, amqp_uri, processes, database_urls)


def ignore_ctrl_c() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def out_of_ctrl_c_reach(work: Callable[..., Any], *args: Any) -> Any:
    """Runs AMQP client work in a process Ctrl-C does not interrupt.

    Interrupted in the middle of reading a frame, an AMQP client is left out of step with its
    socket, and closing the connection then waits forever. On Ctrl-C the work, which takes
    seconds, finishes; then everything is stopped.
    """
    with ProcessPoolExecutor(1, initializer=ignore_ctrl_c) as pool:
        return pool.submit(work, *args).result()


def benchmark_main(run: Callable[[], None]) -> int:
    """Runs a benchmark so that SIGTERM and Ctrl-C still stop and remove what it started."""
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    try:
        run()
    except KeyboardInterrupt:
        print("interrupted; everything the benchmark started is stopped and removed")
        return 130
    return 0


def machine_description(title: str, load_before: float) -> str:
    return (
        f"{title}, {datetime.now().astimezone():%Y-%m-%d %H:%M %Z}: "
        f"{os.cpu_count()} CPUs, Python {platform.python_version()}, "
        f"load average {load_before:.2f} before the run"
    )


def process_cpu_seconds(pid: int) -> float:
    """User and system CPU time of a process, all its threads included (Linux's /proc)."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def machine_cpu_seconds() -> float:
    """The time all cores together spent busy since boot, whoever used them."""
    with open("/proc/stat") as stat:
        times = [int(value) for value in stat.readline().split()[1:]]
    idle, iowait = times[3], times[4]
    return (sum(times) - idle - iowait) / CLOCK_TICKS


@contextmanager
def cpu_use(stack: Stack) -> Iterator[dict[str, float]]:
    """Fills the dict it yields with the cores each service used meanwhile, and `machine` with
    the machine's busy cores: the services, PostgreSQL, RabbitMQ, the bench's clients and anyone
    else on the machine. Shows where the CPU goes, the bottleneck on a machine this small."""
    use: dict[str, float] = {}
    started, machine = time.monotonic(), machine_cpu_seconds()
    processes = {name: process.pid for name, process in stack.processes.items()}
    before = {name: process_cpu_seconds(pid) for name, pid in processes.items()}
    yield use
    seconds = time.monotonic() - started
    use["machine"] = (machine_cpu_seconds() - machine) / seconds
    for name, pid in processes.items():
        use[name] = (process_cpu_seconds(pid) - before[name]) / seconds


@dataclass(frozen=True)
class Reply:
    """One request as a client saw it; `status` 0 when the connection failed."""

    status: int
    body: Any
    set_cookies: dict[str, str]
    ms: float
    size: int = 0


class Client:
    """One keep-alive connection to the gateway, used by one thread at a time."""

    def __init__(self, url: str, headers: dict[str, str] | None = None):
        target = urlsplit(url)
        self.connection = http.client.HTTPConnection(
            target.hostname, target.port, timeout=REQUEST_TIMEOUT_SECONDS
        )
        self.headers = headers or {}

    def __enter__(self) -> "Client":
        return self

    def __exit__(self, *exc_info) -> None:
        self.connection.close()

    def request(
        self,
        method: str,
        path: str,
        json_body: Any = None,
        headers: dict[str, str] | None = None,
        data: bytes | None = None,
        params: dict[str, str] | None = None,
    ) -> Reply:
        headers = {**self.headers, **(headers or {})}
        if json_body is not None:
            data = json.dumps(json_body).encode()
            headers["Content-Type"] = "application/json"
        if params:
            path = f"{path}?{urlencode(params)}"
        started = time.perf_counter()
        try:
            self.connection.request(method, path, body=data, headers=headers)
            response = self.connection.getresponse()
            raw = response.read()
        except (OSError, http.client.HTTPException):
            self.connection.close()  # the next request opens a new connection
            return Reply(0, None, {}, (time.perf_counter() - started) * 1000)
        ms = (time.perf_counter() - started) * 1000
        is_json = "json" in response.getheader("Content-Type", "")
        body = json.loads(raw) if raw and is_json else None
        return Reply(response.status, body, cookies_set_by(response), ms, len(raw))

    def expect(self, status: int, method: str, path: str, **kwargs: Any) -> Any:
        """A setup request, which must succeed for the measurement to mean anything."""
        reply = self.request(method, path, **kwargs)
        if reply.status != status:
            raise SystemExit(f"setup failed: {method} {path} gave {reply.status}: {reply.body}")
        return reply.body


def cookies_set_by(response: http.client.HTTPResponse) -> dict[str, str]:
    jar = SimpleCookie()
    for header in response.headers.get_all("Set-Cookie") or []:
        jar.load(header)
    return {name: morsel.value for name, morsel in jar.items()}


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def log_in(client: Client, username: str, password: str) -> str:
    """The session token; the gateway sends it only as the session cookie."""
    body = {"username": username, "password": password, "remember_me": False}
    reply = client.request("POST", "/api/session", json_body=body)
    if reply.status != 200:
        raise SystemExit(f"setup failed: logging in {username} gave {reply.status}: {reply.body}")
    return reply.set_cookies[SESSION_COOKIE]


def create_admin(amqp_uri: str, username: str, password: str) -> None:
    with ClusterRpcProxy({"AMQP_URI": amqp_uri}, timeout=30) as rpc:
        rpc.accounts.create_admin(username, password)


def admin_headers(stack: Stack) -> dict[str, str]:
    """An admin made by RPC, as `valmennus create-admin` does, logged in through the gateway."""
    username, password = f"bench.admin{secrets.randbelow(10**6)}", secrets.token_urlsafe(16)
    out_of_ctrl_c_reach(create_admin, stack.amqp_uri, username, password)
    with Client(stack.url) as client:
        return bearer(log_in(client, username, password))


Loop = Callable[[float, threading.Event], list[Reply]]


def repeatedly(call: Callable[[], Reply | None], every: float = 0.0) -> Loop:
    """A client's loop: `call` until the deadline, a stop, or `call` has nothing left to do
    (returns None). With `every`, calls start that many seconds apart: a light, steady probe
    rather than one more client pushing as hard as it can."""

    def loop(deadline: float, stop: threading.Event) -> list[Reply]:
        replies: list[Reply] = []
        next_start = time.monotonic()
        while not stop.is_set() and time.monotonic() < deadline:
            reply = call()
            if reply is None:
                break
            replies.append(reply)
            next_start += every
            stop.wait(max(0.0, next_start - time.monotonic()))
        return replies

    return loop


def run_concurrently(loops: list[Loop], seconds: float) -> tuple[float, list[list[Reply]]]:
    """Each loop in a thread of its own for `seconds`; the time taken and each loop's replies.

    On Ctrl-C the loops are told to stop; each finishes the request it is waiting for.
    """
    stop = threading.Event()
    started = time.monotonic()
    with ThreadPoolExecutor(len(loops)) as pool:
        futures = [pool.submit(loop, started + seconds, stop) for loop in loops]
        try:
            results = [future.result() for future in futures]
        except BaseException:
            stop.set()
            raise
    return time.monotonic() - started, results


@dataclass(frozen=True)
class LoadRow:
    measurement: str
    replies: list[Reply]
    seconds: float
    ok_status: int = 200
    cpu: dict[str, float] = field(default_factory=dict)
    calls: dict[str, float] = field(default_factory=dict)
    idle: dict[str, float] = field(default_factory=dict)

    @property
    def answered(self) -> int:
        return sum(reply.status == self.ok_status for reply in self.replies)

    @property
    def per_second(self) -> float:
        return self.answered / self.seconds

    def cpu_ms_per_answer(self, net: bool = False) -> dict[str, float]:
        """Each process's CPU time per successful answer: unlike the rate, it hardly moves with
        what else the machine runs, since time spent waiting for a core is not counted. `net`
        leaves out what the process uses with no requests at all (`idle`: timers, polling), which
        otherwise weighs more on each answer the fewer answers there are."""
        if not self.answered:
            return {}
        return {
            name: max(0.0, cores - (self.idle.get(name, 0.0) if net else 0.0))
            * self.seconds
            * 1000
            / self.answered
            for name, cores in self.cpu.items()
            if name != "machine"
        }

    def calls_per_answer(self) -> dict[str, float]:
        return (
            {name: count / self.answered for name, count in self.calls.items()}
            if self.answered
            else {}
        )

    def percentiles(self) -> tuple[float, float, float]:
        """p50, p95 and p99 over every request, whatever its answer."""
        samples = [reply.ms for reply in self.replies]
        if len(samples) < 2:
            return (math.nan,) * 3
        cuts = statistics.quantiles(samples, n=100, method="inclusive")
        return cuts[49], cuts[94], cuts[98]

    def statuses(self) -> str:
        counts = Counter(reply.status for reply in self.replies)
        return ", ".join(f"{count}×{status}" for status, count in sorted(counts.items()))


def print_load_rows(rows: list[LoadRow]) -> None:
    header = f"{'measurement':<64} {'per s':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}  answers"
    print(header)
    print("-" * len(header))
    for row in rows:
        p50, p95, p99 = row.percentiles()
        print(
            f"{row.measurement:<64} {row.per_second:>7,.1f} {p50:>8.1f} {p95:>8.1f} {p99:>8.1f}"
            f"  {row.statuses()}"
        )
        if row.cpu:
            print(f"    CPU meanwhile, in cores: {cpu_shares(row.cpu)}")
            print(f"    CPU per answer: {cpu_per_answer(row)}")
        if row.calls:
            print(f"    per answer: {calls_per_answer(row.calls_per_answer())}")


def cpu_shares(cpu: dict[str, float]) -> str:
    services = sorted(
        ((name, cores) for name, cores in cpu.items() if name != "machine"), key=lambda s: -s[1]
    )
    used = ", ".join(f"{name} {cores:.2f}" for name, cores in services if cores >= 0.01)
    return f"{cpu['machine']:.2f} busy on the machine; {used}"


def cpu_per_answer(row: LoadRow) -> str:
    gross, net = row.cpu_ms_per_answer(), row.cpu_ms_per_answer(net=True)
    if not gross:
        return "no answers"
    ranked = sorted(net.items() if row.idle else gross.items(), key=lambda item: -item[1])
    each = ", ".join(f"{name} {ms:.1f}" for name, ms in ranked if ms >= 0.05)
    if not row.idle:
        return f"{sum(gross.values()):.1f} ms in all; {each}"
    return f"{sum(gross.values()):.1f} ms in all, {sum(net.values()):.1f} net of idle; net {each}"


def idle_cpu(stack: Stack, seconds: float) -> dict[str, float]:
    """The cores each process uses while no requests come: its timers and polling."""
    with cpu_use(stack) as cpu:
        time.sleep(seconds)
    return {name: cores for name, cores in cpu.items() if name != "machine"}


def quiet(stack: Stack, idle: dict[str, float], within: float = 60.0) -> float:
    """Wait, at most `within` seconds, until the processes use no more than their `idle` cores
    and a tenth of a core besides, and the whole machine a quarter of a core: work that requests
    left queued (mails sent on a timer, events handled, PostgreSQL's autovacuum after many
    inserts) is done. Returns the seconds waited."""
    started = time.monotonic()
    while time.monotonic() - started < within:
        with cpu_use(stack) as busy:
            time.sleep(1.0)
        services = sum(cores for name, cores in busy.items() if name != "machine")
        if services <= sum(idle.values()) + 0.1 and busy["machine"] <= 0.25:
            break
    return time.monotonic() - started


def print_idle(idle: dict[str, float]) -> None:
    each = ", ".join(f"{name} {cores * 1000:.1f}" for name, cores in idle.items())
    print(
        f"    CPU with no requests, ms per second: {sum(idle.values()) * 1000:.1f} in all; {each}"
    )


def calls_per_answer(calls: dict[str, float]) -> str:
    """RPC calls and event handlings per answer, in all and by entrypoint."""
    parts = []
    for kind in ("rpc", "event"):
        mine = {name.split(" ", 1)[1]: n for name, n in calls.items() if name.startswith(kind)}
        each = ", ".join(f"{name} {n:.2f}" for name, n in sorted(mine.items()) if n >= 0.005)
        parts.append(f"{sum(mine.values()):.2f} {kind} ({each})")
    return "; ".join(parts)
