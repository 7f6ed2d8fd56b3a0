import pytest

from deploy.catalog import service_classes
from gateway.service import GatewayService
from tests.conftest import free_port


@pytest.fixture
def service_containers(container_factory, service_config):
    """Every service running in this process, on the test broker and databases."""
    containers = {}
    for service_cls in service_classes():
        container = container_factory(service_cls, service_config(service_cls.name))
        container.start()
        containers[service_cls.name] = container
    return containers


@pytest.fixture
def gateway_url(container_factory, base_config):
    port = free_port()
    container = container_factory(
        GatewayService, dict(base_config, WEB_SERVER_ADDRESS=f"127.0.0.1:{port}")
    )
    container.start()
    return f"http://127.0.0.1:{port}"
