"""The booking form: a first booking registers the coachee; no double booking; eligibility.

The form is validated once, by the contract's schema; the validated data goes on. A first-time
coachee's account is registered by one RPC, after the slot and eligibility checks, and no
account outlives a booking that was never made, even when a process dies half way and the
message is redelivered:

1. A `registrations` row is opened and committed (`open`) before accounts is asked to register;
   its key is derived from the request, so a redelivered or repeated request opens no other.
2. accounts registers the account under that key (a repeat returns the same account).
3. The row is decided `booked` if, and only if, it is still `open`, and the booking is inserted
   in the same transaction (the row stays locked until it commits or rolls back).
4. The `settle_registrations` timer decides rows open longer than `REGISTRATION_TIMEOUT_SECONDS`
   as `abandoned` and then has accounts discard the account registered under the key.

Steps 3 and 4 both change the row only while it is `open`; PostgreSQL's row lock makes one of
them win, so an account is either booked or discarded, never both and never neither.

Idempotency keys are scoped to their caller: the logged-in account, or for a first booking the
request itself (its hash without the password, which accounts checks on a replay). The same key
with another request is refused with `IdempotencyKeyReused`; a replay answers only its own
caller. A request is looked up under its key only when it cannot be booked as new: its slot is
taken (by the booking it repeats, too), its insert collides with the key, its registration was
already booked, or it is refused; a new request, the usual case, costs no lookup. The exclusion
constraint is the final guard against double booking: the insert does nothing when it collides
(with the slot, or with a twin request's key that committed first, whose answer is then given),
and a slot lost to every free coach becomes `SlotTaken`.
"""

import hashlib
import json
import uuid
from datetime import timedelta

from services.bookings import repository as repo
from services.bookings.availability import free_coaches_at, service_by_id
from services.bookings.notifications import booking_confirmed
from services.bookings.views import bookings_view
from services.bookings.work import Work
from services.contracts.accounts import COACHEE, CoacheeRegistration
from services.contracts.billing import NOT_ELIGIBLE
from services.contracts.billing import PENDING as PENDING_DECISION
from services.contracts.bookings import (
    CONFIRMED,
    PENDING,
    IdempotencyKeyReused,
    NotEligible,
    RegistrationExpired,
    SlotTaken,
)
from services.contracts.errors import Forbidden, InvalidInput, Unauthenticated
from services.infra.database import step

SLOT_GONE = "This time is not free any more; choose another."
TOOK_TOO_LONG = "This booking took too long; send the form again."
KEY_REUSED = "This Idempotency-Key was used for another request; use a new key."
FIRST_BOOKING_SCOPE = "first-booking"
REPLAY_ADDRESS = "booking-replay"
ABANDON_BATCH = 100
REGISTRATION = CoacheeRegistration()


def checked_service(work: Work, request: dict) -> dict:
    service = service_by_id(work, request["service_id"])
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


def coachee_identity(request: dict, actor: dict | None) -> dict:
    """What gives the subscriber and member number to check eligibility with: the form, or the
    profile as the coachee's session resolved it (the actor carries it)."""
    registration = request["coachee"]
    if actor is not None:
        if registration is not None:
            raise InvalidInput(
                "You are logged in; personal data comes from your profile.",
                {"coachee": ["Not allowed when logged in."]},
            )
        if actor["role"] != COACHEE:
            raise Forbidden("Only coachees book sessions for themselves.")
        return actor
    if registration is None:
        raise InvalidInput(
            "Personal data is needed for a first booking.", {"coachee": ["Required."]}
        )
    return registration


def unknown_subscriber(*_) -> InvalidInput:
    return InvalidInput(
        "Unknown subscriber.", {"coachee": {"subscriber_id": ["Unknown subscriber."]}}
    )


def eligibility_of(work: Work, identity: dict) -> dict:
    """Billing's answer for the member. Bookings asking at the same time share one call
    (`infra.coalescing`): under load one round trip answers several of them."""
    if identity["subscriber_id"] is None:
        raise unknown_subscriber()

    def answers_by_question(questions: list[tuple[str, str]]) -> dict:
        asked = [{"subscriber_id": s, "member_number": m} for s, m in questions]
        answers = work.billing.check_eligibilities(asked)
        return {q: answer for q, answer in zip(questions, answers, strict=True) if answer}

    question = (str(identity["subscriber_id"]), identity["member_number"])
    return work.eligibility_calls.answer(question, answers_by_question, unknown_subscriber)


