"""Oversight of personal data: the retention preview, the audit log and the breach register."""

from gateway.http import api
from gateway.request_input import load_body, query_of
from services.contracts.accounts import ADMIN, PRIVACY, PageQuery
from services.contracts.privacy import (
    AuditPage,
    AuditQuery,
    Breach,
    BreachList,
    BreachReport,
    BreachUpdate,
    RetentionPreview,
)

BREACH_HANDLERS = (PRIVACY, ADMIN)


class PrivacyOversightRoutes:
    @api(
        "GET",
        "/api/privacy/retention/preview",
        summary="Coachees the retention run a month from now erases (created two calendar years "
        "before)",
        query_schema=PageQuery,
        response_schema=RetentionPreview,
        tags=("privacy",),
    )
    def retention_preview(self, request):
        caller = self.caller(request, roles=(PRIVACY,))
        page = query_of(request)
        preview = self.privacy.retention_preview(caller.actor, page["limit"], page["cursor"])
        return RetentionPreview().dump(preview)

    @api(
        "GET",
        "/api/audit",
        summary="Search the audit log by person, staff member and time, newest first",
        query_schema=AuditQuery,
        response_schema=AuditPage,
        tags=("audit",),
    )
    def search_audit_log(self, request):
        caller = self.caller(request, roles=(PRIVACY,))
        query = query_of(request)
        return AuditPage().dump(self.privacy.search_audit_log(query, caller.actor))

    @api(
        "GET",
        "/api/breaches",
        summary="The breach register, open breaches by their notification deadline",
        response_schema=BreachList,
        tags=("breaches",),
    )
    def list_breaches(self, request):
        caller = self.caller(request, roles=BREACH_HANDLERS)
        return BreachList().dump(self.privacy.list_breaches(caller.actor))

    @api(
        "POST",
        "/api/breaches",
        summary="Record a suspected breach; the authority is to be notified within 72 hours",
        request_schema=BreachReport,
        response_schema=Breach,
        status=201,
        tags=("breaches",),
    )
    def register_breach(self, request):
        caller = self.caller(request, roles=BREACH_HANDLERS)
        report = load_body(request, BreachReport)
        return 201, Breach().dump(self.privacy.register_breach(report, caller.actor))

    @api(
        "PATCH",
        "/api/breaches/<uuid:breach_id>",
        summary="Record the notification to the authority, the measures taken, or closing",
        request_schema=BreachUpdate,
        response_schema=Breach,
        tags=("breaches",),
    )
    def update_breach(self, request, breach_id):
        caller = self.caller(request, roles=BREACH_HANDLERS)
        update = load_body(request, BreachUpdate)
        updated = self.privacy.update_breach(str(breach_id), update, caller.actor)
        return Breach().dump(updated)
