"""Oversight pages: the coming retention run (R-RET), the audit log (R-SEC-1) and the breach
register with its 72-hour notification deadline (R-BREACH-1; administrators handle breaches too).

The same contract schemas and privacy RPCs as `gateway.routes.privacy_oversight`. Times are typed
in Helsinki (`privacy_times`); a search by day covers the whole of its last day.
"""

from gateway.pages.forms import FORM_REFUSALS, FormRefused, form_of, load_form, refusal_errors
from gateway.pages.privacy_times import aware_moment, day_start, time_left, typed_moment
from gateway.pages.rendering import redirect, render
from gateway.pages.routing import page
from gateway.request_input import accepted
from gateway.routes.privacy_oversight import BREACH_HANDLERS
from services.contracts.accounts import PRIVACY, PageQuery
from services.contracts.errors import NotFound
from services.contracts.privacy import AuditQuery, BreachReport, BreachUpdate

RETENTION = "/tietosuoja/sailytys"
AUDIT_LOG = "/tietosuoja/loki"
BREACHES = "/tietosuoja/loukkaukset"
NEW_BREACH = f"{BREACHES}/uusi"
AUDIT_FIELDS = ("subject", "actor", "from", "to", "cursor")
AUDIT_PAGE = 50
CLOSED_CHECKED = "true"


def chosen(args, names) -> dict:
    """The query's values for `names`, left out when empty (as `form_of` does for posts)."""
    return {name: args[name].strip() for name in names if args.get(name, "").strip()}


def awaiting_notification(breach: dict) -> bool:
    return breach["authority_notified_at"] is None and breach["closed_at"] is None


def audit_query_of(asked: dict) -> dict:
    """The search form as `AuditQuery` reads it: `from` and `to` are whole Helsinki days."""
    query = {**asked, "limit": AUDIT_PAGE}
    if "from" in asked:
        query["from"] = day_start(asked["from"])
    if "to" in asked:
        query["to"] = day_start(asked["to"], days_later=1)
    return query


def breach_update_of(posted: dict) -> dict:
    """The notification form as `BreachUpdate` reads it: a ticked box is JSON's `true`."""
    update = {name: value for name, value in posted.items() if name != "closed"}
    if "authority_notified_at" in update:
        update["authority_notified_at"] = aware_moment(update["authority_notified_at"])
    if posted.get("closed") == CLOSED_CHECKED:
        update["closed"] = True
    return update


class PrivacyOversightPages:
    @page("GET", RETENTION, roles=(PRIVACY,))
    def retention_page(self, request, visitor):
        asked = chosen(request.args, ("cursor",))
        paging = accepted(PageQuery(), asked)
        preview = self.privacy.retention_preview(
            visitor.caller.actor, paging["limit"], paging["cursor"]
        )
        return render(visitor, "privacy/retention.html", {"preview": preview, "query": asked})

    @page("GET", AUDIT_LOG, roles=(PRIVACY,))
    def audit_log_page(self, request, visitor):
        asked = chosen(request.args, AUDIT_FIELDS)
        try:
            query = load_form(AuditQuery, audit_query_of(asked), visitor)
        except FormRefused as refusal:
            context = {"found": None, "asked": asked, "errors": refusal.errors}
            return render(visitor, "privacy/audit_log.html", context, status=422)
        found = self.privacy.search_audit_log(query, visitor.caller.actor)
        context = {"found": found, "asked": asked, "errors": {}}
        return render(visitor, "privacy/audit_log.html", context)

    @page("GET", BREACHES, roles=BREACH_HANDLERS)
    def breaches_page(self, request, visitor):
        now = self.clock.now()
        breaches = [
            {**breach, "left": time_left(breach["notify_by"], now)}
            for breach in self.privacy.list_breaches(visitor.caller.actor)["items"]
        ]
        context = {"breaches": breaches, "shown": request.args}
        return render(visitor, "privacy/breaches.html", context)

    @page("GET", NEW_BREACH, roles=BREACH_HANDLERS)
    def new_breach_page(self, request, visitor):
        return render(visitor, "privacy/new_breach.html", {"form": {}, "errors": {}})

    @page("POST", NEW_BREACH, roles=BREACH_HANDLERS)
    def record_breach_form(self, request, visitor):
        posted = form_of(request)
        report = {**posted}
        if "discovered_at" in report:
            report["discovered_at"] = aware_moment(report["discovered_at"])
        try:
            breach = self.privacy.register_breach(
                load_form(BreachReport, report, visitor), visitor.caller.actor
            )
        except FORM_REFUSALS as refusal:
            context = {"form": posted, "errors": refusal_errors(refusal, visitor)}
            return render(visitor, "privacy/new_breach.html", context, status=422)
        return redirect(visitor, f"{BREACHES}/{breach['id']}?kirjattu=1")

    def _breach(self, visitor, breach_id) -> dict:
        """One breach of the register (the RPCs list them all; the register stays small)."""
        for breach in self.privacy.list_breaches(visitor.caller.actor)["items"]:
            if breach["id"] == str(breach_id):
                return {**breach, "left": time_left(breach["notify_by"], self.clock.now())}
        raise NotFound("No such breach.")

    @page("GET", f"{BREACHES}/<uuid:breach_id>", roles=BREACH_HANDLERS)
    def breach_page(self, request, visitor, breach_id):
        breach = self._breach(visitor, breach_id)
        form = {
            "authority_notified_at": typed_moment(breach["authority_notified_at"]),
            "measures": breach["measures"] or "",
        }
        context = {"breach": breach, "form": form, "errors": {}, "shown": request.args}
        return render(visitor, "privacy/breach.html", context)

    @page("POST", f"{BREACHES}/<uuid:breach_id>", roles=BREACH_HANDLERS)
    def update_breach_form(self, request, visitor, breach_id):
        posted = form_of(request)
        try:
            update = load_form(BreachUpdate, breach_update_of(posted), visitor)
            self.privacy.update_breach(str(breach_id), update, visitor.caller.actor)
        except FORM_REFUSALS as refusal:
            breach = self._breach(visitor, breach_id)
            errors = refusal_errors(refusal, visitor)
            context = {"breach": breach, "form": posted, "errors": errors, "shown": {}}
            return render(visitor, "privacy/breach.html", context, status=422)
        return redirect(visitor, f"{BREACHES}/{breach_id}?tallennettu=1")
