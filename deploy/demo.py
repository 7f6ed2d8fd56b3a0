"""Demo data for `make run`, seeded once: an administrator and a coach.

Later features add their part (services, subscribers). Seeding again finds the admin and changes
nothing.
"""

import secrets

from nameko.standalone.rpc import ClusterRpcProxy

from services.contracts.errors import Conflict

DEMO_ADMIN = "admin"


def seed_demo_data(config: dict) -> str | None:
    """Returns the admin's one-time password when this call created the admin."""
    password = f"demo-{secrets.token_urlsafe(12)}"
    with ClusterRpcProxy(config, timeout=30) as rpc:
        try:
            admin = rpc.accounts.create_admin(DEMO_ADMIN, password)
        except Conflict:
            return None
        actor = {"account_id": admin["id"], "role": "admin"}
        for username, name in (("coach.kaisa", "Kaisa Valmentaja"), ("coach.olli", "Olli Ohjaaja")):
            rpc.accounts.create_staff(
                {
                    "username": username,
                    "role": "coach",
                    "name": name,
                    "email": f"{username}@demo.invalid",
                },
                actor,
            )
    return password
