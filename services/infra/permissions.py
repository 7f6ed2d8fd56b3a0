"""The one permission check: `require_role(work, actor, ROLE, ...)`.

`actor` is `{"account_id", "role"}` of the logged-in person the gateway acts for; None is a
service or the operator calling on its own behalf, let through only where `services_allowed`
says so. A person with another role is refused with `Forbidden`, and the refusal is audited
(`access_denied`) through `work.audit_refusal`, which stores it apart from the worker's
transaction so that it stays when the worker rolls back.
"""

from typing import Protocol

from services.contracts.accounts import ADMIN, COACH, COACHEE, PRIVACY, SUBSCRIBER
from services.contracts.errors import Forbidden

REFUSAL = "access_denied"
WHO = {
    ADMIN: "administrators",
    COACH: "coaches",
    COACHEE: "coachees",
    PRIVACY: "privacy staff",
    SUBSCRIBER: "subscriber contacts",
}


class AuditsRefusals(Protocol):
    def audit_refusal(self, action: str, actor_id=None, subject_id=None) -> None: ...


def require_role(
    work: AuditsRefusals, actor: dict | None, *roles: str, services_allowed: bool = False
) -> None:
    if actor is None:
        if services_allowed:
            return
    elif actor["role"] in roles:
        return
    else:
        work.audit_refusal(REFUSAL, actor_id=actor["account_id"])
    raise Forbidden(f"Only {' and '.join(WHO[role] for role in roles)} may do this.")
