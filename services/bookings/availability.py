"""Free slots from what the database holds: loads hours, changes and bookings, asks `slots`."""

from datetime import date, datetime, time, timedelta

from services.bookings import repository as repo
from services.bookings.slots import (
    DatedChange,
    Interval,
    OpenSlot,
    WeeklyHours,
    any_coach_slots,
    coach_free_slots,
)
from services.bookings.views import slot_view
from services.bookings.work import Work
from services.contracts.errors import InvalidInput, NotFound
from services.infra.clock import HELSINKI


def service_by_id(work: Work, service_id) -> dict | None:
    """The service with its specifications, active or not, as remembered for a moment."""
    return work.catalogue_reads.answer(
        ("service", str(service_id)), lambda: repo.service_by_id(work.db, service_id)
    )


def qualified_coaches(work: Work, service_id, coach_id=None) -> list[dict]:
    """The service's active coaches (or the one asked for) with their hours, as remembered for a
    moment: one answer per service, whichever coach a booking asks for."""
    found = work.catalogue_reads.answer(
        ("coaches", str(service_id)), lambda: repo.qualified_coaches(work.db, service_id)
    )
    if coach_id is None:
        return found
    return [coach for coach in found if str(coach["id"]) == str(coach_id)]


def helsinki_day_bounds(first_day: date, last_day: date) -> tuple[datetime, datetime]:
    start = datetime.combine(first_day, time.min, HELSINKI)
    end = datetime.combine(last_day + timedelta(days=1), time.min, HELSINKI)
    return start, end


def open_slots(
    work: Work,
    service: dict,
    first_day: date,
    last_day: date,
    coach_id=None,
    except_booking_id=None,
) -> tuple[list[OpenSlot], dict]:
    """Open slots for `service` over Helsinki days first_day..last_day, and the coaches by id."""
    coaches = {c["id"]: c for c in qualified_coaches(work, service["id"], coach_id)}
    if not coaches:
        return [], {}
    coach_ids = list(coaches)
    start, end = helsinki_day_bounds(first_day, last_day)
    margin = work.rules.buffer
    hours = {
        coach_id: [WeeklyHours(**period) for period in coach["working_hours"]]
        for coach_id, coach in coaches.items()
    }
    changes: dict = {}
    busy: dict = {}
    for row in repo.changes_and_busy_periods_of(
        work.db, coach_ids, start - margin, end + margin, except_booking_id
    ):
        if row["kind"] is None:
            busy.setdefault(row["coach_id"], []).append(
                Interval(starts_at=row["starts_at"], ends_at=row["ends_at"])
            )
        elif row["starts_at"] < end and row["ends_at"] > start:
            changes.setdefault(row["coach_id"], []).append(
                DatedChange(starts_at=row["starts_at"], ends_at=row["ends_at"], kind=row["kind"])
            )
    slots_by_coach = {
        str(coach_id): coach_free_slots(
            first_day=first_day,
            last_day=last_day,
            duration=timedelta(minutes=service["duration_minutes"]),
            weekly_hours=hours.get(coach_id, []),
            changes=changes.get(coach_id, []),
            busy=busy.get(coach_id, []),
            buffer=work.rules.buffer,
            earliest_start=work.now + work.rules.minimum_notice,
            latest_start=work.now + work.rules.horizon,
            step=work.rules.slot_step,
        )
        for coach_id in coach_ids
    }
    return any_coach_slots(slots_by_coach), {str(k): v for k, v in coaches.items()}


def free_coaches_at(
    work: Work, service: dict, starts_at: datetime, coach_id=None, except_booking_id=None
) -> dict[str, str]:
    """The names of the qualified coaches free for a session starting at `starts_at`, by id,
    best first."""
    day = starts_at.astimezone(HELSINKI).date()
    slots, coaches = open_slots(work, service, day, day, coach_id, except_booking_id)
    for slot in slots:
        if slot.starts_at == starts_at:
            return {coach: coaches[coach]["name"] for coach in slot.coach_ids}
    return {}


def find_slots(work: Work, params: dict) -> dict:
    """The open slots a search asks for; the same search within the same minute may be answered
    from `work.searches` (see `slot_cache`)."""
    days = (params["to"] - params["from_"]).days
    if days < 0 or days >= work.rules.max_search_days:
        raise InvalidInput(
            "Choose a shorter range.",
            {"to": [f"From 0 to {work.rules.max_search_days - 1} days after 'from'."]},
        )
    minute = work.now.replace(second=0, microsecond=0)
    search = (params["service_id"], params["from_"], params["to"], params["coach_id"], minute)
    return work.searches.answer(search, lambda: search_slots(work, params))


def search_slots(work: Work, params: dict) -> dict:
    service = service_by_id(work, params["service_id"])
    if service is None or not service["active"]:
        raise NotFound("No such service.")
    slots, coaches = open_slots(work, service, params["from_"], params["to"], params["coach_id"])
    return {"items": [slot_view(slot, coaches[slot.coach_ids[0]]["name"]) for slot in slots]}
