"""An admin's staff and coachee views through the gateway, and who is kept out of them."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from nameko.events import event_handler
from nameko.testing.services import entrypoint_waiter

from services.contracts.accounts import ACCESS_AUDITED
from services.infra.clock import Clock, SettableClock
from tests.gateway.api_client import ApiClient, unique
from tests.gateway.conftest import start_gateway


class AuditListener:
    name = "gateway_audit_listener"

    @event_handler("gateway", ACCESS_AUDITED)
    def record(self, payload):
        return payload


@pytest.fixture
def accounts_clock(service_containers):
    """The accounts service on a settable clock that starts now, for this test; the module's
    tests share the service, so its own clock comes back afterwards."""
    clock = SettableClock(datetime.now(UTC))
    dependencies = [e for e in service_containers["accounts"].extensions if isinstance(e, Clock)]
    own = [dependency.source for dependency in dependencies]
    for dependency in dependencies:
        dependency.source = clock
    yield clock
    for dependency, source in zip(dependencies, own, strict=True):
        dependency.source = source


@pytest.fixture
def admin(client, make_admin):
    person = make_admin()
    return client.log_in(person.username, person.password)


def test_admin_creates_staff_who_logs_in_with_the_initial_password(client, admin):
    username = unique("coach")

    created = client.request(
        "POST",
        "/api/staff",
        headers=admin.with_csrf(),
        json={"username": username, "role": "coach", "name": "Kalle Coach", "email": "k@ex.fi"},
    )

    assert created.status_code == 201
    body = created.json()
    assert body["account"]["username"] == username
    assert body["account"]["role"] == "coach"
    coach = client.log_in(username, body["initial_password"])
    assert coach.user["role"] == "coach"


def test_taken_staff_username_is_409(client, admin):
    body = {"username": unique("coach"), "role": "coach", "name": "K", "email": "k@ex.fi"}

    first = client.request("POST", "/api/staff", headers=admin.with_bearer(), json=body)
    second = client.request("POST", "/api/staff", headers=admin.with_bearer(), json=body)

    assert first.status_code == 201
    assert second.status_code == 409


def test_admin_lists_staff_page_by_page(client, admin, make_coach):
    make_coach()

    first = client.request("GET", "/api/staff?limit=1", headers=admin.with_bearer())
    cursor = first.json()["next_cursor"]
    second = client.request(
        "GET", "/api/staff", params={"limit": 1, "cursor": cursor}, headers=admin.with_bearer()
    )

    assert first.status_code == second.status_code == 200
    assert len(first.json()["items"]) == len(second.json()["items"]) == 1
    assert first.json()["items"][0]["id"] != second.json()["items"][0]["id"]
    assert {item["role"] for item in first.json()["items"] + second.json()["items"]} <= {
        "coach",
        "admin",
        "privacy",
        "subscriber",
    }


def test_admin_changes_a_staff_members_role(client, admin, make_coach):
    coach = make_coach()

    response = client.request(
        "PATCH",
        f"/api/staff/{coach.account_id}",
        headers=admin.with_csrf(),
        json={"role": "privacy"},
    )

    assert response.status_code == 200
    assert response.json()["role"] == "privacy"
    assert client.log_in(coach.username, coach.password).user["role"] == "privacy"


def test_disabling_a_login_ends_its_sessions_until_it_is_enabled(client, admin, make_coach):
    coach = make_coach()
    coach_login = client.log_in(coach.username, coach.password)

    disabled = client.request(
        "PATCH",
        f"/api/staff/{coach.account_id}",
        headers=admin.with_csrf(),
        json={"disabled": True},
    )

    assert disabled.status_code == 200
    assert disabled.json()["disabled_permanently"] is True
    assert client.request("GET", "/api/me", headers=coach_login.with_bearer()).status_code == 401
    assert client.try_log_in(coach.username, coach.password).status_code == 401

    enabled = client.request(
        "PATCH",
        f"/api/staff/{coach.account_id}",
        headers=admin.with_csrf(),
        json={"disabled": False},
    )

    assert enabled.status_code == 200
    assert client.try_log_in(coach.username, coach.password).status_code == 200


def test_a_temporary_disabling_ends_by_itself(client, accounts_clock, admin, make_coachee):
    coachee = make_coachee()
    until = accounts_clock.now() + timedelta(hours=1)

    response = client.request(
        "PATCH",
        f"/api/coachees/{coachee.account_id}",
        headers=admin.with_csrf(),
        json={"disabled": True, "disabled_until": until.isoformat()},
    )

    assert response.status_code == 200
    assert datetime.fromisoformat(response.json()["disabled_until"]) == until
    assert client.try_log_in(coachee.username, coachee.password).status_code == 401
    accounts_clock.advance(timedelta(hours=1, seconds=1))
    assert client.try_log_in(coachee.username, coachee.password).status_code == 200


def test_login_ends_after_its_lifetime(
    accounts_clock, container_factory, base_config, make_coachee
):
    """The gateway reads the clock accounts reads, as in production: it remembers a resolved
    session, but never past the session's end by that clock."""
    coachee = make_coachee()
    with ApiClient(start_gateway(container_factory, base_config, clock=accounts_clock)) as client:
        short = client.log_in(coachee.username, coachee.password)
        remembered = client.log_in(coachee.username, coachee.password, remember_me=True)
        assert client.request("GET", "/api/me", headers=short.with_bearer()).status_code == 200

        accounts_clock.advance(timedelta(hours=48, seconds=1))

        assert client.request("GET", "/api/me", headers=short.with_bearer()).status_code == 401
        remembered_me = client.request("GET", "/api/me", headers=remembered.with_bearer())
        assert remembered_me.status_code == 200
        accounts_clock.advance(timedelta(days=12))
        remembered_me = client.request("GET", "/api/me", headers=remembered.with_bearer())
        assert remembered_me.status_code == 401


