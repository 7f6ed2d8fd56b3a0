"""The whole system as real processes, started the way `make run` starts them, on the test
servers of tests/servers.py: the end-to-end tests' and the browser tests' system."""

import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager

from deploy.catalog import GATEWAY_CLASS, SERVICE_CLASSES
from deploy.local import healthz_ok, nameko_run, stop_all
from services.contracts.names import ALL_SERVICES
from services.infra.migrations import upgrade
from tests.servers import free_port, wait_for

FAST_RETRIES_MS = "200,400"


def migrated_databases(make_url, prefix: str = "") -> dict[str, str]:
    """A new database for every service, named `prefix` + service, with the real migrations."""
    urls = {}
    for service in ALL_SERVICES:
        urls[service] = make_url(f"{prefix}{service}")
        upgrade(service, urls[service])
    return urls


def process_env(amqp_uri: str, databases: dict[str, str], servers: dict, **settings) -> dict:
    """The environment of the system's processes: this process's, pointed at the test vhost,
    databases and `servers` (S3 and SMTP settings), the gateway on a free port, the links in
    mails pointing at it.

    Each process keeps two idle database connections instead of ten: several whole systems run
    at once and PostgreSQL's connection limit (100 by default) is shared.
    """
    address = f"127.0.0.1:{free_port()}"
    env = dict(
        os.environ,
        AMQP_URI=amqp_uri,
        GATEWAY_ADDRESS=address,
        BOOKING_LINK_BASE_URL=f"http://{address}",
        REPORT_LINK_BASE_URL=f"http://{address}",
        ACCOUNT_LINK_BASE_URL=f"http://{address}",
        HEALTH_TIMEOUT_SECONDS="1",
        EVENT_RETRY_DELAYS_MS=FAST_RETRIES_MS,
        DATABASE_POOL_SIZE="2",
        PSYCOPG_WAIT_FUNC="wait_select",
        LOG_LEVEL="WARNING",
        PYTHONWARNINGS="ignore",
        **{name: str(value) for name, value in {**servers, **settings}.items()},
    )
    for service, url in databases.items():
        env[f"{service.upper()}_DATABASE_URL"] = url
    return env


@contextmanager
def running_processes(env: dict) -> Iterator[tuple[dict[str, subprocess.Popen], str]]:
    """Every service and the gateway as `nameko run` processes; yields them by name and the
    gateway's URL once `/healthz` answers, and stops them all afterwards."""
    processes = {
        service: nameko_run(service, class_path, env)
        for service, class_path in SERVICE_CLASSES.items()
    }
    processes["gateway"] = nameko_run("gateway", GATEWAY_CLASS, env)
    url = f"http://{env['GATEWAY_ADDRESS']}"
    try:
        wait_for(lambda: healthz_ok(f"{url}/healthz"), seconds=60, interval=0.3)
        yield processes, url
    finally:
        stop_all(list(processes.values()))
