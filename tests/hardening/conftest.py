"""The hardening tests' system of real processes, one for the whole package."""

import pytest

from tests.hardening.system import running_system, servers_of


@pytest.fixture(scope="package")
def hardening_system(database_url, s3_config, smtp_config, base_config, tmp_path_factory):
    """Behind a trusted proxy: each test client comes from an address of its own."""
    servers = dict(servers_of(s3_config, smtp_config, base_config), TRUST_PROXY_HEADERS="true")
    log_dir = tmp_path_factory.mktemp("hardening-logs")
    with running_system("hardening", database_url, servers, log_dir) as system:
        yield system
