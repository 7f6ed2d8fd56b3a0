from dataclasses import dataclass

import pytest
from nameko.standalone.rpc import ServiceRpcProxy

from deploy.catalog import service_classes
from gateway.service import GatewayService
from services.contracts.accounts import ADMIN, COACH, PRIVACY
from services.contracts.names import ACCOUNTS
from services.infra.clock import Clock
from tests.conftest import free_port
from tests.gateway.api_client import ApiClient, unique
from tests.gateway.booking_api import coachee_registration

PASSWORD = "Kahvia-ja-Pullaa-2027"


@dataclass(frozen=True)
class Person:
    account_id: str
    username: str
    password: str


def start_every_service(container_factory, service_config, clock=None, settings=None) -> dict:
    """Every service running in this process, on the test broker and databases: on `clock` (a
    test's `SettableClock`) when given, with `settings` ({service name: {key: value}}) over a
    service's config. A test module that moves time overrides `service_containers` with this."""
    containers = {}
    for service_cls in service_classes():
        config = {**service_config(service_cls.name), **(settings or {}).get(service_cls.name, {})}
        container = container_factory(service_cls, config)
        if clock is not None:
            next(d for d in container.dependencies if isinstance(d, Clock)).source = clock
        container.start()
        containers[service_cls.name] = container
    return containers


@pytest.fixture(scope="module")
def service_containers(module_container_factory, service_config):
    """Every service, shared by the module's tests: their data is their own (`unique`), and each
    client calls from an address of its own. A module whose tests move the services' clock,
    change their settings or stop one overrides this with a stack of its own per test."""
    return start_every_service(module_container_factory, service_config)


def start_gateway(container_factory, base_config, clock=None, **settings) -> str:
    """The gateway behind a trusted proxy: each test client logs in from an address of its own,
    because failed logins are counted per address in a database shared by the whole session.
    On `clock` when given, with `settings` over its config; answers its address."""
    port = free_port()
    config = dict(
        base_config, **settings, WEB_SERVER_ADDRESS=f"127.0.0.1:{port}", TRUST_PROXY_HEADERS=True
    )
    container = container_factory(GatewayService, config)
    if clock is not None:
        next(d for d in container.dependencies if isinstance(d, Clock)).source = clock
    container.start()
    return f"http://127.0.0.1:{port}"


@pytest.fixture(scope="module")
def gateway_url(module_container_factory, base_config):
    """The gateway the module's tests share (see `service_containers`)."""
    return start_gateway(module_container_factory, base_config)


@pytest.fixture
def accounts_rpc(service_containers, base_config):
    with ServiceRpcProxy(ACCOUNTS, base_config) as proxy:
        yield proxy


@pytest.fixture
def client(service_containers, gateway_url):
    with ApiClient(gateway_url) as api_client:
        yield api_client


@pytest.fixture
def make_admin(accounts_rpc):
    def make() -> Person:
        account = accounts_rpc.create_admin(unique("admin"), PASSWORD)
        return Person(str(account["id"]), account["username"], PASSWORD)

    return make


@pytest.fixture
def make_coach(accounts_rpc, make_admin):
    def make() -> Person:
        admin = make_admin()
        details = {"username": unique("coach"), "role": COACH, "name": "Veera Valmentaja"}
        created = accounts_rpc.create_staff(
            dict(details, email=f"{details['username']}@example.fi"),
            {"account_id": admin.account_id, "role": ADMIN},
        )
        account = created["account"]
        return Person(str(account["id"]), account["username"], created["initial_password"])

    return make


@pytest.fixture
def make_coachee(accounts_rpc):
    def make(**details) -> Person:
        registered = accounts_rpc.register_coachee(coachee_registration(PASSWORD, **details))
        return Person(str(registered["account_id"]), registered["username"], PASSWORD)

    return make


@pytest.fixture
def make_privacy_officer(accounts_rpc, make_admin):
    def make() -> Person:
        admin = make_admin()
        username = unique("tietosuoja")
        created = accounts_rpc.create_staff(
            {
                "username": username,
                "role": PRIVACY,
                "name": "Terhi Tietosuoja",
                "email": f"{username}@example.fi",
            },
            {"account_id": admin.account_id, "role": ADMIN},
        )
        return Person(str(created["account"]["id"]), username, created["initial_password"])

    return make
