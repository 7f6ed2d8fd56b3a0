"""Attachments of bookings: the upload through quarantine, listing, download and removal.

An upload arrives in a quarantine key that only this service reads. Ingesting cleans it, stores
the clean file under a key of its own, records it, commits, and only then deletes the
quarantined original, so a redelivered ingest finds the row and answers with it. The attachment
id derives from the quarantine key: a retry after a crash writes the same object again.
"""

import hashlib
import uuid

from services.contracts.accounts import PRIVACY
from services.contracts.errors import DomainError, InvalidInput, NotFound
from services.contracts.media import FileTooLarge
from services.infra.database import step
from services.media import access
from services.media import repository as repo
from services.media.cleaned import Cleaned
from services.media.filenames import sanitised, stored_name
from services.media.settings import MediaSettings
from services.media.views import attachment_view, download_view
from services.media.work import Work

QUARANTINE_PREFIX = "media/quarantine/"
ATTACHMENT_PREFIX = "media/attachments/"
ATTACHMENT_IDS = uuid.UUID("6f1c7a52-4d0e-4c59-9d3b-0b8f7e2a91c4")


def quarantine_prefix(booking_id) -> str:
    return f"{QUARANTINE_PREFIX}{booking_id}/"


def room_left(settings: MediaSettings, count: int, total: int) -> int:
    """How many bytes the booking's next attachment may take; FileTooLarge when none."""
    if count >= settings.max_booking_files:
        raise FileTooLarge(f"A booking holds at most {settings.max_booking_files} attachments.")
    remaining = settings.max_booking_bytes - total
    if remaining <= 0:
        raise FileTooLarge(
            f"The booking's attachments already take {settings.max_booking_bytes} bytes."
        )
    return remaining


def prepare_upload(work: Work, booking_id, actor: dict) -> dict:
    booking = access.booking_open_for_uploads(work, booking_id, actor)
    count, total = repo.booking_usage(work.db, booking["id"])
    remaining = room_left(work.settings, count, total)
    return {
        "quarantine_key": quarantine_prefix(booking["id"]) + str(uuid.uuid4()),
        "max_bytes": min(work.settings.max_file_bytes, remaining),
    }


def ingest_upload(work: Work, request: dict, actor: dict) -> dict:
    key = request["quarantine_key"]
    if not key.startswith(quarantine_prefix(request["booking_id"])):
        raise InvalidInput(
            "The upload does not belong to this booking.",
            {"quarantine_key": ["Not an upload of this booking."]},
        )
    try:
        booking = access.booking_open_for_uploads(work, request["booking_id"], actor)
        earlier = earlier_attachment(work, key, request["idempotency_key"], actor)
        if earlier is not None:
            if earlier["quarantine_key"] != key:
                work.store.delete_everywhere(key)
            return attachment_view(earlier)
        cleaned = work.clean(quarantined_bytes(work, key), sanitised(request["filename"]))
    except DomainError:
        work.store.delete_everywhere(key)
        raise
    with step(work.db):
        attachment = store_attachment(work, booking, key, request, cleaned, actor)
    work.store.delete_everywhere(key)
    return attachment_view(attachment)


def earlier_attachment(work: Work, key: str, idempotency_key: str | None, actor: dict):
    found = repo.attachment_of_upload(work.db, key)
    if found is None and idempotency_key:
        found = repo.attachment_by_idempotency_key(work.db, actor["account_id"], idempotency_key)
    return found


def quarantined_bytes(work: Work, key: str) -> bytes:
    limit = work.settings.max_file_bytes
    data = work.store.read_at_most(key, limit)
    if data is None:
        raise NotFound("The upload was not found; send the file again.")
    if len(data) > limit:
        raise FileTooLarge(f"A file may be at most {limit} bytes.")
    return data


def store_attachment(
    work: Work, booking: dict, key: str, request: dict, cleaned: Cleaned, actor: dict
):
    attachment_id = uuid.uuid5(ATTACHMENT_IDS, key)
    object_key = f"{ATTACHMENT_PREFIX}{booking['id']}/{attachment_id}"
    work.store.put(object_key, cleaned.data, cleaned.file_type.content_type)
    repo.lock_booking(work.db, booking["id"])
    try:
        remaining = room_left(work.settings, *repo.booking_usage(work.db, booking["id"]))
        if len(cleaned.data) > remaining:
            raise FileTooLarge(f"The booking has room for {remaining} more bytes.")
    except FileTooLarge:
        work.store.delete_everywhere(object_key)
        work.store.delete_everywhere(key)
        raise
    stored = repo.insert_attachment(
        work.db,
        {
            "id": attachment_id,
            "booking_id": booking["id"],
            "owner_id": actor["account_id"],
            "object_key": object_key,
            "quarantine_key": key,
            "idempotency_key": request["idempotency_key"],
            "name": stored_name(sanitised(request["filename"]), cleaned.file_type),
            "content_type": cleaned.file_type.content_type,
            "size_bytes": len(cleaned.data),
            "sha256": hashlib.sha256(cleaned.data).hexdigest(),
            "removed_metadata": sorted(str(kind) for kind in cleaned.removed),
            "created_at": work.now,
        },
    )
    if stored is not None:
        return stored
    existing = earlier_attachment(work, key, request["idempotency_key"], actor)
    if existing["object_key"] != object_key:
        work.store.delete_everywhere(object_key)
    return existing


def list_attachments(work: Work, booking_id, actor: dict) -> dict:
    if actor["role"] == PRIVACY:
        parsed = access.parsed_id(booking_id)
        rows = repo.attachments_of_booking(work.db, parsed) if parsed else []
        subject_id = rows[0]["owner_id"] if rows else None
    else:
        booking = access.visible_booking(work, booking_id, actor)
        rows = repo.attachments_of_booking(work.db, booking["id"])
        subject_id = booking["coachee_id"]
    if access.is_staff(actor):
        work.audit("attachments_listed", actor_id=actor["account_id"], subject_id=subject_id)
    return {"items": [attachment_view(row) for row in rows]}


def get_download(work: Work, attachment_id, actor: dict) -> dict:
    attachment = access.readable_attachment(work, attachment_id, actor)
    if access.is_staff(actor):
        work.audit(
            "attachment_downloaded",
            actor_id=actor["account_id"],
            subject_id=attachment["owner_id"],
        )
    return download_view(attachment)


def delete_attachment(work: Work, attachment_id, actor: dict) -> None:
    attachment = access.own_attachment(work, attachment_id, actor)
    booking = access.visible_booking(work, attachment["booking_id"], actor)
    access.check_not_started(work, booking)
    work.store.delete_everywhere(attachment["object_key"])
    repo.delete_attachment(work.db, attachment["id"])


def purge_stale_uploads(work: Work) -> int:
    """Uploads whose ingest never happened (the gateway died on the way) are not kept."""
    return work.store.purge(QUARANTINE_PREFIX, work.now - work.settings.quarantine_max_age)
