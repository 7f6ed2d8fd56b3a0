"""Monthly billing reports: admins see all of them, a subscriber's contacts their own.

A contact's organisation comes from the contact's own account; the billing service decides
what that lets the contact see, and answers 404 for anything else. Files are stored in S3: the
gateway fetches the short-lived link billing gives and streams the file on, so clients never
need to reach the storage themselves.
"""

import urllib.request

from werkzeug.wrappers import Response

from gateway.errors import ServiceUnavailable
from gateway.http import api
from gateway.request_input import load_body, query_of
from services.contracts.accounts import ADMIN, SUBSCRIBER
from services.contracts.billing import (
    DraftQuery,
    DraftReport,
    ReissueRequest,
    Report,
    ReportPage,
    ReportQuery,
)

REPORT_VIEWERS = (ADMIN, SUBSCRIBER)
FILE_CHUNK_BYTES = 64 * 1024
STORAGE_TIMEOUT_SECONDS = 30


def stored_file(link: dict) -> Response:
    """The file behind billing's link, streamed through a chunk at a time."""
    try:
        upstream = urllib.request.urlopen(link["url"], timeout=STORAGE_TIMEOUT_SECONDS)
    except OSError as exc:
        raise ServiceUnavailable("storage") from exc

    def chunks():
        with upstream:
            while chunk := upstream.read(FILE_CHUNK_BYTES):
                yield chunk

    headers = {
        "Content-Disposition": f'attachment; filename="{link["filename"]}"',
        "Cache-Control": "no-store",
    }
    if upstream.headers.get("Content-Length"):
        headers["Content-Length"] = upstream.headers["Content-Length"]
    return Response(
        chunks(), content_type=link["content_type"], headers=headers, direct_passthrough=True
    )


class ReportRoutes:
    def report_actor(self, request) -> dict:
        return self.report_actor_of(self.caller(request, roles=REPORT_VIEWERS))

    def report_actor_of(self, caller) -> dict:
        """The caller as billing needs it: a contact's actor carries its subscriber's id."""
        if caller.role != SUBSCRIBER:
            return caller.actor
        account = self.accounts.get_account(caller.account_id, caller.actor)
        return dict(caller.actor, subscriber_id=account["subscriber_id"])

    @api(
        "GET",
        "/api/reports",
        summary="Published monthly reports, newest first: every version of each",
        query_schema=ReportQuery,
        response_schema=ReportPage,
        tags=("reports",),
    )
    def list_reports(self, request):
        actor = self.report_actor(request)
        query = query_of(request)
        return ReportPage().dump(self.billing.list_reports(actor, query))

    @api(
        "GET",
        "/api/reports/draft",
        summary="A month's report as it stands: a draft until it is published",
        query_schema=DraftQuery,
        response_schema=DraftReport,
        tags=("reports",),
    )
    def preview_report(self, request):
        actor = self.report_actor(request)
        query = query_of(request)
        return DraftReport().dump(self.billing.preview_report(query, actor))

    @api(
        "GET",
        "/api/reports/<uuid:report_id>",
        summary="A published version of a monthly report",
        response_schema=Report,
        tags=("reports",),
    )
    def get_report(self, request, report_id):
        actor = self.report_actor(request)
        return Report().dump(self.billing.get_report(str(report_id), actor))

    @api(
        "GET",
        "/api/reports/<uuid:report_id>.csv",
        summary="The report as CSV for Excel: UTF-8 with a byte order mark, ';' between values",
        tags=("reports",),
    )
    def report_csv(self, request, report_id):
        actor = self.report_actor(request)
        return stored_file(self.billing.get_report_file(str(report_id), "csv", actor))

    @api(
        "GET",
        "/api/reports/<uuid:report_id>.pdf",
        summary="The report as PDF",
        tags=("reports",),
    )
    def report_pdf(self, request, report_id):
        actor = self.report_actor(request)
        return stored_file(self.billing.get_report_file(str(report_id), "pdf", actor))

    @api(
        "POST",
        "/api/reports/<uuid:report_id>/reissue",
        summary="Re-issue a report as a new version, with the reason (admin); all versions stay",
        request_schema=ReissueRequest,
        response_schema=Report,
        status=201,
        tags=("reports",),
    )
    def reissue_report(self, request, report_id):
        caller = self.caller(request, roles=(ADMIN,))
        body = load_body(request, ReissueRequest)
        return 201, Report().dump(self.billing.reissue_report(str(report_id), body, caller.actor))