def request_hash(request: dict) -> str:
    """What identifies a request for its Idempotency-Key: everything but the password."""
    shown = dict(request)
    if shown["coachee"] is not None:
        shown["coachee"] = {k: v for k, v in shown["coachee"].items() if k != "password"}
    canonical = json.dumps(shown, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def key_scope(actor: dict | None) -> str:
    return actor["account_id"] if actor is not None else FIRST_BOOKING_SCOPE


def registration_key(key: str | None, hashed: str) -> str:
    """The same for a repeat of the same request; a request without a key repeats nothing."""
    if key is None:
        return uuid.uuid4().hex
    return hashlib.sha256(f"{key}\n{hashed}".encode()).hexdigest()


def replayed(work: Work, request: dict, actor, key: str | None, hashed: str) -> dict | None:
    """The answer a repeat of this request gets, or None when the key is new."""
    existing = repo.booking_by_idempotency_key(work.db, key_scope(actor), key) if key else None
    if existing is None:
        return None
    if existing["request_hash"] not in (None, hashed):
        raise IdempotencyKeyReused(KEY_REUSED, {"Idempotency-Key": [KEY_REUSED]})
    answer = {"booking": bookings_view(work, [existing])[0]}
    if existing["registered_coachee"]:
        coachee_id = str(existing["coachee_id"])
        try:
            work.accounts.confirm_password(
                coachee_id, request["coachee"]["password"], REPLAY_ADDRESS
            )
        except Unauthenticated:
            raise IdempotencyKeyReused(KEY_REUSED, {"Idempotency-Key": [KEY_REUSED]}) from None
        answer["username"] = work.accounts.get_account(coachee_id, None)["username"]
    return answer


def insert_with_first_free_coach(work: Work, values: dict, coach_ids: list[str]):
    """The booking with the first of `coach_ids` still free, or None when each collided."""
    for coach_id in coach_ids:
        booking = repo.insert_booking(work.db, dict(values, coach_id=coach_id))
        if booking is not None:
            return booking
    return None


def register(work: Work, registration: dict, key: str) -> dict:
    """Open the registration (committed at once), then have accounts register the account."""
    with step(work.db):
        state = repo.open_registration(work.db, key, work.now)
    if state != repo.REGISTRATION_OPEN:
        raise RegistrationExpired(TOOK_TOO_LONG)
    try:
        return work.accounts.register_coachee(REGISTRATION.dump(registration), key)
    except InvalidInput as exc:
        raise InvalidInput(exc.message, {"coachee": exc.fields}) from None


REFUSALS_A_REPLAY_ANSWERS = (InvalidInput, NotEligible, RegistrationExpired, SlotTaken)
"""What a new request may be refused with although its key holds an earlier answer: the earlier
booking took the slot, the registration was booked, or the service or roster changed since."""


def create_booking(work: Work, request: dict, actor: dict | None, key: str | None) -> dict:
    hashed = request_hash(request)
    try:
        return new_booking(work, request, actor, key, hashed)
    except REFUSALS_A_REPLAY_ANSWERS as refusal:
        earlier = replayed(work, request, actor, key, hashed)
        if earlier is not None:
            return earlier
        if isinstance(refusal, NotEligible):
            work.audit_refusal(
                "booking_refused_not_eligible", actor_id=actor and actor["account_id"]
            )
        raise


def new_booking(work: Work, request: dict, actor, key: str | None, hashed: str) -> dict:
    profile = coachee_identity(request, actor)
    service = checked_service(work, request)
    free_coaches = free_coaches_at(work, service, request["starts_at"], request["coach_id"])
    if not free_coaches:
        raise SlotTaken(SLOT_GONE)
    eligibility = eligibility_of(work, profile)
    if eligibility["decision"] == NOT_ELIGIBLE:
        raise NotEligible(eligibility["reason"])

    registered = None
    if actor is None:
        registered_under = registration_key(key, hashed)
        registered = register(work, request["coachee"], registered_under)
        if not repo.book_registration(work.db, registered_under, registered["account_id"]):
            raise RegistrationExpired(TOOK_TOO_LONG)
    values = booking_values(work, request, service, eligibility, registered, actor)
    values.update(idempotency_key=key, idempotency_scope=key_scope(actor), request_hash=hashed)
    values.update(eligibility_snapshot(profile))
    booking = insert_with_first_free_coach(work, values, list(free_coaches))
    if booking is None:
        raise SlotTaken(SLOT_GONE)
    if booking["status"] == CONFIRMED:
        booking_confirmed(work, booking)
    coach_name = {booking["coach_id"]: free_coaches[str(booking["coach_id"])]}
    answer = {"booking": bookings_view(work, [booking], [service], coach_name)[0]}
    if registered is not None:
        answer["username"] = registered["username"]
    return answer


def settle_registrations(work: Work) -> int:
    """Give up first-booking registrations open too long and have accounts discard their
    accounts; returns how many accounts were discarded."""
    with step(work.db):
        repo.abandon_registrations_opened_before(
            work.db, work.now - work.rules.registration_timeout, ABANDON_BATCH
        )
    discarded = 0
    for key in repo.abandoned_registrations(work.db, ABANDON_BATCH):
        with step(work.db):
            work.accounts.discard_registration(key)
            repo.forget_registration(work.db, key)
        discarded += 1
    return discarded


def eligibility_snapshot(identity: dict) -> dict:
    """The subscriber and member number eligibility was decided for, and the member's name, kept
    on the booking: it is billed to that subscriber, under that name, whatever the coachee's
    profile says later."""
    return {
        "subscriber_id": uuid.UUID(str(identity["subscriber_id"])),
        "member_number": identity["member_number"],
        "member_name": identity["name"],
    }


def booking_values(work: Work, request, service, eligibility, registered, actor) -> dict:
    starts_at = request["starts_at"]
    ends_at = starts_at + timedelta(minutes=service["duration_minutes"])
    pending = eligibility["decision"] == PENDING_DECISION
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
        "registered_coachee": registered is not None,
        "created_at": work.now,
        "updated_at": work.now,
    }
