"""The billing service's part of the privacy contract.

Billing holds nothing that can be tied to a person yet: rosters are keyed hashes of member
numbers that subscribers supply, and they belong to the subscriber's list, not to anyone's use
of the service.
"""

from services.infra.erasure import ErasureResult

ROSTER_REASON = (
    "Member rosters hold only keyed hashes of member numbers supplied by subscribers; they are "
    "the subscriber's list, cannot be tied to a person and say nothing about the person's use "
    "of the service, so they are kept."
)


def export_personal_data() -> dict:
    return {"service": "billing", "items": [], "files": [], "done": True}


def erase_personal_data(session) -> ErasureResult:
    return ErasureResult(messages=[ROSTER_REASON])
