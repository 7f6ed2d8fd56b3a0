"""The privacy service's own part of the privacy contract: the person's requests and answers.

Answer files (exports, inspection PDFs) are deleted in every version and notes about the person
are removed; the request records themselves and the audit log stay, ids only, because the
controller must be able to show how it handled the person's rights and who accessed their data.
"""

from services.contracts.names import PRIVACY
from services.infra.erasure import ErasureResult
from services.privacy import repository as repo
from services.privacy import results
from services.privacy.plans import ERASE_ACTION, EXPORT_ACTION
from services.privacy.request_views import iso

RECORDS_REASON = (
    "Records of the person's privacy requests (kind, dates, outcome) and the audit log of "
    "accesses (ids only) are kept to show how the rights were handled and who accessed the data "
    "(GDPR Art. 5(2) and 32)."
)


def export_own(session, subject_id) -> dict:
    items = [
        {
            "group": "privacy_requests",
            "id": str(row["id"]),
            "data": {
                "kind": row["kind"],
                "received_at": iso(row["received_at"]),
                "due_at": iso(row["due_at"]),
                "status": row["status"],
                "completed_at": iso(row["completed_at"]),
                "description": row["description"],
                "change_link": row["change_link"],
                "free_of_charge": row["free_of_charge"],
            },
        }
        for row in repo.requests_of_subject(session, subject_id)
    ]
    return {"service": PRIVACY, "items": items, "files": [], "done": True}


def erase_own(work, subject_id, dry_run: bool) -> ErasureResult:
    requests = repo.requests_of_subject(work.db, subject_id)
    with_files = [row for row in requests if results.still_stored(row)]
    with_notes = [row for row in requests if row["description"]]
    if not dry_run:
        for row in with_files:
            results.delete_answer(work, row)
        for row in with_notes:
            repo.update_request(work.db, row["id"], {"description": None})
    return ErasureResult(
        items_removed=len(with_files),
        items_anonymised=len(with_notes),
        items_retained=len(requests),
        messages=[RECORDS_REASON] if requests else [],
    )


def apply(work, action: str, request) -> dict:
    """A saga step the privacy service runs on itself, answering as a participant would."""
    if action == EXPORT_ACTION:
        return export_own(work.db, request["subject_id"])
    if action == ERASE_ACTION:
        return vars(erase_own(work, request["subject_id"], dry_run=False))
    raise ValueError(f"unknown action {action}")
