"""The whole system as real processes, started the way `make run` starts them."""

import os

import pytest

from deploy.catalog import GATEWAY_CLASS, SERVICE_CLASSES
from deploy.local import healthz_ok, nameko_run, stop_all
from services.contracts.names import ALL_SERVICES
from services.infra.migrations import upgrade
from tests.conftest import free_port, rabbitmq_vhost, wait_for


@pytest.fixture(scope="session")
def system_amqp_uri():
    """The processes get a vhost of their own, so they never answer the in-process tests' RPCs."""
    with rabbitmq_vhost("processes") as uri:
        yield uri


@pytest.fixture(scope="session")
def system_databases(database_url):
    """The processes' own databases, so their timers never pick up the in-process tests' work."""
    urls = {}
    for service in ALL_SERVICES:
        urls[service] = database_url(f"processes_{service}")
        upgrade(service, urls[service])
    return urls


@pytest.fixture(scope="session")
def system_env(base_config, system_amqp_uri, system_databases, s3_config, smtp_config):
    port = free_port()
    env = dict(
        os.environ,
        AMQP_URI=system_amqp_uri,
        GATEWAY_ADDRESS=f"127.0.0.1:{port}",
        HEALTH_TIMEOUT_SECONDS="1",
        EVENT_RETRY_DELAYS_MS=base_config["EVENT_RETRY_DELAYS_MS"],
        LOG_LEVEL="WARNING",
        PYTHONWARNINGS="ignore",
        TRUST_PROXY_HEADERS="true",
        **s3_config,
        **{name: str(value) for name, value in smtp_config.items()},
    )
    for service, url in system_databases.items():
        env[f"{service.upper()}_DATABASE_URL"] = url
    return env


@pytest.fixture(scope="session")
def running_system(system_env):
    """Every service and the gateway as `nameko run` processes; yields them by name and the URL."""
    processes = {
        service: nameko_run(service, class_path, system_env)
        for service, class_path in SERVICE_CLASSES.items()
    }
    processes["gateway"] = nameko_run("gateway", GATEWAY_CLASS, system_env)
    url = f"http://{system_env['GATEWAY_ADDRESS']}"
    try:
        wait_for(lambda: healthz_ok(f"{url}/healthz"), seconds=60, interval=0.3)
        yield processes, url
    finally:
        stop_all(list(processes.values()))
