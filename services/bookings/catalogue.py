"""The catalogue (services and their specifications), coaches, and coaches' availability."""

from datetime import date, timedelta

from services.bookings import repository as repo
from services.bookings.availability import helsinki_day_bounds
from services.bookings.work import Work
from services.contracts.accounts import ADMIN, COACH
from services.contracts.errors import InvalidInput, NotFound
from services.infra.clock import HELSINKI
from services.infra.permissions import require_role

AVAILABILITY_DAYS_SHOWN = 90

COACHING_ROLES = (COACH, ADMIN)


def service_view(service: dict) -> dict:
    return {
        "id": str(service["id"]),
        "name": service["name"],
        "description": service["description"],
        "duration_minutes": service["duration_minutes"],
        "specifications": [
            {"id": str(spec["id"]), "name": spec["name"]} for spec in service["specifications"]
        ],
        "delivery_methods": list(service["delivery_methods"]),
        "active": service["active"],
    }


def list_services(work: Work, include_inactive: bool = False, actor: dict | None = None) -> dict:
    """The bookable services; administrators may ask for those taken out of use too."""
    if include_inactive:
        require_role(work, actor, ADMIN)
    services = repo.services_with_specifications(work.db, active_only=not include_inactive)
    return {"items": [service_view(service) for service in services]}


def create_service(work: Work, data: dict, actor: dict) -> dict:
    require_role(work, actor, ADMIN)
    service_id = repo.new_id()
    names = data.pop("specifications")
    repo.insert_service(work.db, dict(data, id=service_id), names)
    return service_view(repo.service_by_id(work.db, service_id))


def update_service(work: Work, service_id, changes: dict, actor: dict) -> dict:
    require_role(work, actor, ADMIN)
    if repo.service_by_id(work.db, service_id) is None:
        raise NotFound("No such service.")
    repo.update_service(work.db, service_id, changes)
    return service_view(repo.service_by_id(work.db, service_id))


def coach_view(coach: dict) -> dict:
    return {
        "id": str(coach["id"]),
        "account_id": str(coach["account_id"]),
        "name": coach["name"],
        "active": coach["active"],
        "service_ids": [str(s) for s in coach["service_ids"]],
    }


def list_coaches(work: Work) -> dict:
    return {"items": [coach_view(c) for c in repo.list_coaches(work.db)]}


def require_services(work: Work, service_ids: list) -> None:
    known = {s["id"] for s in repo.services_with_specifications(work.db, service_ids, False)}
    unknown = [str(s) for s in service_ids if s not in known]
    if unknown:
        raise InvalidInput("Unknown services.", {"service_ids": [f"Unknown: {', '.join(unknown)}"]})


def require_coaching_staff(work: Work, account_id) -> None:
    """A coach is a staff account that delivers sessions: a coach's or an admin's."""
    try:
        account = work.accounts.get_account(str(account_id), None)
    except NotFound:
        account = None
    if account is None or account["role"] not in COACHING_ROLES:
        raise InvalidInput(
            "Not a coach's or an admin's account.",
            {"account_id": ["Give the account of a coach or an admin."]},
        )


def create_coach(work: Work, data: dict, actor: dict) -> dict:
    require_role(work, actor, ADMIN)
    require_services(work, data["service_ids"])
    require_coaching_staff(work, data["account_id"])
    if repo.coach_by_account(work.db, data["account_id"]) is not None:
        raise InvalidInput("This account is a coach already.", {"account_id": ["Already a coach."]})
    coach_id = repo.new_id()
    service_ids = data.pop("service_ids")
    repo.insert_coach(work.db, dict(data, id=coach_id), service_ids)
    return coach_by_id(work, coach_id)


def coach_by_id(work: Work, coach_id) -> dict:
    found = repo.list_coaches(work.db, coach_id)
    if not found:
        raise NotFound("No such coach.")
    return coach_view(found[0])


def update_coach(work: Work, coach_id, changes: dict, actor: dict) -> dict:
    require_role(work, actor, ADMIN)
    if repo.coach_by_id(work.db, coach_id) is None:
        raise NotFound("No such coach.")
    if "service_ids" in changes:
        require_services(work, changes["service_ids"])
        repo.replace_coach_services(work.db, coach_id, changes.pop("service_ids"))
    if changes:
        repo.update_coach(work.db, coach_id, changes)
    return coach_by_id(work, coach_id)


def set_working_hours(work: Work, coach_id, hours: list[dict], actor: dict) -> dict:
    require_role(work, actor, ADMIN)
    if repo.coach_by_id(work.db, coach_id) is None:
        raise NotFound("No such coach.")
    problems = [
        f"{index}: ends before it starts"
        for index, period in enumerate(hours)
        if period["ends"] <= period["starts"]
    ]
    if problems:
        raise InvalidInput("Some working periods are not valid.", {"hours": problems})
    repo.replace_working_hours(work.db, coach_id, hours)
    return working_hours_view(work, coach_id)


def working_hours_view(work: Work, coach_id) -> dict:
    return {
        "items": [
            {
                "weekday": row["weekday"],
                "starts": row["starts"].isoformat(timespec="minutes"),
                "ends": row["ends"].isoformat(timespec="minutes"),
            }
            for row in repo.working_hours_of(work.db, [coach_id])
        ]
    }


def add_availability_change(work: Work, coach_id, change: dict, actor: dict) -> dict:
    require_role(work, actor, ADMIN)
    if repo.coach_by_id(work.db, coach_id) is None:
        raise NotFound("No such coach.")
    if change["ends_at"] <= change["starts_at"]:
        raise InvalidInput("The change ends before it starts.", {"ends_at": ["Before starts_at."]})
    change = dict(change, id=repo.new_id(), coach_id=coach_id)
    repo.insert_availability_change(work.db, change)
    return change_view(change)


def list_availability_changes(
    work: Work, coach_id, actor: dict, first: date | None, last: date | None
) -> dict:
    """A coach's time off and extra hours over the days `first`–`last` (by default from today
    for `AVAILABILITY_DAYS_SHOWN`), for an admin or the coach."""
    coach = repo.coach_by_id(work.db, coach_id)
    if coach is None:
        raise NotFound("No such coach.")
    if str(coach["account_id"]) != actor["account_id"]:
        require_role(work, actor, ADMIN)
    first = first or work.now.astimezone(HELSINKI).date()
    last = last or first + timedelta(days=AVAILABILITY_DAYS_SHOWN)
    start, end = helsinki_day_bounds(first, last)
    changes = repo.availability_changes_of(work.db, [coach["id"]], start, end)
    return {"items": [change_view(change) for change in changes]}


def change_view(change) -> dict:
    return {
        "id": str(change["id"]),
        "coach_id": str(change["coach_id"]),
        "starts_at": change["starts_at"].isoformat(),
        "ends_at": change["ends_at"].isoformat(),
        "kind": change["kind"],
    }


def remove_availability_change(work: Work, coach_id, change_id, actor: dict) -> None:
    require_role(work, actor, ADMIN)
    if repo.delete_availability_change(work.db, coach_id, change_id) == 0:
        raise NotFound("No such availability change.")
