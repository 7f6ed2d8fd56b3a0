"""Real infrastructure for the tests, isolated from `make run`'s data.

Per test session: a RabbitMQ vhost of its own, fresh PostgreSQL databases with the real
migrations applied, a moto_server S3 endpoint with a fresh bucket, and an SMTP sink keeping
mails in a temporary directory; all removed afterwards. `start_service` runs a service on them
with the test's settable `clock`.
eventlet must patch the standard library before anything else is imported.

Every test gets one marker, by its path or by the fixtures it uses, so new tests get theirs
without saying: `browser` (tests/browser, run by their own pytest invocation), `e2e`
(tests/e2e, hardening and fuzz: real processes), `integration` (a real broker, database, S3
or SMTP sink) and `unit` (the rest, run in seconds by `make test-unit`).
"""

import warnings

warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated")

import eventlet

eventlet.monkey_patch()

import os

os.environ.setdefault("PSYCOPG_WAIT_FUNC", "wait_select")
# Processes the tests start keep two idle database connections each instead of ten: several
# whole systems run at once and PostgreSQL's connection limit (100 by default) is shared.
os.environ.setdefault("DATABASE_POOL_SIZE", "2")

import socket
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from urllib.parse import quote

import pytest
import requests
from nameko.extensions import Entrypoint
from nameko.testing.utils import get_extension

from services.contracts.names import ALL_SERVICES
from services.infra.clock import Clock, SettableClock
from services.infra.config import ROOT
from services.infra.migrations import drop_database, upgrade
from services.infra.storage import ensure_bucket

RUN_ID = f"vt{os.getpid()}{uuid.uuid4().hex[:6]}"
DATABASE_SERVER = os.environ.get(
    "TEST_DATABASE_SERVER", "postgresql+psycopg://postgres@127.0.0.1:5432"
)
AMQP_SERVER = os.environ.get("TEST_AMQP_SERVER", "amqp://guest:guest@127.0.0.1:5672")
BIN = Path(sys.executable).parent
FAST_RETRIES_MS = "200,400"
CLOCK_START = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
SYSTEM_FOLDERS = ("e2e", "hardening", "fuzz")
INFRASTRUCTURE_FIXTURES = frozenset(
    {
        "amqp_uri",
        "rabbit_config",
        "database_url",
        "service_databases",
        "s3_config",
        "smtp_sink",
        "container_factory",
        "runner_factory",
        "web_session",
    }
)


def marker_for(item) -> str:
    folder = item.path.relative_to(ROOT / "tests").parts[0]
    if folder == "browser":
        return "browser"
    if folder in SYSTEM_FOLDERS:
        return "e2e"
    if INFRASTRUCTURE_FIXTURES.intersection(item.fixturenames):
        return "integration"
    return "unit"


def pytest_collection_modifyitems(config, items):
    for item in items:
        item.add_marker(marker_for(item))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def rabbitmqctl(*args: str) -> None:
    subprocess.run(["rabbitmqctl", "-q", *args], check=True, capture_output=True)


def wait_for(check, seconds: float = 10.0, interval: float = 0.05):
    """Poll `check` until it returns something truthy; fail after `seconds`."""
    deadline = time.monotonic() + seconds
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {seconds} s")
        eventlet.sleep(interval)


def run_now(container, method_name: str, *args):
    """Run one worker of the entrypoint `method_name` now and return its result.

    Unlike nameko's `entrypoint_hook`, which returns when *any* worker of the method finishes,
    this waits for its own worker, so it stays right while the method's timer fires or while
    several calls run at once on one container.
    """
    entrypoint = get_extension(container, Entrypoint, method_name=method_name)
    done = eventlet.event.Event()

    def handle_result(worker_ctx, result, exc_info):
        if exc_info is None:
            done.send(result)
        else:
            done.send_exception(exc_info[1])
        return result, exc_info

    container.spawn_worker(entrypoint, args, {}, handle_result=handle_result)
    with eventlet.Timeout(30):
        return done.wait()


@contextmanager
def rabbitmq_vhost(name: str):
    """A vhost of its own on the local RabbitMQ, deleted afterwards; yields its AMQP URI."""
    vhost = f"valmennus-{RUN_ID}-{name}"
    rabbitmqctl("add_vhost", vhost)
    rabbitmqctl("set_permissions", "-p", vhost, "guest", ".*", ".*", ".*")
    try:
        yield f"{AMQP_SERVER}/{quote(vhost, safe='')}"
    finally:
        rabbitmqctl("delete_vhost", vhost)


