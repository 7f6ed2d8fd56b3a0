"""Accounts for the browser tests: the session's first administrator, made over RPC as
`valmennus create-admin` makes one, staff made by it through the API, and coachees made by
booking."""

from dataclasses import dataclass

from nameko.standalone.rpc import ClusterRpcProxy

from services.contracts.accounts import ADMIN
from tests.browser.site import Site
from tests.gateway.api_client import ApiClient, unique
from tests.gateway.booking_api import PASSWORD, booking_form, free_slots, next_week_day

ADMIN_PASSWORD = "ylläpitäjän-salasana-2027"


@dataclass(frozen=True)
class StaffMember:
    """`api` is logged in as this member: its requests session sends the session cookie and the
    CSRF header, so `member.api.request("POST", "/api/...", json=...)` sets up data as them."""

    account_id: str
    username: str
    password: str
    role: str
    api: ApiClient


def logged_in(site: Site, username: str, password: str, role: str) -> StaffMember:
    client = ApiClient(site.url)
    login = client.log_in(username, password)
    client.http.headers.update(login.with_csrf())
    return StaffMember(str(login.user["id"]), username, password, role, client)


def first_admin(site: Site) -> StaffMember:
    username = unique("admin")
    with ClusterRpcProxy({"AMQP_URI": site.amqp_uri}, timeout=30) as rpc:
        rpc.accounts.create_admin(username, ADMIN_PASSWORD)
    return logged_in(site, username, ADMIN_PASSWORD, ADMIN)


def new_staff_member(
    site: Site, admin: StaffMember, role: str, subscriber_id: str | None = None
) -> StaffMember:
    """A staff account with `role` (a subscriber contact needs `subscriber_id`), logged in
    with the one-time password the admin was shown."""
    username = unique(f"{role}.")
    response = admin.api.request(
        "POST",
        "/api/staff",
        json={
            "username": username,
            "role": role,
            "name": "Testi Henkilö",
            "email": f"{username}@example.fi",
            "subscriber_id": subscriber_id,
        },
    )
    assert response.status_code == 201, response.text
    return logged_in(site, username, response.json()["initial_password"], role)


@dataclass(frozen=True)
class Coachee:
    """A coachee who booked through the API: their first booking made their login."""

    username: str
    password: str
    email: str
    booking: dict


def booked_coachee(site: Site, catalogue: dict) -> Coachee:
    """Books the first free hour of next week's Tuesday with the catalogue's coach, as a new
    coachee who is a member (M-100) of the catalogue's roster subscriber."""
    email = f"{unique('maija')}@example.fi"
    with ApiClient(site.url) as client:
        slot = free_slots(client, catalogue, next_week_day(1))[0]
        created = client.request(
            "POST", "/api/bookings", json=booking_form(catalogue, slot["starts_at"], email)
        )
    assert created.status_code == 201, created.text
    body = created.json()
    return Coachee(body["username"], PASSWORD, email, body["booking"])
