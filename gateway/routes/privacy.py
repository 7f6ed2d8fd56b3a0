"""Data-subject requests: privacy staff register and follow them; a coachee asks for their own
export or erasure and downloads the answers; the erasure preview."""

import base64

from werkzeug.wrappers import Response

from gateway.errors import ApiError
from gateway.http import api
from gateway.request_input import load_body, query_of
from gateway.routes.privacy_oversight import PrivacyOversightRoutes
from services.contracts.accounts import COACHEE, PRIVACY, PasswordConfirmation, RequestAccepted
from services.contracts.errors import Unauthenticated
from services.contracts.privacy import (
    EXPORT,
    INSPECTION,
    ErasurePreview,
    ErasurePreviewQuery,
    OwnPrivacyRequestList,
    PrivacyRequest,
    PrivacyRequestPage,
    Rectification,
    RequestFilter,
    RequestRegistration,
)

WRONG_PASSWORD = "The password is wrong."
STAFF_OR_SUBJECT = (PRIVACY, COACHEE)
ANSWER_FILES = {EXPORT: "export.zip", INSPECTION: "inspection.pdf"}


def with_download(request: dict) -> dict:
    """The request with the path its answer file is downloaded from, while the file is kept."""
    download = None
    if request["result_available"] and request["kind"] in ANSWER_FILES:
        download = f"/api/privacy/requests/{request['id']}/{ANSWER_FILES[request['kind']]}"
    return {**request, "download": download}


def file_response(answer: dict) -> Response:
    return Response(
        base64.b64decode(answer["content"]),
        mimetype=answer["content_type"],
        headers={
            "Content-Disposition": f'attachment; filename="{answer["filename"]}"',
            "Cache-Control": "no-store",
        },
    )


class PrivacyRoutes(PrivacyOversightRoutes):
    @api(
        "POST",
        "/api/privacy/requests",
        summary="Register a data-subject request for a coachee, named by login name",
        request_schema=RequestRegistration,
        response_schema=PrivacyRequest,
        status=201,
        tags=("privacy",),
    )
    def register_privacy_request(self, request):
        caller = self.caller(request, roles=(PRIVACY,))
        data = load_body(request, RequestRegistration)
        registered = self.privacy.register_request(data, caller.actor)
        return 201, PrivacyRequest().dump(registered)

    @api(
        "GET",
        "/api/privacy/requests",
        summary="Requests, open ones first with the overdue at the top",
        query_schema=RequestFilter,
        response_schema=PrivacyRequestPage,
        tags=("privacy",),
    )
    def list_privacy_requests(self, request):
        caller = self.caller(request, roles=(PRIVACY,))
        filters = query_of(request)
        return PrivacyRequestPage().dump(self.privacy.list_requests(filters, caller.actor))

    @api(
        "GET",
        "/api/privacy/requests/<uuid:request_id>",
        summary="A request with every step of its saga (privacy staff, or the person)",
        response_schema=PrivacyRequest,
        tags=("privacy",),
    )
    def privacy_request(self, request, request_id):
        caller = self.caller(request, roles=STAFF_OR_SUBJECT)
        found = self.privacy.get_request(str(request_id), caller.actor)
        return PrivacyRequest().dump(found)

    @api(
        "PATCH",
        "/api/privacy/requests/<uuid:request_id>",
        summary="Complete a rectification request by linking the change made",
        request_schema=Rectification,
        response_schema=PrivacyRequest,
        tags=("privacy",),
    )
    def record_rectification(self, request, request_id):
        caller = self.caller(request, roles=(PRIVACY,))
        change = load_body(request, Rectification)
        updated = self.privacy.record_rectification(str(request_id), change, caller.actor)
        return PrivacyRequest().dump(updated)

    @api(
        "GET",
        "/api/privacy/requests/<uuid:request_id>/export.zip",
        summary="The export: one JSON file per service, the attachments and an HTML summary",
        tags=("privacy",),
    )
    def export_zip(self, request, request_id):
        caller = self.caller(request, roles=STAFF_OR_SUBJECT)
        return file_response(self.privacy.fetch_result(str(request_id), EXPORT, caller.actor))

    @api(
        "GET",
        "/api/privacy/requests/<uuid:request_id>/inspection.pdf",
        summary="The written answer to an inspection request",
        tags=("privacy",),
    )
    def inspection_pdf(self, request, request_id):
        caller = self.caller(request, roles=STAFF_OR_SUBJECT)
        return file_response(self.privacy.fetch_result(str(request_id), INSPECTION, caller.actor))

    @api(
        "GET",
        "/api/privacy/erasure-preview",
        summary="What erasing a coachee would remove, anonymise and retain, and why; changes "
        "nothing",
        query_schema=ErasurePreviewQuery,
        response_schema=ErasurePreview,
        tags=("privacy",),
    )
    def erasure_preview(self, request):
        caller = self.caller(request, roles=(PRIVACY,))
        username = query_of(request)["username"]
        return ErasurePreview().dump(self.privacy.preview_erasure(username, caller.actor))

    @api(
        "GET",
        "/api/me/requests",
        summary="One's own privacy requests (export, erasure, inspection, rectification), newest "
        "first, with where a finished export or inspection is downloaded. Coachees only: requests "
        "are about coachees, so a staff role is 403 (privacy staff list every request at "
        "/api/privacy/requests)",
        response_schema=OwnPrivacyRequestList,
        tags=("me",),
    )
    def own_privacy_requests(self, request):
        caller = self.caller(request, roles=(COACHEE,))
        return OwnPrivacyRequestList().dump({"items": self.own_requests(caller)})

    @api(
        "POST",
        "/api/me/export",
        summary="Ask for an export of one's own data (the password re-entered)",
        request_schema=PasswordConfirmation,
        response_schema=RequestAccepted,
        status=202,
        tags=("me",),
    )
    def request_own_export(self, request):
        caller = self.caller(request, roles=(COACHEE,))
        password = load_body(request, PasswordConfirmation)["password"]
        try:
            created = self.ask_own_export(request, caller, password)
        except Unauthenticated:
            raise ApiError(
                422, "wrong_password", WRONG_PASSWORD, {"password": [WRONG_PASSWORD]}
            ) from None
        return 202, RequestAccepted().dump({"request_id": created["id"]})

    @api(
        "POST",
        "/api/me/erasure",
        summary="Ask for one's own data to be erased (the password re-entered)",
        request_schema=PasswordConfirmation,
        response_schema=RequestAccepted,
        status=202,
        tags=("me",),
    )
    def request_own_erasure_by_post(self, request):
        """The same as `DELETE /api/me`: accounts records the request, the privacy saga runs it."""
        return self.request_own_erasure(request)

    def own_requests(self, caller) -> list[dict]:
        """The caller's own requests, newest first, each with its download path (or None)."""
        found = self.privacy.list_subject_requests(caller.account_id)
        return [with_download(item) for item in found["items"]]

    def ask_own_export(self, request, caller, password: str) -> dict:
        """The password re-entered (throttled like a login), then the export asked for; the API
        and the page ask this way. Raises `Unauthenticated` for a wrong password."""
        self.accounts.confirm_password(caller.account_id, password, self.client_address(request))
        return self.privacy.request_own_export(caller.account_id, caller.principal["username"])
