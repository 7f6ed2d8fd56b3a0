"""A coachee switching subscriber, all through the gateway's HTTP API with every service running
on the test's clock: the switch is checked like a booking, and a booking stays billed to the
subscriber that accepted it, even when it moves and is completed after the switch."""

import uuid
from datetime import datetime

from services.infra.clock import HELSINKI
from tests.conftest import wait_for
from tests.gateway.booking_api import PASSWORD, booking_form
from tests.gateway.test_monthly_report_flow import (  # noqa: F401 (clock, service_containers)
    MARCH,
    admin_headers,
    clock,
    created,
    draft,
    service_containers,
    set_up_catalogue,
    unique,
    wait_for_lines,
)

FIRST_SESSION = "2027-03-02T09:00:00+02:00"
MOVED_SESSION = "2027-03-03T10:00:00+02:00"
AFTER_MOVED_SESSION = datetime(2027, 3, 3, 12, 0, tzinfo=HELSINKI)
SECOND_SESSION = "2027-03-10T09:00:00+02:00"


def new_subscriber(client, admin: dict, method: str, members: str = "") -> dict:
    subscriber = created(
        client.request(
            "POST",
            "/api/subscribers",
            headers=admin,
            json={
                "name": unique("Tilaaja "),
                "business_id": "0112038-9",
                "billing_contact_emails": ["laskutus@example.fi"],
                "member_number_in_report": True,
                "eligibility_method": method,
            },
        )
    )
    if members:
        roster = client.request(
            "PUT",
            f"/api/subscribers/{subscriber['id']}/roster",
            headers={**admin, "Content-Type": "text/csv"},
            data=members.encode(),
        )
        assert roster.status_code == 200, roster.text
    return subscriber


def change_profile(client, coachee: dict, changes: dict):
    return client.request("PATCH", "/api/me", headers=coachee, json=changes)


def refused_fields(response) -> list[str]:
    assert response.status_code == 422, response.text
    return list(response.json()["error"]["fields"])


def lines_of(client, admin: dict, subscriber: dict) -> list[tuple]:
    return [
        (line["booking_id"], line["member_number"], datetime.fromisoformat(line["starts_at"]))
        for line in draft(client, admin, subscriber, MARCH)["lines"]
    ]


def test_a_subscriber_switch_is_checked_like_a_booking_and_bookings_stay_with_their_subscriber(
    client,
    make_admin,
    service_containers,  # noqa: F811
    clock,  # noqa: F811
):
    admin = admin_headers(client, make_admin)
    setup = set_up_catalogue(client, admin)
    union = setup["subscriber"]
    employer = new_subscriber(client, admin, "roster", "jäsennumero\nT-1\n")
    manual = new_subscriber(client, admin, "manual")
    first = created(
        client.request("POST", "/api/bookings", json=booking_form(setup, FIRST_SESSION))
    )
    coachee = client.log_in(first["username"], PASSWORD).with_bearer()
    booking_id = first["booking"]["id"]
    wait_for_lines(client, admin, union, MARCH, 1)

    unknown = change_profile(client, coachee, {"subscriber_id": str(uuid.uuid4())})
    not_listed = change_profile(client, coachee, {"subscriber_id": employer["id"]})
    to_manual = change_profile(
        client, coachee, {"subscriber_id": manual["id"], "member_number": "H-1"}
    )
    switched = change_profile(
        client, coachee, {"subscriber_id": employer["id"], "member_number": "T-1"}
    )

    assert refused_fields(unknown) == ["subscriber_id"]
    assert refused_fields(not_listed) == ["member_number"]
    assert created(to_manual)["subscriber_id"] == manual["id"]
    assert created(switched)["subscriber_id"] == employer["id"]
    move = {"starts_at": MOVED_SESSION}
    created(
        client.request("POST", f"/api/bookings/{booking_id}/reschedule", headers=admin, json=move)
    )
    moved = (booking_id, "M-100", datetime.fromisoformat(MOVED_SESSION))
    assert wait_for(lambda: lines_of(client, admin, union) == [moved])
    clock.set(AFTER_MOVED_SESSION)
    admin = admin_headers(client, make_admin)
    outcome = {"outcome": "completed"}
    created(
        client.request("POST", f"/api/bookings/{booking_id}/outcome", headers=admin, json=outcome)
    )
    own_form = {k: v for k, v in booking_form(setup, SECOND_SESSION).items() if k != "coachee"}
    coachee = client.log_in(first["username"], PASSWORD).with_bearer()
    second = created(client.request("POST", "/api/bookings", headers=coachee, json=own_form))

    employer_march = wait_for_lines(client, admin, employer, MARCH, 1)
    [line] = employer_march["lines"]
    assert (line["booking_id"], line["member_number"]) == (second["booking"]["id"], "T-1")
    assert lines_of(client, admin, union) == [moved]
    assert draft(client, admin, manual, MARCH)["line_count"] == 0
