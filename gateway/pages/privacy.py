"""Privacy staff's pages: their home and the data-subject requests (R-RIGHTS).

Every form is read with the API's contract schema and sent to the same privacy RPC as the JSON
route in `gateway.routes.privacy`. An erasure cannot be taken back, so registering one shows the
dry run first — what each service would remove, anonymise and keep, and why — and only the
confirming post (`vahvistettu=1`) registers it; the saga then starts on its own.
"""

from gateway.pages.forms import FORM_REFUSALS, FormRefused, form_of, load_form, refusal_errors
from gateway.pages.privacy_oversight import PrivacyOversightPages, awaiting_notification, chosen
from gateway.pages.privacy_times import aware_moment, time_left
from gateway.pages.rendering import redirect, render
from gateway.pages.routing import page
from gateway.routes.privacy import file_response
from services.contracts.accounts import PRIVACY
from services.contracts.privacy import (
    ERASURE,
    EXPORT,
    INSPECTION,
    OPEN,
    Rectification,
    RequestFilter,
    RequestRegistration,
)

REQUESTS = "/tietosuoja/pyynnot"
NEW_REQUEST = f"{REQUESTS}/uusi"
CONFIRMED = "vahvistettu"
CHANGE = "muuta"
HOME_REQUESTS = 20
FILTERS = ("status", "kind", "cursor")


def registration_of(posted: dict) -> dict:
    """The posted form as `RequestRegistration` reads it: the receipt time typed in Helsinki."""
    fields = {name: value for name, value in posted.items() if name not in (CONFIRMED, CHANGE)}
    if "received_at" in fields:
        fields["received_at"] = aware_moment(fields["received_at"])
    return fields


class PrivacyPages(PrivacyOversightPages):
    def privacy_home(self, request, visitor):
        """What needs doing now: open requests, the overdue first, and breaches to notify."""
        actor = visitor.caller.actor
        filters = load_form(RequestFilter, {"status": OPEN, "limit": HOME_REQUESTS}, visitor)
        requests = self.privacy.list_requests(filters, actor)
        now = self.clock.now()
        breaches = [
            {**breach, "left": time_left(breach["notify_by"], now)}
            for breach in self.privacy.list_breaches(actor)["items"]
            if awaiting_notification(breach)
        ]
        context = {"requests": requests, "breaches": breaches}
        return render(visitor, "privacy/home.html", context)

    @page("GET", REQUESTS, roles=(PRIVACY,))
    def privacy_requests_page(self, request, visitor):
        asked = chosen(request.args, FILTERS)
        try:
            filters = load_form(RequestFilter, asked, visitor)
        except FormRefused as refusal:
            context = {"found": None, "filters": asked, "errors": refusal.errors}
            return render(visitor, "privacy/requests.html", context, status=422)
        found = self.privacy.list_requests(filters, visitor.caller.actor)
        context = {"found": found, "filters": asked, "errors": {}}
        return render(visitor, "privacy/requests.html", context)

    @page("GET", NEW_REQUEST, roles=(PRIVACY,))
    def new_privacy_request_page(self, request, visitor):
        form = chosen(request.args, ("kind",))
        return render(visitor, "privacy/new_request.html", {"form": form, "errors": {}})

    @page("POST", NEW_REQUEST, roles=(PRIVACY,))
    def register_privacy_request_form(self, request, visitor):
        posted = form_of(request)
        actor = visitor.caller.actor
        if posted.get(CHANGE):
            return render(visitor, "privacy/new_request.html", {"form": posted, "errors": {}})
        try:
            registration = load_form(RequestRegistration, registration_of(posted), visitor)
            if registration["kind"] == ERASURE and posted.get(CONFIRMED) != "1":
                preview = self.privacy.preview_erasure(registration["username"], actor)
                context = {"form": posted, "preview": preview}
                return render(visitor, "privacy/erasure_preview.html", context)
            created = self.privacy.register_request(registration, actor)
        except FORM_REFUSALS as refusal:
            context = {"form": posted, "errors": refusal_errors(refusal, visitor)}
            return render(visitor, "privacy/new_request.html", context, status=422)
        return redirect(visitor, f"{REQUESTS}/{created['id']}?rekisteroity=1")

    @page("GET", f"{REQUESTS}/<uuid:request_id>", roles=(PRIVACY,))
    def privacy_request_page(self, request, visitor, request_id):
        found = self.privacy.get_request(str(request_id), visitor.caller.actor)
        context = {"request": found, "form": {}, "errors": {}, "shown": request.args}
        return render(visitor, "privacy/request.html", context)

    @page("POST", f"{REQUESTS}/<uuid:request_id>/oikaisu", roles=(PRIVACY,))
    def record_rectification_form(self, request, visitor, request_id):
        posted = form_of(request)
        actor = visitor.caller.actor
        try:
            change = load_form(Rectification, posted, visitor)
        except FormRefused as refusal:
            found = self.privacy.get_request(str(request_id), actor)
            context = {"request": found, "form": posted, "errors": refusal.errors, "shown": {}}
            return render(visitor, "privacy/request.html", context, status=422)
        self.privacy.record_rectification(str(request_id), change, actor)
        return redirect(visitor, f"{REQUESTS}/{request_id}?oikaistu=1")

    @page("GET", f"{REQUESTS}/<uuid:request_id>/vienti.zip", roles=(PRIVACY,))
    def privacy_export_download(self, request, visitor, request_id):
        answer = self.privacy.fetch_result(str(request_id), EXPORT, visitor.caller.actor)
        return file_response(answer)

    @page("GET", f"{REQUESTS}/<uuid:request_id>/tarkastus.pdf", roles=(PRIVACY,))
    def privacy_inspection_download(self, request, visitor, request_id):
        answer = self.privacy.fetch_result(str(request_id), INSPECTION, visitor.caller.actor)
        return file_response(answer)
