"""Listing bookings: a coachee's own, a coach's assigned ones, all for an admin."""

from datetime import datetime

from services.bookings import repository as repo
from services.bookings.views import bookings_view
from services.bookings.work import Work
from services.contracts.accounts import ADMIN, COACH, COACHEE
from services.contracts.errors import Forbidden, InvalidInput


def decode_cursor(cursor: str | None):
    if not cursor:
        return None
    try:
        starts_at, booking_id = cursor.split("|")
        return datetime.fromisoformat(starts_at), booking_id
    except ValueError as exc:
        raise InvalidInput("Not a cursor from this list.", {"cursor": ["Not valid."]}) from exc


def list_bookings(work: Work, actor: dict, filters: dict) -> dict:
    scope = {"coach_id": filters["coach_id"]}
    if actor["role"] == COACHEE:
        scope["coachee_id"] = actor["account_id"]
    elif actor["role"] == COACH:
        coach = repo.coach_by_account(work.db, actor["account_id"])
        if coach is None or scope["coach_id"] not in (None, coach["id"]):
            return {"items": [], "next_cursor": None}
        scope["coach_id"] = coach["id"]
    elif actor["role"] != ADMIN:
        raise Forbidden("Bookings are for coachees, coaches and administrators.")
    limit = filters["limit"]
    rows = repo.list_bookings(
        work.db,
        **scope,
        start=filters["from_"],
        end=filters["to"],
        status=filters["status"],
        after=decode_cursor(filters["cursor"]),
        limit=limit + 1,
    )
    next_cursor = None
    if len(rows) > limit:
        last = rows[limit - 1]
        next_cursor = f"{last['starts_at'].isoformat()}|{last['id']}"
    return {"items": bookings_view(work, rows[:limit]), "next_cursor": next_cursor}
