"""Who may see and handle what: privacy staff handle requests; a person sees their own answers.

`actor` is `{"account_id", "role"}` from the gateway; None means a trusted caller (the operator's
command, another service).
"""

import uuid

from services.contracts.accounts import PRIVACY
from services.contracts.errors import NotFound
from services.privacy import repository as repo


def parsed_id(value, what: str) -> uuid.UUID:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise NotFound(f"No such {what}.") from None


def is_privacy_staff(actor: dict | None) -> bool:
    return actor is None or actor["role"] == PRIVACY


def visible_request(session, request_id, actor: dict | None):
    """The request if the actor is privacy staff or its subject; NotFound otherwise."""
    request = repo.request_by_id(session, parsed_id(request_id, "request"))
    if request is None or not (
        is_privacy_staff(actor) or str(request["subject_id"]) == str(actor["account_id"])
    ):
        raise NotFound("No such request.")
    return request
