"""The whole system as real processes, started the way `make run` starts them."""

import pytest

from tests.servers import rabbitmq_vhost
from tests.system import migrated_databases, process_env, running_processes


@pytest.fixture(scope="package")
def system_amqp_uri():
    """The processes get a vhost of their own, so they never answer the in-process tests' RPCs."""
    with rabbitmq_vhost("processes") as uri:
        yield uri


@pytest.fixture(scope="package")
def system_databases(database_url):
    """The processes' own databases, so their timers never pick up the in-process tests' work."""
    return migrated_databases(database_url, prefix="processes_")


@pytest.fixture(scope="package")
def system_env(system_amqp_uri, system_databases, s3_config, smtp_config):
    servers = {**s3_config, **smtp_config}
    return process_env(system_amqp_uri, system_databases, servers, TRUST_PROXY_HEADERS="true")


@pytest.fixture(scope="package")
def running_system(system_env):
    """Every service and the gateway as `nameko run` processes; yields them by name and the URL."""
    with running_processes(system_env) as system:
        yield system
