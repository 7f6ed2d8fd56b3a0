"""Answer files: the export ZIP and the inspection PDF, kept encrypted in S3 for a few days.

Objects are written with server-side encryption; the download goes through the gateway, which
asks here after checking the login; once expired, every version of the object is deleted.
"""

import base64

from botocore.exceptions import ClientError

from services.contracts.errors import NotFound
from services.contracts.privacy import EXPORT, INSPECTION, ResultExpired, ResultNotReady
from services.privacy import repository as repo
from services.privacy.access import visible_request
from services.privacy.answer_files import export_zip
from services.privacy.inspection_pdf import inspection_pdf

FORMATS = {
    EXPORT: ("zip", "application/zip"),
    INSPECTION: ("pdf", "application/pdf"),
}
KEY_PREFIX = "privacy/answers"
MISSING_CODES = ("NoSuchKey", "404")


def answer_key(request) -> str:
    extension, _ = FORMATS[request["kind"]]
    return f"{KEY_PREFIX}/{request['id']}.{extension}"


def still_stored(request) -> bool:
    return request["result_key"] is not None and request["result_deleted_at"] is None


def fetch_file(storage, key: str) -> bytes | None:
    """A file a participant named in its export; None when it is gone from the bucket."""
    try:
        return storage.read(key)
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") in MISSING_CODES:
            return None
        raise


def store_answer(work, request, collected: list[dict]) -> dict:
    """Builds and stores the answer; returns the request's changes that point at it."""
    if request["kind"] == EXPORT:
        body = export_zip(collected, request, lambda key: fetch_file(work.storage, key), work.now)
    else:
        body = inspection_pdf(collected, request, work.now)
    key = answer_key(request)
    work.storage.put(key, body, FORMATS[request["kind"]][1])
    return {"result_key": key, "result_expires_at": work.now + work.settings.result_lifetime}


def fetch_answer(work, request_id, kind: str, actor: dict | None) -> dict:
    request = visible_request(work.db, request_id, actor)
    if request["kind"] != kind:
        raise NotFound(f"This request has no {kind} answer.")
    if request["result_deleted_at"] is not None:
        raise ResultExpired("The answer was kept for its days and then deleted.")
    if request["result_key"] is None:
        raise ResultNotReady("The answer is not ready yet; try again later.")
    extension, content_type = FORMATS[kind]
    body = work.storage.read(request["result_key"])
    work.audit(
        "privacy_answer_downloaded",
        actor and actor["account_id"],
        request["subject_id"],
        {"request_id": str(request["id"])},
    )
    return {
        "filename": f"{kind}-{request['login_name'] or request['id']}.{extension}",
        "content_type": content_type,
        "content": base64.b64encode(body).decode("ascii"),
    }


def delete_answer(work, request) -> None:
    work.storage.delete_everywhere(request["result_key"])
    repo.update_request(work.db, request["id"], {"result_deleted_at": work.now})


def delete_expired_answers(work, limit: int = 100) -> int:
    expired = repo.expired_results(work.db, work.now, limit)
    for request in expired:
        delete_answer(work, request)
    return len(expired)
