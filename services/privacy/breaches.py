"""The breach register (R-BREACH-1): suspected breaches and their 72-hour notification deadline."""

import uuid

from services.contracts.accounts import ADMIN, PRIVACY
from services.contracts.errors import InvalidInput, NotFound
from services.infra.permissions import require_role
from services.privacy import repository as repo
from services.privacy.deadlines import breach_notify_by
from services.privacy.request_views import iso
from services.privacy.work import Work

NOT_IN_FUTURE = "Cannot be in the future."


def breach_view(row, now) -> dict:
    return {
        "id": str(row["id"]),
        "reported_by": str(row["reported_by"]) if row["reported_by"] else None,
        "reported_at": iso(row["reported_at"]),
        "discovered_at": iso(row["discovered_at"]),
        "notify_by": iso(row["notify_by"]),
        "notification_overdue": row["authority_notified_at"] is None and now >= row["notify_by"],
        "description": row["description"],
        "personal_data_involved": row["personal_data_involved"],
        "authority_notified_at": iso(row["authority_notified_at"]),
        "measures": row["measures"],
        "closed_at": iso(row["closed_at"]),
    }


def refuse_future(work: Work, field: str, value) -> None:
    if value is not None and value > work.now:
        raise InvalidInput(NOT_IN_FUTURE, {field: [NOT_IN_FUTURE]})


def register_breach(work: Work, report: dict, actor: dict | None) -> dict:
    require_role(work, actor, PRIVACY, ADMIN, services_allowed=True)
    refuse_future(work, "discovered_at", report["discovered_at"])
    row = repo.insert_breach(
        work.db,
        {
            "id": uuid.uuid4(),
            "reported_by": actor and actor["account_id"],
            "reported_at": work.now,
            "notify_by": breach_notify_by(report["discovered_at"]),
            **report,
        },
    )
    work.audit(
        "breach_registered", actor and actor["account_id"], detail={"breach": str(row["id"])}
    )
    return breach_view(row, work.now)


def update_breach(work: Work, breach_id, update: dict, actor: dict | None) -> dict:
    require_role(work, actor, PRIVACY, ADMIN, services_allowed=True)
    refuse_future(work, "authority_notified_at", update["authority_notified_at"])
    changes = {key: value for key, value in update.items() if value is not None and key != "closed"}
    if update["closed"] is not None:
        changes["closed_at"] = work.now if update["closed"] else None
    row = repo.update_breach(work.db, breach_id, changes) if changes else None
    if row is None:
        row = repo.breach_by_id(work.db, breach_id)
    if row is None:
        raise NotFound("No such breach.")
    work.audit("breach_updated", actor and actor["account_id"], detail={"breach": str(row["id"])})
    return breach_view(row, work.now)


def list_breaches(work: Work, actor: dict | None) -> dict:
    require_role(work, actor, PRIVACY, ADMIN, services_allowed=True)
    return {"items": [breach_view(row, work.now) for row in repo.list_breaches(work.db)]}