def test_disabling_until_a_time_without_an_offset_is_422_naming_the_field(
    client, admin, make_coach
):
    coach = make_coach()

    response = client.request(
        "PATCH",
        f"/api/staff/{coach.account_id}",
        headers=admin.with_bearer(),
        json={"disabled": True, "disabled_until": "2030-01-01T10:00:00"},
    )

    assert response.status_code == 422
    assert list(response.json()["error"]["fields"]) == ["disabled_until"]


def test_disabling_until_a_past_time_is_422_naming_the_field(client, admin, make_coach):
    coach = make_coach()
    past = datetime.now(UTC) - timedelta(minutes=1)

    response = client.request(
        "PATCH",
        f"/api/staff/{coach.account_id}",
        headers=admin.with_bearer(),
        json={"disabled": True, "disabled_until": past.isoformat()},
    )

    assert response.status_code == 422
    assert list(response.json()["error"]["fields"]) == ["disabled_until"]


def test_admin_searches_views_and_edits_coachees(client, admin, make_coachee):
    member_number = unique("JÄSEN")
    coachee = make_coachee(member_number=member_number)

    found = client.request(
        "GET", "/api/coachees", params={"q": member_number}, headers=admin.with_bearer()
    )
    profile = client.request(
        "GET", f"/api/coachees/{coachee.account_id}", headers=admin.with_bearer()
    )
    edited = client.request(
        "PATCH",
        f"/api/coachees/{coachee.account_id}",
        headers=admin.with_csrf(),
        json={"name": "Maija Korjattu"},
    )

    assert found.status_code == 200
    assert [item["id"] for item in found.json()["items"]] == [coachee.account_id]
    assert profile.json()["member_number"] == member_number
    assert edited.status_code == 200
    assert edited.json()["name"] == "Maija Korjattu"


def test_admin_cannot_change_a_coachees_username(client, admin, make_coachee):
    coachee = make_coachee()

    response = client.request(
        "PATCH",
        f"/api/coachees/{coachee.account_id}",
        headers=admin.with_bearer(),
        json={"username": "uusi"},
    )

    assert response.status_code == 422
    assert list(response.json()["error"]["fields"]) == ["username"]


def test_coachee_routes_do_not_show_staff_accounts(client, admin, make_coach):
    coach = make_coach()

    response = client.request(
        "GET", f"/api/coachees/{coach.account_id}", headers=admin.with_bearer()
    )

    assert response.status_code == 404


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/api/coachees/not-a-uuid"),
        ("PATCH", "/api/coachees/123"),
        ("PATCH", "/api/staff/not-a-uuid"),
        ("GET", f"/api/coachees/{uuid.uuid4()}"),
    ],
)
def test_ids_that_are_not_accounts_are_404(client, admin, method, path):

    response = client.request(method, path, headers=admin.with_bearer(), json={"name": "X"})

    assert response.status_code == 404


ADMIN_ONLY = [
    ("GET", "/api/staff", None),
    ("POST", "/api/staff", {"username": "x-y-z", "role": "coach", "name": "X", "email": "x@e.fi"}),
    ("PATCH", "/api/staff/{other}", {"disabled": True}),
    ("GET", "/api/coachees?q=a", None),
    ("GET", "/api/coachees/{other}", None),
    ("PATCH", "/api/coachees/{other}", {"name": "Vaihdettu"}),
]


@pytest.mark.parametrize(("method", "path", "body"), ADMIN_ONLY)
@pytest.mark.parametrize("role", ["coachee", "coach"])
def test_only_admins_reach_staff_and_coachee_admin_routes(
    client, make_coach, make_coachee, method, path, body, role
):
    person = make_coachee() if role == "coachee" else make_coach()
    other = make_coachee()
    login = client.log_in(person.username, person.password)

    response = client.request(
        method, path.format(other=other.account_id), headers=login.with_bearer(), json=body
    )

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"


def test_nobody_reaches_admin_routes_without_logging_in(client, make_coachee):
    other = make_coachee()

    for method, path, body in ADMIN_ONLY:
        response = client.request(method, path.format(other=other.account_id), json=body)
        assert response.status_code == 401, (method, path)


def test_an_access_denial_is_audited_with_ids_and_the_route_only(
    client, container_factory, base_config, make_coachee
):
    listener = container_factory(AuditListener, base_config)
    listener.start()
    coachee = make_coachee()
    login = client.log_in(coachee.username, coachee.password)

    def about_this_coachee(worker_ctx, result, exc_info):
        return result["actor_id"] == coachee.account_id

    with entrypoint_waiter(listener, "record", callback=about_this_coachee, timeout=10) as audited:
        response = client.request(
            "GET", f"/api/coachees/{coachee.account_id}", headers=login.with_bearer()
        )

    assert response.status_code == 403
    event = audited.get()
    assert uuid.UUID(event.pop("event_id"))
    assert datetime.fromisoformat(event.pop("occurred_at"))
    assert event == {
        "actor_id": coachee.account_id,
        "subject_id": None,
        "action": "access_denied",
        "outcome": "denied",
        "method": "GET",
        "route": "/api/coachees/<uuid:account_id>",
    }
