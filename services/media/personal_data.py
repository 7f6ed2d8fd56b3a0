"""The media service's part of the privacy contract: a person's attachments, exported as files
and erased with every stored version."""

from services.infra.erasure import ErasureResult
from services.media import access
from services.media import repository as repo
from services.media.views import attachment_view
from services.media.work import Work


def attachments_of(work: Work, subject_id) -> list:
    parsed = access.parsed_id(subject_id)
    return repo.attachments_of_owner(work.db, parsed) if parsed else []


def export_personal_data(work: Work, subject_id) -> dict:
    rows = attachments_of(work, subject_id)
    return {
        "service": "media",
        "items": [
            {"group": "attachments", "id": str(row["id"]), "data": attachment_view(row)}
            for row in rows
        ],
        "files": [
            {"key": row["object_key"], "name": row["name"], "content_type": row["content_type"]}
            for row in rows
        ],
        "done": True,
    }


def erase_attachments(work: Work, subject_id, dry_run: bool) -> ErasureResult:
    """Every version of every file goes from storage, then the rows; a dry run only counts."""
    rows = attachments_of(work, subject_id)
    if not rows:
        return ErasureResult(messages=["No attachments are held about this person."])
    for row in rows:
        if not dry_run:
            work.store.delete_everywhere(row["object_key"])
        repo.delete_attachment(work.db, row["id"])
    return ErasureResult(items_removed=len(rows))
