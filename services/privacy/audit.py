"""The audit log: every service's `access_audited` events, stored append-only, searched by staff.

Entries hold ids, the action and its outcome, never personal data. The table refuses UPDATE,
DELETE and TRUNCATE (triggers from the migration), so not even this service can rewrite history.
"""

import uuid
from datetime import datetime

from services.contracts.errors import InvalidInput
from services.privacy import repository as repo

STANDARD_FIELDS = ("event_id", "actor_id", "subject_id", "action", "outcome", "occurred_at")
PRIVACY_SOURCE = "privacy"


def record_event(session, source: str, payload: dict, now: datetime) -> None:
    occurred_at = payload.get("occurred_at")
    repo.insert_audit_entry(
        session,
        {
            "event_id": payload["event_id"],
            "source": source,
            "actor_id": payload.get("actor_id"),
            "subject_id": payload.get("subject_id"),
            "action": payload.get("action") or "unknown",
            "outcome": payload.get("outcome") or "ok",
            "detail": {k: v for k, v in payload.items() if k not in STANDARD_FIELDS},
            "occurred_at": datetime.fromisoformat(occurred_at) if occurred_at else now,
        },
    )


def record_own(session, now: datetime, action: str, actor_id, subject_id, detail: dict) -> None:
    record_event(
        session,
        PRIVACY_SOURCE,
        {
            "event_id": str(uuid.uuid4()),
            "actor_id": str(actor_id) if actor_id else None,
            "subject_id": str(subject_id) if subject_id else None,
            "action": action,
            "outcome": "ok",
            "occurred_at": now.isoformat(),
            **detail,
        },
        now,
    )


def entry_view(row) -> dict:
    return {
        "id": row["id"],
        "source": row["source"],
        "actor_id": str(row["actor_id"]) if row["actor_id"] else None,
        "subject_id": str(row["subject_id"]) if row["subject_id"] else None,
        "action": row["action"],
        "outcome": row["outcome"],
        "detail": row["detail"],
        "occurred_at": row["occurred_at"].isoformat(),
    }


def cursor_of(row) -> str:
    return f"{row['occurred_at'].isoformat()}|{row['id']}"


def position_of(cursor: str | None) -> tuple | None:
    if not cursor:
        return None
    try:
        occurred_at, entry_id = cursor.split("|")
        return datetime.fromisoformat(occurred_at), int(entry_id)
    except ValueError:
        raise InvalidInput("Not a cursor from this list.", {"cursor": ["Unknown."]}) from None


def search(session, query: dict) -> dict:
    rows = repo.search_audit(session, query, position_of(query["cursor"]), query["limit"] + 1)
    page = rows[: query["limit"]]
    next_cursor = cursor_of(page[-1]) if len(rows) > query["limit"] else None
    return {"items": [entry_view(row) for row in page], "next_cursor": next_cursor}
