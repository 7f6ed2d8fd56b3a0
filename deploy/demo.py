"""Demo data for `make run`, seeded once: an administrator, two coaches with weekday hours 8–16
Helsinki time, the service "Uraohjaus" that both deliver, and the subscriber "Demo-liitto" whose
eligibility is decided manually (so demo bookings wait as `pending_eligibility`).

Everything is created through the services' RPCs, after the admin; when the admin exists
already, seeding again changes nothing.
"""

import secrets

from nameko.standalone.rpc import ClusterRpcProxy

from services.contracts.accounts import ADMIN, COACH
from services.contracts.billing import ELIGIBILITY_MANUAL
from services.contracts.errors import Conflict

DEMO_ADMIN = "admin"
COACHES = (("coach.kaisa", "Kaisa Valmentaja"), ("coach.olli", "Olli Ohjaaja"))
WEEKDAYS_8_TO_16 = [{"weekday": day, "starts": "08:00", "ends": "16:00"} for day in range(5)]


def seed_demo_data(config: dict) -> str | None:
    """Returns the admin's one-time password when this call created the admin."""
    password = f"demo-{secrets.token_urlsafe(12)}"
    with ClusterRpcProxy(config, timeout=30) as rpc:
        try:
            admin = rpc.accounts.create_admin(DEMO_ADMIN, password)
        except Conflict:
            return None
        actor = {"account_id": admin["id"], "role": ADMIN}
        service = rpc.bookings.create_service(
            {
                "name": "Uraohjaus",
                "description": "Henkilökohtainen uraohjaus: suunta, työnhaku ja osaaminen.",
                "duration_minutes": 60,
                "specifications": ["Työnhaku ja CV", "Urasuunnittelu"],
                "delivery_methods": ["video", "phone", "on_site"],
            },
            actor,
        )
        for username, name in COACHES:
            staff = rpc.accounts.create_staff(
                {
                    "username": username,
                    "role": COACH,
                    "name": name,
                    "email": f"{username}@demo.invalid",
                },
                actor,
            )
            coach = rpc.bookings.create_coach(
                {
                    "account_id": staff["account"]["id"],
                    "name": name,
                    "service_ids": [service["id"]],
                },
                actor,
            )
            rpc.bookings.set_working_hours(coach["id"], WEEKDAYS_8_TO_16, actor)
        rpc.billing.create_subscriber(
            {
                "name": "Demo-liitto",
                "business_id": "0112038-9",
                "billing_contact_emails": ["laskutus@demo.invalid"],
                "member_number_in_report": True,
                "eligibility_method": ELIGIBILITY_MANUAL,
                "identifier_label": "Jäsennumero",
            },
            actor,
        )
    return password
