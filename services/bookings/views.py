"""How bookings, free slots, notes and feedback look to callers."""

from services.bookings import repository as repo
from services.bookings.slots import OpenSlot
from services.infra.clock import HELSINKI


def iso(value):
    return value.isoformat() if value is not None else None


def booking_view(booking, coach_name: str | None = None) -> dict:
    return {
        "id": str(booking["id"]),
        "status": booking["status"],
        "starts_at": iso(booking["starts_at"]),
        "ends_at": iso(booking["ends_at"]),
        "coach_id": str(booking["coach_id"]),
        "coach_name": coach_name,
        "coachee_id": str(booking["coachee_id"]),
        "service_id": str(booking["service_id"]),
        "specification_id": str(booking["specification_id"]),
        "delivery_method": booking["delivery_method"],
        "message": booking["message"],
        "eligibility_rule": booking["eligibility_rule"],
        "hold_expires_at": iso(booking["hold_expires_at"]),
        "created_at": iso(booking["created_at"]),
    }


def bookings_view(
    work, rows, services: list[dict] | None = None, coach_names: dict | None = None
) -> list[dict]:
    """Bookings as callers see them: with the names of their coach, service and specification,
    and the moments the rules set for them, so that a page can say what is still possible
    without knowing the rules itself. `services` (with their specifications) and `coach_names`
    (by coach id) are read unless the caller has them already."""
    names = coach_names
    if names is None:
        names = repo.coach_names(work.db, {row["coach_id"] for row in rows})
    if services is None:
        service_ids = list({row["service_id"] for row in rows})
        services = repo.services_with_specifications(work.db, service_ids, active_only=False)
    service_names = {service["id"]: service["name"] for service in services}
    specification_names = {
        spec["id"]: spec["name"] for service in services for spec in service["specifications"]
    }
    return [
        dict(
            booking_view(row, names.get(row["coach_id"])),
            service_name=service_names.get(row["service_id"]),
            specification_name=specification_names.get(row["specification_id"]),
            coachee_changes_until=iso(work.rules.coachee_changes_until(row["starts_at"])),
            feedback_until=iso(work.rules.feedback_until(row["starts_at"])),
        )
        for row in rows
    ]


def slot_view(slot: OpenSlot, coach_name: str) -> dict:
    """A slot in Helsinki time with the first of its free coaches and how many are free.

    A count, not every free coach's id, keeps a search for any coach small; a caller that wants
    another coach searches with its `coach_id`, and a booking without one takes any free coach.
    """
    return {
        "starts_at": slot.starts_at.astimezone(HELSINKI).isoformat(),
        "ends_at": slot.ends_at.astimezone(HELSINKI).isoformat(),
        "coach_id": slot.coach_ids[0],
        "coach_name": coach_name,
        "free_coaches": len(slot.coach_ids),
    }


def note_view(note) -> dict:
    return {
        "id": str(note["id"]),
        "booking_id": str(note["booking_id"]),
        "author_id": str(note["author_id"]),
        "body": note["body"],
        "created_at": iso(note["created_at"]),
        "updated_at": iso(note["updated_at"]),
    }


def feedback_view(row, changeable_until) -> dict:
    return {
        "booking_id": str(row["booking_id"]),
        "rating": row["rating"],
        "comment": row["comment"],
        "created_at": iso(row["created_at"]),
        "updated_at": iso(row["updated_at"]),
        "changeable_until": iso(changeable_until),
    }


def feedback_statistics_view(row) -> dict:
    return {
        "service_id": str(row["service_id"]),
        "service_name": row["service_name"],
        "coach_id": str(row["coach_id"]),
        "coach_name": row["coach_name"],
        "count": row["count"],
        "average_rating": float(row["average_rating"]),
    }
