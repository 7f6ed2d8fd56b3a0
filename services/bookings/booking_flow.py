"""The booking form: a first booking registers the coachee; no double booking; eligibility.

A first-time coachee's account is created only after the slot and eligibility checks pass, and is
discarded again if the booking still fails (the slot was taken meanwhile, the commit failed), so
a failed booking leaves no account behind. The exclusion constraint is the final guard against
double booking; its violation becomes `SlotTaken`.
"""

import uuid
from datetime import timedelta

from psycopg.errors import ExclusionViolation, UniqueViolation
from sqlalchemy.exc import IntegrityError

from services.bookings import repository as repo
from services.bookings.availability import free_coaches_at
from services.bookings.notifications import booking_confirmed
from services.bookings.views import booking_view
from services.bookings.work import Work
from services.contracts.accounts import COACHEE
from services.contracts.bookings import CONFIRMED, PENDING, NotEligible, SlotTaken
from services.contracts.errors import Forbidden, InvalidInput, NotFound

SLOT_GONE = "This time is not free any more; choose another."


def checked_service(work: Work, request: dict) -> dict:
    service = repo.service_by_id(work.db, request["service_id"])
    if service is None or not service["active"]:
        raise InvalidInput("Unknown service.", {"service_id": ["Unknown service."]})
    problems = {}
    if request["specification_id"] not in {spec["id"] for spec in service["specifications"]}:
        problems["specification_id"] = ["Not a specification of this service."]
    if request["delivery_method"] not in service["delivery_methods"]:
        problems["delivery_method"] = ["This service is not delivered this way."]
    if problems:
        raise InvalidInput("The service data is not valid.", problems)
    return service


def coachee_identity(work: Work, registration: dict | None, actor: dict | None) -> dict:
    """The subscriber and member number to check eligibility with, from the form or the profile."""
    if actor is not None:
        if registration is not None:
            raise InvalidInput(
                "You are logged in; personal data comes from your profile.",
                {"coachee": ["Not allowed when logged in."]},
            )
        if actor["role"] != COACHEE:
            raise Forbidden("Only coachees book sessions for themselves.")
        return work.accounts.get_account(actor["account_id"], None)
    if registration is None:
        raise InvalidInput(
            "Personal data is needed for a first booking.", {"coachee": ["Required."]}
        )
    return work.accounts.check_coachee_registration(registration)


def eligibility_of(work: Work, identity: dict) -> dict:
    try:
        return work.billing.check_eligibility(
            str(identity["subscriber_id"]), identity["member_number"]
        )
    except NotFound as exc:
        raise InvalidInput(
            "Unknown subscriber.", {"coachee": {"subscriber_id": ["Unknown subscriber."]}}
        ) from exc


def replayed(work: Work, key: str | None) -> dict | None:
    existing = repo.booking_by_idempotency_key(work.db, key) if key else None
    if existing is None:
        return None
    answer = {"booking": booking_view(existing)}
    if existing["registered_coachee"]:
        answer["username"] = work.accounts.get_account(str(existing["coachee_id"]), None)[
            "username"
        ]
    return answer


def insert_with_first_free_coach(work: Work, values: dict, coach_ids: list[str]):
    for coach_id in coach_ids:
        try:
            with work.db.begin_nested():
                return repo.insert_booking(work.db, dict(values, coach_id=coach_id))
        except IntegrityError as exc:
            if isinstance(exc.orig, ExclusionViolation):
                continue
            raise
    raise SlotTaken(SLOT_GONE)


def create_booking(work: Work, request: dict, raw_registration, actor, key) -> dict:
    earlier = replayed(work, key)
    if earlier is not None:
        return earlier
    identity = coachee_identity(work, raw_registration, actor)
    service = checked_service(work, request)
    coach_ids = free_coaches_at(work, service, request["starts_at"], request["coach_id"])
    if not coach_ids:
        raise SlotTaken(SLOT_GONE)
    eligibility = eligibility_of(work, identity)
    if eligibility["decision"] == "not_eligible":
        work.audit_refusal("booking_refused_not_eligible", actor_id=actor and actor["account_id"])
        raise NotEligible(eligibility["reason"])

    registered = None
    if actor is None:
        registered = work.accounts.register_coachee(raw_registration, key)
    try:
        values = booking_values(work, request, service, eligibility, key, registered, actor)
        booking = insert_with_first_free_coach(
            work, dict(values, **eligibility_snapshot(identity)), coach_ids
        )
        if booking["status"] == CONFIRMED:
            booking_confirmed(work, booking)
        work.db.commit()
    except Exception as exc:
        work.db.rollback()
        if registered is not None:
            work.accounts.discard_registration(registered["account_id"])
        if isinstance(exc, IntegrityError) and isinstance(exc.orig, UniqueViolation) and key:
            earlier = replayed(work, key)
            if earlier is not None:
                return earlier
        raise
    answer = {"booking": booking_view(booking)}
    if registered is not None:
        answer["username"] = registered["username"]
    return answer


def eligibility_snapshot(identity: dict) -> dict:
    """The subscriber and member number eligibility was decided for, kept on the booking: it is
    billed to that subscriber whatever the coachee's profile says later."""
    return {
        "subscriber_id": uuid.UUID(str(identity["subscriber_id"])),
        "member_number": identity["member_number"],
    }


def booking_values(work: Work, request, service, eligibility, key, registered, actor) -> dict:
    starts_at = request["starts_at"]
    ends_at = starts_at + timedelta(minutes=service["duration_minutes"])
    pending = eligibility["decision"] == "pending"
    return {
        "id": repo.new_id(),
        "coachee_id": registered["account_id"] if registered else actor["account_id"],
        "service_id": service["id"],
        "specification_id": request["specification_id"],
        "delivery_method": request["delivery_method"],
        "starts_at": starts_at,
        "ends_at": ends_at,
        "blocks_until": ends_at + work.rules.buffer,
        "status": PENDING if pending else CONFIRMED,
        "message": request["message"],
        "eligibility_rule": eligibility["rule"],
        "hold_expires_at": min(work.now + work.rules.eligibility_hold, starts_at)
        if pending
        else None,
        "idempotency_key": key,
        "registered_coachee": registered is not None,
        "created_at": work.now,
        "updated_at": work.now,
    }
