"""Who sees which booking: the coachee their own, a coach the assigned ones, admins all."""

import uuid

from services.bookings import repository as repo
from services.bookings.work import Work
from services.contracts.accounts import ADMIN, COACH, COACHEE
from services.contracts.errors import NotFound

STAFF_WHO_CHANGE_BOOKINGS = (COACH, ADMIN)


def parsed_id(value) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


def is_assigned_coach(work: Work, booking, actor: dict) -> bool:
    if actor["role"] != COACH:
        return False
    coach = repo.coach_by_id(work.db, booking["coach_id"])
    return coach is not None and str(coach["account_id"]) == actor["account_id"]


def may_see(work: Work, booking, actor: dict | None) -> bool:
    if actor is None or actor["role"] == ADMIN:
        return True
    if actor["role"] == COACHEE:
        return str(booking["coachee_id"]) == actor["account_id"]
    return is_assigned_coach(work, booking, actor)


def visible_booking(work: Work, booking_id, actor: dict | None, lock: bool = False):
    """The booking if the actor may see it; NotFound otherwise, so its existence is not revealed."""
    parsed = parsed_id(booking_id)
    booking = repo.booking_by_id(work.db, parsed, lock=lock) if parsed else None
    if booking is None or not may_see(work, booking, actor):
        if booking is not None and actor is not None:
            work.audit_refusal("access_denied", actor_id=actor["account_id"])
        raise NotFound("No such booking.")
    return booking


def may_keep_notes(work: Work, booking, actor: dict) -> bool:
    return actor["role"] == ADMIN or is_assigned_coach(work, booking, actor)
