"""Setting up bookable data through the admin API, and filling in the booking form."""

import uuid
from datetime import date, timedelta

from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from tests.gateway.api_client import ApiClient, unique

PASSWORD = "kesäinen-aamu-2027"


def coachee_registration(password: str, **details) -> dict:
    """What the accounts service's `register_coachee` takes, as a first booking registers a
    coachee: Maija Meikäläinen of a subscriber nobody checks, with `details` over it."""
    return {
        "name": "Maija Meikäläinen",
        "email": "maija@example.fi",
        "phone": "040 123 4567",
        "subscriber_id": str(uuid.uuid4()),
        "member_number": unique("M"),
        "password": password,
        **details,
    }


def set_up_catalogue(client: ApiClient, admin: dict) -> dict:
    """A service, a coach working weekdays 8–16 and a roster subscriber (members M-100, M-200),
    made through the admin API."""
    service = client.request(
        "POST",
        "/api/services",
        headers=admin,
        json={
            "name": unique("Uraohjaus "),
            "duration_minutes": 60,
            "specifications": ["Työnhaku", "Urasuunnittelu"],
            "delivery_methods": ["video", "phone", "on_site"],
        },
    ).json()
    staff = client.request(
        "POST",
        "/api/staff",
        headers=admin,
        json={
            "username": unique("coach"),
            "role": "coach",
            "name": "Kaisa Valmentaja",
            "email": f"{unique('k')}@example.fi",
        },
    ).json()
    coach = client.request(
        "POST",
        "/api/coaches",
        headers=admin,
        json={
            "account_id": staff["account"]["id"],
            "name": "Kaisa Valmentaja",
            "service_ids": [service["id"]],
        },
    ).json()
    hours = [{"weekday": d, "starts": "08:00", "ends": "16:00"} for d in range(5)]
    assert (
        client.request(
            "PUT", f"/api/coaches/{coach['id']}/hours", headers=admin, json={"hours": hours}
        ).status_code
        == 200
    )
    created = client.request(
        "POST",
        "/api/subscribers",
        headers=admin,
        json={
            "name": unique("Liitto "),
            "business_id": "0112038-9",
            "billing_contact_emails": ["laskutus@example.fi"],
            "member_number_in_report": True,
            "eligibility_method": "roster",
        },
    )
    assert created.status_code == 201, created.text
    subscriber = created.json()
    roster = client.request(
        "PUT",
        f"/api/subscribers/{subscriber['id']}/roster",
        headers={**admin, "Content-Type": "text/csv"},
        data="jäsennumero\nM-100\nM-200\n".encode(),
    )
    assert roster.status_code == 200, roster.text
    coach_login = (staff["account"]["username"], staff["initial_password"])
    return {
        "service": service,
        "coach": coach,
        "coach_login": coach_login,
        "subscriber": subscriber,
    }


def next_week_day(weekday: int) -> date:
    today = date.today()
    return today + timedelta(days=7 - today.weekday() + weekday)


def free_slots(client, setup, day: date) -> list[dict]:
    response = client.request(
        "GET",
        "/api/slots",
        params={
            "service_id": setup["service"]["id"],
            "from": day.isoformat(),
            "to": day.isoformat(),
            "coach_id": setup["coach"]["id"],
        },
    )
    assert response.status_code == 200, response.text
    return response.json()["items"]


def booking_form(setup, starts_at: str, email: str | None = None) -> dict:
    return {
        "service_id": setup["service"]["id"],
        "specification_id": setup["service"]["specifications"][0]["id"],
        "delivery_method": "video",
        "starts_at": starts_at,
        "coach_id": setup["coach"]["id"],
        "message": "Haluan päivittää CV:ni.",
        "coachee": {
            "name": "Maija Meikäläinen",
            "email": email or f"{unique('maija')}@example.fi",
            "phone": "040 123 4567",
            "subscriber_id": setup["subscriber"]["id"],
            "member_number": "M-100",
            "password": PASSWORD,
        },
    }


def move_into_the_past(database_url: str, booking_id: str) -> None:
    """The session began an hour ago: the system's clocks cannot be moved in this stack."""
    engine = create_engine(database_url, poolclass=NullPool)
    with engine.begin() as connection:
        connection.execute(
            text(
                "UPDATE bookings SET starts_at = now() - interval '1 hour', ends_at = now() "
                "WHERE id = :id"
            ),
            {"id": booking_id},
        )
    engine.dispose()
