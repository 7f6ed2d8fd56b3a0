import pytest

from tests.gateway.pages.page_client import PageClient


@pytest.fixture
def browser(service_containers, gateway_url):
    """A fresh browser's view of the site: no cookies yet."""
    return PageClient(gateway_url)
