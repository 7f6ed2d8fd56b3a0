"""A coachee's subscriber and member number change only as an eligibility decision.

They say who pays for the coachee's sessions, so a change is checked with billing exactly as a
booking is: an unknown or inactive subscriber is refused naming `subscriber_id`, and a roster
subscriber must list the member number (else refused naming `member_number`). A manual
subscriber answers "pending", and the change is accepted: such a subscriber's approval is given
per booking by an admin, so nothing is billed to it on the profile's word. Bookings already made
stay billed to the subscriber that accepted them (the booking keeps its own snapshot).
"""

from collections.abc import Mapping

from services.accounts.work import Work
from services.contracts.accounts import COACHEE
from services.contracts.billing import NOT_ELIGIBLE
from services.contracts.errors import InvalidInput, NotFound

SUBSCRIPTION_FIELDS = ("subscriber_id", "member_number")
UNKNOWN_SUBSCRIBER = "Unknown subscriber."
STAFF_SUBSCRIPTION = "A staff account's organisation changes through the staff settings."


def check_subscription_change(
    work: Work, account: Mapping, changes: Mapping, actor: dict | None
) -> None:
    """Refuse `changes` to the account's subscriber or member number that billing would not
    accept for a booking; nothing to check when neither changes."""
    changing = [field for field in SUBSCRIPTION_FIELDS if field in changes]
    if not changing:
        return
    if account["role"] != COACHEE:
        raise InvalidInput(STAFF_SUBSCRIPTION, {field: [STAFF_SUBSCRIPTION] for field in changing})
    subscriber_id = changes.get("subscriber_id", account["subscriber_id"])
    member_number = changes.get("member_number", account["member_number"]) or ""
    if subscriber_id == account["subscriber_id"] and member_number == account["member_number"]:
        return
    if subscriber_id is None:
        raise InvalidInput(UNKNOWN_SUBSCRIBER, {"subscriber_id": [UNKNOWN_SUBSCRIBER]})
    try:
        answer = work.billing.check_eligibility(str(subscriber_id), member_number)
    except NotFound:
        raise InvalidInput(UNKNOWN_SUBSCRIBER, {"subscriber_id": [UNKNOWN_SUBSCRIBER]}) from None
    except InvalidInput as exc:
        problems = exc.fields.get("member_number") or [str(exc)]
        raise InvalidInput(str(exc), {"member_number": problems}) from None
    if answer["decision"] == NOT_ELIGIBLE:
        work.audit_refusal(
            "profile_change_refused_not_eligible",
            actor_id=actor and actor["account_id"],
            subject_id=account["id"],
        )
        raise InvalidInput(answer["reason"], {"member_number": [answer["reason"]]})
