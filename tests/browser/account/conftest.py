"""Coachees for the account pages' browser tests: registered over RPC, as a first booking
registers one, paid for by a roster subscriber of the session's own. They have no bookings,
which these pages do not need (the harness's `coachee(catalogue())` books one)."""

from dataclasses import dataclass

import pytest
from nameko.standalone.rpc import ClusterRpcProxy

from tests.gateway.api_client import unique
from tests.gateway.booking_api import coachee_registration, set_up_catalogue

PASSWORD = "Kesäinen-Aamu-Kahvi-2027"


@dataclass(frozen=True)
class RegisteredCoachee:
    username: str
    password: str
    email: str


@pytest.fixture(scope="session")
def subscriber(admin) -> dict:
    """The roster subscriber the session's coachees belong to (members M-100 and M-200)."""
    return set_up_catalogue(admin.api, {})["subscriber"]


@pytest.fixture
def registered_coachee(site, subscriber) -> RegisteredCoachee:
    """A new coachee with an email address of its own."""
    email = f"{unique('maija')}@example.fi"
    registration = coachee_registration(
        PASSWORD, email=email, subscriber_id=subscriber["id"], member_number="M-100"
    )
    with ClusterRpcProxy({"AMQP_URI": site.amqp_uri}, timeout=30) as rpc:
        registered = rpc.accounts.register_coachee(registration)
    return RegisteredCoachee(registered["username"], PASSWORD, email)