@pytest.fixture(scope="session")
def amqp_uri():
    with rabbitmq_vhost("in-process") as uri:
        yield uri


@pytest.fixture
def rabbit_config(amqp_uri):
    """Overrides nameko's fixture, which needs the management API."""
    return {"AMQP_URI": amqp_uri}


@pytest.fixture(scope="session")
def database_url():
    """Makes a fresh database for the session; dropped at the end."""
    created = []

    def make(name: str) -> str:
        url = f"{DATABASE_SERVER}/{RUN_ID}_{name}"
        created.append(url)
        return url

    yield make
    for url in created:
        drop_database(url)


@pytest.fixture(scope="session")
def service_databases(database_url):
    """Every service's database, migrated with the real migrations."""
    urls = {}
    for service in ALL_SERVICES:
        urls[service] = database_url(service)
        upgrade(service, urls[service])
    return urls


@pytest.fixture(scope="session")
def s3_config():
    port = free_port()
    server = subprocess.Popen(
        [str(BIN / "moto_server"), "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    config = {
        "S3_ENDPOINT_URL": f"http://127.0.0.1:{port}",
        "S3_REGION": "eu-north-1",
        "S3_ACCESS_KEY": "test",
        "S3_SECRET_KEY": "test-secret",
        "S3_BUCKET": f"valmennus-{RUN_ID}",
    }

    def answers():
        try:
            return requests.get(config["S3_ENDPOINT_URL"], timeout=1).status_code < 500
        except (requests.ConnectionError, requests.Timeout):
            return False

    wait_for(answers, seconds=30, interval=0.2)
    ensure_bucket(config)
    yield config
    server.terminate()
    server.wait(timeout=10)


@dataclass(frozen=True)
class SmtpSink:
    host: str
    port: int
    directory: Path

    def received(self, to: str | None = None) -> list[EmailMessage]:
        """The messages received so far, oldest first; only those addressed to `to` if given."""
        messages = [
            message_from_bytes(path.read_bytes(), policy=policy.default)
            for path in sorted(self.directory.glob("*.eml"))
        ]
        if to is None:
            return messages
        return [
            message
            for message in messages
            if any(address.addr_spec.lower() == to.lower() for address in message["To"].addresses)
        ]


@pytest.fixture(scope="session")
def smtp_sink(tmp_path_factory):
    sink = SmtpSink("127.0.0.1", free_port(), tmp_path_factory.mktemp("mail"))
    server = subprocess.Popen(
        [sys.executable, "-m", "deploy.smtp_sink", "--host", sink.host, "--port", str(sink.port)]
        + ["--dir", str(sink.directory)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
    )

    def answers():
        try:
            socket.create_connection((sink.host, sink.port), timeout=1).close()
            return True
        except OSError:
            return False

    wait_for(answers, seconds=30, interval=0.1)
    yield sink
    server.terminate()
    server.wait(timeout=10)


@pytest.fixture(scope="session")
def smtp_config(smtp_sink):
    return {"SMTP_HOST": smtp_sink.host, "SMTP_PORT": smtp_sink.port}


@pytest.fixture(scope="session")
def base_config(amqp_uri):
    return {
        "AMQP_URI": amqp_uri,
        "EVENT_RETRY_DELAYS_MS": FAST_RETRIES_MS,
        "OUTBOX_POLL_SECONDS": 0.5,
        "HEALTH_TIMEOUT_SECONDS": 1.0,
    }


@pytest.fixture(scope="session")
def service_config(base_config, service_databases, s3_config, smtp_config):
    """The config of a service as its config.yaml would give it, pointed at the test servers."""

    def config_of(service: str) -> dict:
        return dict(
            base_config, DATABASE_URL=service_databases[service], **s3_config, **smtp_config
        )

    return config_of


@pytest.fixture
def clock():
    """A clock that stands still until the test moves it; test folders may start it elsewhere."""
    return SettableClock(CLOCK_START)


@pytest.fixture
def start_service(container_factory, service_config, clock):
    """`start_service(ServiceClass, config=None)`: the service running on the test's servers
    (its config.yaml's settings unless `config` is given), reading the test's `clock`."""

    def start(service_cls, config: dict | None = None):
        container = container_factory(service_cls, config or service_config(service_cls.name))
        for dependency in container.dependencies:
            if isinstance(dependency, Clock):
                dependency.source = clock
        container.start()
        return container

    return start


@pytest.fixture
def web_session():
    """Overrides nameko's fixture, which imports a name Werkzeug 3 removed."""
    with requests.Session() as session:
        yield session
