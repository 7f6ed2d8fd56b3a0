"""Accounts, billing and bookings running together on the test broker, with a settable clock."""

import uuid
from datetime import UTC, datetime

import pytest
from nameko.standalone.rpc import ClusterRpcProxy

from gateway.auth import Caller, Credential
from services.accounts.service import AccountsService
from services.billing.service import BillingService
from services.bookings.service import BookingsService
from services.infra.clock import SettableClock

MONDAY_MORNING = datetime(2027, 3, 1, 8, 0, tzinfo=UTC)
WORKDAY = [{"weekday": day, "starts": "08:00", "ends": "16:00"} for day in range(5)]


def unique(prefix: str) -> str:
    return f"{prefix}{uuid.uuid4().hex[:8]}"


@pytest.fixture
def clock():
    return SettableClock(MONDAY_MORNING)


@pytest.fixture
def containers(start_service):
    """Accounts, billing and bookings running, all reading the test's clock."""
    services = (AccountsService, BillingService, BookingsService)
    return {service_cls.name: start_service(service_cls) for service_cls in services}


@pytest.fixture
def rpc(containers, service_config):
    with ClusterRpcProxy(service_config("bookings"), timeout=30) as proxy:
        yield proxy


@pytest.fixture
def admin(rpc):
    account = rpc.accounts.create_admin(unique("admin"), "ylläpitäjän-salasana-1")
    return {"account_id": account["id"], "role": "admin"}


def add_coach(rpc, admin, service_id, name="Kaisa Valmentaja"):
    username = unique("coach")
    staff = rpc.accounts.create_staff(
        {"username": username, "role": "coach", "name": name, "email": f"{username}@example.fi"},
        admin,
    )
    coach = rpc.bookings.create_coach(
        {"account_id": staff["account"]["id"], "name": name, "service_ids": [service_id]}, admin
    )
    rpc.bookings.set_working_hours(coach["id"], WORKDAY, admin)
    return {**coach, "actor": {"account_id": staff["account"]["id"], "role": "coach"}}


@pytest.fixture
def catalogue(rpc, admin):
    service = rpc.bookings.create_service(
        {
            "name": unique("Uraohjaus "),
            "duration_minutes": 60,
            "specifications": ["Työnhaku", "Urasuunnittelu"],
            "delivery_methods": ["video", "phone", "on_site"],
        },
        admin,
    )
    return {"service": service, "coach": add_coach(rpc, admin, service["id"])}


@pytest.fixture
def subscribers(rpc, admin):
    """A roster subscriber whose members are M-1 and M-2, and a manual one."""
    roster = rpc.billing.create_subscriber(
        {
            "name": unique("Liitto "),
            "business_id": "0112038-9",
            "billing_contact_emails": ["laskutus@example.fi"],
            "member_number_in_report": True,
            "eligibility_method": "roster",
            "identifier_label": "Jäsennumero",
        },
        admin,
    )
    rpc.billing.replace_roster(roster["id"], "member_number\nM-1\nM-2\n", admin)
    manual = rpc.billing.create_subscriber(
        {
            "name": unique("Työnantaja "),
            "business_id": "0112038-9",
            "billing_contact_emails": ["hr@example.fi"],
            "member_number_in_report": False,
            "eligibility_method": "manual",
            "identifier_label": "Henkilöstönumero",
        },
        admin,
    )
    return {"roster": roster, "manual": manual}


COACHEE_PASSWORD = "kesäinen-aamu-2027"


def coachee_form(subscriber_id: str, member_number: str = "M-1") -> dict:
    return {
        "name": "Maija Meikäläinen",
        "email": f"{unique('maija')}@example.fi",
        "phone": "040 123 4567",
        "subscriber_id": subscriber_id,
        "member_number": member_number,
        "password": COACHEE_PASSWORD,
    }


def logged_in_actor(rpc, first_booking: dict) -> dict:
    """The actor the gateway passes for the coachee a first booking registered, once logged in:
    made from their resolved session as the gateway makes it."""
    login = rpc.accounts.log_in(
        {"username": first_booking["username"], "password": COACHEE_PASSWORD}
    )
    return Caller(login["principal"], Credential(login["token"], from_cookie=False)).actor


def booking_request(catalogue, starts_at: str, coachee=None, **changes) -> dict:
    service = catalogue["service"]
    request = {
        "service_id": service["id"],
        "specification_id": service["specifications"][0]["id"],
        "delivery_method": "video",
        "starts_at": starts_at,
        "coach_id": catalogue["coach"]["id"],
        "message": "Haluan päivittää CV:ni.",
    }
    if coachee is not None:
        request["coachee"] = coachee
    return {**request, **changes}
