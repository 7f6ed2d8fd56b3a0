"""Attachments of bookings: upload, list, download, delete.

File bytes never travel through RabbitMQ: the gateway writes the upload into a quarantine key
that media hands out (after checking who may attach and how much room is left), then asks media
to ingest it; a download streams from storage once media has said the caller may read it.
"""

import os
import unicodedata
from urllib.parse import quote

from botocore.exceptions import ClientError
from werkzeug.datastructures import FileStorage
from werkzeug.http import dump_options_header
from werkzeug.wrappers import Request, Response

from gateway.errors import ApiError
from gateway.http import api
from gateway.request_input import idempotency_key
from gateway.routes.media_storage import AttachmentStorage
from services.contracts.accounts import ADMIN, COACH, COACHEE, PRIVACY
from services.contracts.media import Attachment, AttachmentList

FILE_FIELD = "file"
MULTIPART_ALLOWANCE_BYTES = 64 * 1024
DOWNLOAD_CHUNK_BYTES = 64 * 1024
QUARANTINE_CONTENT_TYPE = "application/octet-stream"
READERS = (COACHEE, COACH, ADMIN, PRIVACY)
SEND_MULTIPART = f"Send the file as multipart/form-data in the field '{FILE_FIELD}'."


def uploaded_file(request: Request, max_bytes: int) -> FileStorage:
    """The file part, spooled to disk by werkzeug; a body past the limit is refused unread."""
    if request.mimetype != "multipart/form-data":
        raise ApiError(415, "unsupported_media_type", SEND_MULTIPART)
    request.max_content_length = max_bytes + MULTIPART_ALLOWANCE_BYTES
    upload = request.files.get(FILE_FIELD)
    if upload is None or not upload.filename:
        raise ApiError(422, "invalid_input", SEND_MULTIPART, {FILE_FIELD: [SEND_MULTIPART]})
    size = upload.stream.seek(0, os.SEEK_END)
    upload.stream.seek(0)
    if size > max_bytes:
        raise ApiError(413, "too_large", f"The file may be at most {max_bytes} bytes.")
    if size == 0:
        raise ApiError(422, "invalid_input", "The file is empty.", {FILE_FIELD: ["Empty."]})
    return upload


def content_disposition(name: str) -> str:
    """`attachment`, with an ASCII name for old clients and the real one (RFC 6266)."""
    fallback = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    return dump_options_header(
        "attachment",
        {"filename": fallback or "attachment", "filename*": "UTF-8''" + quote(name, safe="")},
    )


def chunks_of(body):
    try:
        while chunk := body.read(DOWNLOAD_CHUNK_BYTES):
            yield chunk
    finally:
        body.close()


def stored_body(storage, key: str):
    try:
        return storage.open(key)
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") != "NoSuchKey":
            raise
        raise ApiError(404, "not_found", "The file is no longer stored.") from None


def download_response(body, download: dict) -> Response:
    response = Response(chunks_of(body), mimetype=download["content_type"], direct_passthrough=True)
    response.headers["Content-Disposition"] = content_disposition(download["name"])
    response.headers["Content-Length"] = str(download["size"])
    response.headers["Cache-Control"] = "no-store"
    return response


class MediaRoutes:
    attachment_storage = AttachmentStorage()

    @api(
        "POST",
        "/api/bookings/<uuid:booking_id>/attachments",
        summary=f"Attach a file to an own booking (multipart/form-data, field '{FILE_FIELD}'): "
        "its metadata (location, camera, author) is removed before it is stored. 413 over the "
        "size limit, 415 for a type that is not accepted or does not match the name, 422 for "
        "a damaged file or a decompression bomb",
        response_schema=Attachment,
        status=201,
        idempotent=True,
        tags=("attachments",),
    )
    def upload_attachment(self, request, booking_id):
        caller = self.caller(request, roles=(COACHEE,))
        return 201, self.receive_attachment(
            request, str(booking_id), caller.actor, idempotency_key(request)
        )

    def receive_attachment(
        self, request: Request, booking_id: str, actor: dict, key: str | None
    ) -> dict:
        """The upload, from the API or the booking's page: media says whether and how much,
        the file goes into quarantine, media cleans it and answers the attachment."""
        slot = self.media.prepare_upload(booking_id, actor)
        upload = uploaded_file(request, slot["max_bytes"])
        self.attachment_storage.put(slot["quarantine_key"], upload.stream, QUARANTINE_CONTENT_TYPE)
        ingest = {
            "booking_id": booking_id,
            "quarantine_key": slot["quarantine_key"],
            "filename": upload.filename,
            "idempotency_key": key,
        }
        return self.media.ingest_upload(ingest, actor)

    @api(
        "GET",
        "/api/bookings/<uuid:booking_id>/attachments",
        summary="A booking's attachments (its coachee, the assigned coach, admins, privacy staff)",
        response_schema=AttachmentList,
        tags=("attachments",),
    )
    def list_attachments(self, request, booking_id):
        caller = self.caller(request, roles=READERS)
        return self.media.list_attachments(str(booking_id), caller.actor)

    @api(
        "GET",
        "/api/attachments/<uuid:attachment_id>",
        summary="Download an attachment, as an attachment with its stored content type",
        tags=("attachments",),
    )
    def download_attachment(self, request, attachment_id):
        caller = self.caller(request, roles=READERS)
        storage = self.attachment_storage
        download = self.media.get_download(str(attachment_id), caller.actor)
        return download_response(stored_body(storage, download["key"]), download)

    @api(
        "DELETE",
        "/api/attachments/<uuid:attachment_id>",
        summary="Remove an own attachment, until the session starts",
        status=204,
        tags=("attachments",),
    )
    def delete_attachment(self, request, attachment_id):
        caller = self.caller(request, roles=(COACHEE,))
        self.media.delete_attachment(str(attachment_id), caller.actor)
        return None
