"""A whole system of real processes for the hardening and fuzz tests, reached only through
relays the tests own: cutting a relay takes the broker or the database away from the processes
under test and from nobody else. Each process writes its log into a file the tests read; each
service keeps at most a few database connections, since the machine's PostgreSQL is shared."""

import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import requests

from deploy.catalog import GATEWAY_CLASS, SERVICE_CLASSES
from deploy.local import BIN, stop_all
from services.contracts.names import ALL_SERVICES
from services.infra.config import ROOT, config_path
from services.infra.migrations import upgrade
from tests.conftest import free_port, rabbitmq_vhost, wait_for
from tests.hardening.relay import TcpRelay

RPC_TIMEOUT_SECONDS = 5
CLASS_PATHS = {**SERVICE_CLASSES, "gateway": GATEWAY_CLASS}


def through(url: str, relay: TcpRelay) -> str:
    """`url` with its host and port replaced by the relay's."""
    parts = urlsplit(url)
    credentials = parts.netloc.rpartition("@")[0]
    netloc = f"{credentials}@127.0.0.1:{relay.port}" if credentials else f"127.0.0.1:{relay.port}"
    return urlunsplit(parts._replace(netloc=netloc))


def server_of(url: str, default_port: int) -> tuple[str, int]:
    parts = urlsplit(url.replace("postgresql+psycopg", "postgresql"))
    return parts.hostname or "127.0.0.1", parts.port or default_port


def start_component(component: str, env: dict, log_file: Path) -> subprocess.Popen:
    """`nameko run` of a service or the gateway, its output appended to `log_file`."""
    args = [str(BIN / "nameko"), "run", "--config", str(config_path(component))]
    with open(log_file, "ab") as log:
        return subprocess.Popen(
            [*args, CLASS_PATHS[component]],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def answers(url: str) -> int | None:
    """The status `url` answers with, or None when nothing answers."""
    try:
        return requests.get(url, timeout=5).status_code
    except requests.RequestException:
        return None


@dataclass
class System:
    url: str
    amqp_uri: str
    env: dict
    log_dir: Path
    broker: TcpRelay
    database: TcpRelay
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)

    def log_text(self) -> str:
        return "\n".join(
            path.read_text(errors="replace") for path in sorted(self.log_dir.glob("*.log"))
        )

    @contextmanager
    def gateway(self, name: str, **settings) -> Iterator[tuple[subprocess.Popen, str]]:
        """One more gateway process on this system, with settings of its own."""
        address = f"127.0.0.1:{free_port()}"
        env = dict(self.env, GATEWAY_ADDRESS=address, **{k: str(v) for k, v in settings.items()})
        process = start_component("gateway", env, self.log_dir / f"{name}.log")
        url = f"http://{address}"
        try:
            wait_for(lambda: answers(f"{url}/healthz") == 200, seconds=60, interval=0.3)
            yield process, url
        finally:
            stop_all([process])


@contextmanager
def running_system(name: str, database_url, servers: dict, log_dir: Path) -> Iterator[System]:
    """The five services and the gateway as processes, on databases and a vhost named `name`,
    reaching the broker and PostgreSQL through relays of their own. `servers` holds the test
    session's S3 and SMTP settings and the event retry delays."""
    urls = {service: database_url(f"{name}_{service}") for service in ALL_SERVICES}
    for service, url in urls.items():
        upgrade(service, url)
    with rabbitmq_vhost(name) as amqp_uri:
        broker = TcpRelay(server_of(amqp_uri, 5672)).start()
        database = TcpRelay(server_of(next(iter(urls.values())), 5432)).start()
        env = dict(
            os.environ,
            AMQP_URI=through(amqp_uri, broker),
            GATEWAY_ADDRESS=f"127.0.0.1:{free_port()}",
            HEALTH_TIMEOUT_SECONDS="1",
            RPC_TIMEOUT_SECONDS=str(RPC_TIMEOUT_SECONDS),
            DATABASE_POOL_SIZE="1",
            LOG_LEVEL="INFO",
            PYTHONWARNINGS="ignore",
            **{key: str(value) for key, value in servers.items()},
        )
        for service, url in urls.items():
            env[f"{service.upper()}_DATABASE_URL"] = through(url, database)
        system = System(
            f"http://{env['GATEWAY_ADDRESS']}", amqp_uri, env, log_dir, broker, database
        )
        try:
            for component in CLASS_PATHS:
                log_file = log_dir / f"{component}.log"
                system.processes[component] = start_component(component, env, log_file)
            wait_for(lambda: answers(f"{system.url}/healthz") == 200, seconds=90, interval=0.3)
            yield system
        finally:
            stop_all(list(system.processes.values()))
            broker.cut()
            database.cut()


def servers_of(s3_config: dict, smtp_config: dict, base_config: dict) -> dict:
    """The test session's S3 and SMTP servers and event retry delays, as settings."""
    return {
        **s3_config,
        **smtp_config,
        "EVENT_RETRY_DELAYS_MS": base_config["EVENT_RETRY_DELAYS_MS"],
    }
