"""Whether a member may use the coaching the subscriber pays for (R-ELIG-1), and which rule said.

`roster`: the member number's keyed hash is on the roster the subscriber supplied. `manual`: the
subscriber confirms case by case, so the answer is pending until an admin decides in bookings.
"""

from collections.abc import Mapping

from services.billing import repository as repo
from services.billing.rosters import member_number_hash
from services.billing.subscribers import subscriber_uuid
from services.billing.work import Work
from services.contracts.billing import (
    ELIGIBILITY_MANUAL,
    ELIGIBILITY_ROSTER,
    ELIGIBLE,
    NOT_ELIGIBLE,
    PENDING,
)
from services.contracts.errors import NotFound


def eligibility_answer(subscriber: Mapping, on_roster: bool) -> dict:
    name = subscriber["name"]
    if subscriber["eligibility_method"] == ELIGIBILITY_MANUAL:
        reason = f"{name} confirms each member's eligibility; an administrator will decide."
        return {"decision": PENDING, "rule": ELIGIBILITY_MANUAL, "reason": reason}
    if on_roster:
        reason = f"The member number is on {name}'s member roster."
        return {"decision": ELIGIBLE, "rule": ELIGIBILITY_ROSTER, "reason": reason}
    if subscriber["roster_members"] == 0:
        reason = f"{name} has not supplied its member roster yet."
    else:
        reason = f"The member number is not on {name}'s member roster."
    return {"decision": NOT_ELIGIBLE, "rule": ELIGIBILITY_ROSTER, "reason": reason}


def check_eligibility(work: Work, subscriber_id, member_number: str) -> dict:
    number_hash = member_number_hash(work.settings.roster_hash_key, member_number)
    subscriber = repo.subscriber_and_membership(
        work.db, subscriber_uuid(subscriber_id), number_hash
    )
    if subscriber is None or not subscriber["active"]:
        raise NotFound("No such subscriber.")
    on_roster = subscriber["eligibility_method"] == ELIGIBILITY_ROSTER and subscriber["on_roster"]
    return eligibility_answer(subscriber, on_roster)


def check_eligibilities(work: Work, questions: list[dict]) -> list[dict | None]:
    """Each question's answer in the questions' order; None where the subscriber is unknown or
    inactive, which `check_eligibility` refuses as `NotFound`."""
    answers = []
    for question in questions:
        try:
            answer = check_eligibility(work, question["subscriber_id"], question["member_number"])
        except NotFound:
            answer = None
        answers.append(answer)
    return answers
