"""Real infrastructure for the tests, isolated from `make run`'s data.

Per test session: a RabbitMQ vhost of its own, fresh PostgreSQL databases with the real
migrations applied, a moto_server S3 endpoint with a fresh bucket, and an SMTP sink keeping
mails in a temporary directory; all removed afterwards. `start_service` runs a service on them
with the test's settable `clock`.
eventlet must patch the standard library before anything else is imported.

Every test gets one marker, by its path or by the fixtures it uses, so new tests get theirs
without saying: `e2e` (tests/e2e, hardening and fuzz: real processes), `integration` (a real
broker, database, S3 or SMTP sink) and `unit` (the rest, run in seconds by `make test-unit`).
tests/browser is not collected here: its tests run in a pytest invocation of their own, which
must not be monkey-patched, and tests/browser/conftest.py marks them `browser`.
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

from datetime import UTC, datetime

import pytest
import requests
from nameko.extensions import Entrypoint
from nameko.testing.utils import get_extension

from services.infra.clock import Clock, SettableClock
from services.infra.config import ROOT
from tests.containers import containers
from tests.servers import free_port as free_port  # also imported from here by tests
from tests.servers import fresh_databases, rabbitmq_vhost, s3_server, smtp_sink_server
from tests.servers import wait_for as wait_for  # also imported from here by tests
from tests.system import FAST_RETRIES_MS, migrated_databases

collect_ignore = ["browser"]
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
        "module_container_factory",
        "runner_factory",
        "web_session",
    }
)


def marker_for(item) -> str:
    folder = item.path.relative_to(ROOT / "tests").parts[0]
    if folder in SYSTEM_FOLDERS:
        return "e2e"
    if INFRASTRUCTURE_FIXTURES.intersection(item.fixturenames):
        return "integration"
    return "unit"


def pytest_collection_modifyitems(config, items):
    for item in items:
        item.add_marker(marker_for(item))


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
    with fresh_databases() as make:
        yield make


@pytest.fixture(scope="session")
def service_databases(database_url):
    """Every service's database, migrated with the real migrations."""
    return migrated_databases(database_url)


@pytest.fixture(scope="session")
def s3_config():
    with s3_server() as config:
        yield config


@pytest.fixture(scope="session")
def smtp_sink(tmp_path_factory):
    with smtp_sink_server(tmp_path_factory.mktemp("mail")) as sink:
        yield sink


@pytest.fixture(scope="session")
def smtp_config(smtp_sink):
    return smtp_sink.config


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
def container_factory():
    """Overrides nameko's fixture: the test's containers are killed without waiting out their
    consumers' one-second poll (`tests/containers.py`)."""
    with containers() as make:
        yield make


@pytest.fixture(scope="module")
def module_container_factory():
    """Containers a test module's tests share, killed when the module is done."""
    with containers() as make:
        yield make


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
