"""The administrator's services, coaches and hours, subscribers and rosters, reports, feedback.

Each form is read with the JSON API's own contract schema and sent to the same RPC as its route;
what the page adds is only the HTML form's shape: checkboxes for lists, one email a line, a day
with times for an availability change, one row per working period.
"""

from datetime import date, datetime

from gateway.errors import ApiError
from gateway.pages.admin_catalogue_forms import (
    availability_change,
    coach_form,
    folded,
    hours_rows,
    posted_hours,
    service_form,
    subscriber_form,
    this_month,
)
from gateway.pages.forms import (
    FORM_REFUSALS,
    FormRefused,
    field_messages,
    form_of,
    load_form,
    refusal_errors,
)
from gateway.pages.i18n import HELSINKI
from gateway.pages.rendering import redirect, render
from gateway.pages.routing import FILE_FORM_MAX_BYTES, page
from gateway.routes.billing import DEFAULT_ROSTER_MAX_BYTES, ROSTER_FIELD, roster_text
from services.contracts.accounts import ADMIN, COACH
from services.contracts.billing import (
    DraftQuery,
    ReissueRequest,
    ReportQuery,
    SubscriberChanges,
    SubscriberCreation,
)
from services.contracts.bookings import (
    AvailabilityChangeInput,
    CoachChanges,
    CoachInput,
    FeedbackSummaryQuery,
    ServiceChanges,
    ServiceInput,
    WorkingHoursInput,
)
from services.contracts.errors import InvalidInput, NotFound

ADMINS = (ADMIN,)
STAFF_PAGES = 20
PAGE_SIZE = 100
LISTS = ("delivery_methods", "service_ids")


class AdminCataloguePages:
    def catalogue_services(self, visitor) -> list[dict]:
        """Every service, those taken out of use too (they can be put back)."""
        return self.bookings.list_services(True, visitor.caller.actor)["items"]

    def catalogue_service(self, visitor, service_id: str) -> dict:
        for service in self.catalogue_services(visitor):
            if service["id"] == service_id:
                return service
        raise NotFound("No such service.")

    def coach_of(self, coach_id: str) -> dict:
        for coach in self.bookings.list_coaches()["items"]:
            if coach["id"] == coach_id:
                return coach
        raise NotFound("No such coach.")

    def coach_accounts(self, visitor) -> list[dict]:
        """Coach-role staff accounts, read page by page (a bounded number of pages)."""
        accounts, cursor = [], None
        for _page in range(STAFF_PAGES):
            found = self.accounts.list_staff(visitor.caller.actor, PAGE_SIZE, cursor)
            accounts.extend(a for a in found["items"] if a["role"] == COACH)
            cursor = found.get("next_cursor")
            if not cursor:
                break
        return accounts

    # Services

    @page("GET", "/hallinta/palvelut", roles=ADMINS)
    def catalogue_page(self, request, visitor):
        services = self.catalogue_services(visitor)
        context = {
            "services": [service for service in services if service["active"]],
            "inactive_services": [service for service in services if not service["active"]],
            "saved": request.args.get("tallennettu"),
            "removed": request.args.get("poistettu"),
            "restored": request.args.get("palautettu"),
        }
        return render(visitor, "admin_catalogue/services.html", context)

    @page("GET", "/hallinta/palvelut/uusi", roles=ADMINS)
    def new_service_page(self, request, visitor):
        return self.service_form_page(visitor, None, {"delivery_methods": []}, {})

    @page("POST", "/hallinta/palvelut/uusi", roles=ADMINS)
    def create_service_page(self, request, visitor):
        posted = form_of(request, lists=LISTS)
        try:
            data = load_form(ServiceInput, service_form(posted, creating=True), visitor)
            self.bookings.create_service(data, visitor.caller.actor)
        except FORM_REFUSALS as refusal:
            errors = folded(refusal_errors(refusal, visitor))
            return self.service_form_page(visitor, None, posted, errors, 422)
        return redirect(visitor, "/hallinta/palvelut?tallennettu=1")

    @page("GET", "/hallinta/palvelut/<service_id>", roles=ADMINS)
    def service_page(self, request, visitor, service_id):
        service = self.catalogue_service(visitor, service_id)
        return self.service_form_page(visitor, service, service, {})

    @page("POST", "/hallinta/palvelut/<service_id>", roles=ADMINS)
    def edit_service_page(self, request, visitor, service_id):
        service = self.catalogue_service(visitor, service_id)
        posted = form_of(request, lists=LISTS)
        try:
            changes = load_form(ServiceChanges, service_form(posted, creating=False), visitor)
            self.bookings.update_service(service_id, changes, visitor.caller.actor)
        except FORM_REFUSALS as refusal:
            errors = folded(refusal_errors(refusal, visitor))
            form = dict(posted, specifications=service["specifications"])
            return self.service_form_page(visitor, service, form, errors, 422)
        return redirect(visitor, "/hallinta/palvelut?tallennettu=1")

    @page("POST", "/hallinta/palvelut/<service_id>/poista-kaytosta", roles=ADMINS)
    def deactivate_service_page(self, request, visitor, service_id):
        self.catalogue_service(visitor, service_id)
        self.bookings.update_service(service_id, {"active": False}, visitor.caller.actor)
        return redirect(visitor, "/hallinta/palvelut?poistettu=1")

    @page("POST", "/hallinta/palvelut/<service_id>/ota-kayttoon", roles=ADMINS)
    def reactivate_service_page(self, request, visitor, service_id):
        self.catalogue_service(visitor, service_id)
        self.bookings.update_service(service_id, {"active": True}, visitor.caller.actor)
        return redirect(visitor, "/hallinta/palvelut?palautettu=1")

    def service_form_page(self, visitor, service, form, errors, status=200):
        context = {"service": service, "form": form, "errors": errors}
        return render(visitor, "admin_catalogue/service_form.html", context, status)

    # Coaches

    @page("GET", "/hallinta/valmentajat", roles=ADMINS)
    def coaches_page(self, request, visitor):
        return self.coaches_list_page(visitor, {"service_ids": []}, {})

    @page("POST", "/hallinta/valmentajat", roles=ADMINS)
    def create_coach_page(self, request, visitor):
        posted = form_of(request, lists=LISTS)
        accounts = self.coach_accounts(visitor)
        try:
            data = load_form(CoachInput, coach_form(posted, accounts), visitor)
            coach = self.bookings.create_coach(data, visitor.caller.actor)
        except FORM_REFUSALS as refusal:
            errors = folded(refusal_errors(refusal, visitor))
            return self.coaches_list_page(visitor, posted, errors, 422, accounts)
        return redirect(visitor, f"/hallinta/valmentajat/{coach['id']}?tallennettu=lisatty")

    def coaches_list_page(self, visitor, form, errors, status=200, accounts=None):
        coaches = self.bookings.list_coaches()["items"]
        linked = {coach["account_id"] for coach in coaches}
        accounts = self.coach_accounts(visitor) if accounts is None else accounts
        context = {
            "coaches": coaches,
            "accounts": [a for a in accounts if a["id"] not in linked],
            "services": self.catalogue_services(visitor),
            "form": form,
            "errors": errors,
        }
        return render(visitor, "admin_catalogue/coaches.html", context, status)

    @page("GET", "/hallinta/valmentajat/<coach_id>", roles=ADMINS)
    def coach_page(self, request, visitor, coach_id):
        coach = self.coach_of(coach_id)
        return self.coach_detail_page(request, visitor, coach, {})

    @page("POST", "/hallinta/valmentajat/<coach_id>", roles=ADMINS)
    def edit_coach_page(self, request, visitor, coach_id):
        coach = self.coach_of(coach_id)
        posted = form_of(request, lists=LISTS)
        try:
            changes = load_form(CoachChanges, coach_form(posted, editing=True), visitor)
            self.bookings.update_coach(coach_id, changes, visitor.caller.actor)
        except FORM_REFUSALS as refusal:
            errors = {"coach": folded(refusal_errors(refusal, visitor))}
            return self.coach_detail_page(request, visitor, coach, errors, coach_form_values=posted)
        return redirect(visitor, f"/hallinta/valmentajat/{coach_id}?tallennettu=tiedot")

    @page("POST", "/hallinta/valmentajat/<coach_id>/tyoajat", roles=ADMINS)
    def set_hours_page(self, request, visitor, coach_id):
        coach = self.coach_of(coach_id)
        rows, periods, row_of = posted_hours(request.form)
        try:
            hours = load_form(WorkingHoursInput, {"hours": periods}, visitor)["hours"]
            self.bookings.set_working_hours(coach_id, hours, visitor.caller.actor)
        except FormRefused as refusal:
            errors = {"hours": row_errors(refusal.errors, row_of)}
            return self.coach_detail_page(request, visitor, coach, errors, hour_rows=rows)
        except InvalidInput as exc:
            errors = {"hours": service_row_errors(exc, row_of, visitor)}
            return self.coach_detail_page(request, visitor, coach, errors, hour_rows=rows)
        return redirect(visitor, f"/hallinta/valmentajat/{coach_id}?tallennettu=tyoajat")

    @page("POST", "/hallinta/valmentajat/<coach_id>/poikkeukset", roles=ADMINS)
    def add_change_page(self, request, visitor, coach_id):
        coach = self.coach_of(coach_id)
        posted = form_of(request)
        try:
            change = load_form(
                AvailabilityChangeInput, availability_change(posted, visitor), visitor
            )
            self.bookings.add_availability_change(coach_id, change, visitor.caller.actor)
        except FORM_REFUSALS as refusal:
            errors = {"change": at_day_fields(refusal_errors(refusal, visitor))}
            return self.coach_detail_page(request, visitor, coach, errors, change_values=posted)
        return redirect(visitor, f"/hallinta/valmentajat/{coach_id}?tallennettu=poikkeus")

    @page("POST", "/hallinta/valmentajat/<coach_id>/poikkeukset/<change_id>/poista", roles=ADMINS)
    def remove_change_page(self, request, visitor, coach_id, change_id):
        self.bookings.remove_availability_change(coach_id, change_id, visitor.caller.actor)
        return redirect(visitor, f"/hallinta/valmentajat/{coach_id}?tallennettu=poistettu")

    def coach_detail_page(
        self,
        request,
        visitor,
        coach,
        errors,
        *,
        coach_form_values=None,
        hour_rows=None,
        change_values=None,
    ):
        actor = visitor.caller.actor
        hours = self.bookings.get_working_hours(coach["id"])["items"]
        changes = self.bookings.list_availability_changes(coach["id"], {}, actor)["items"]
        context = {
            "coach": coach,
            "coach_form": coach_form_values or coach,
            "services": self.catalogue_services(visitor),
            "rows": hour_rows if hour_rows is not None else hours_rows(hours),
            "changes": changes,
            "change_form": change_values or {"kind": "time_off"},
            "errors": {"coach": {}, "hours": {}, "change": {}, **errors},
            "saved": request.args.get("tallennettu"),
        }
        status = 422 if errors else 200
        return render(visitor, "admin_catalogue/coach.html", context, status)

    # Subscribers

    @page("GET", "/hallinta/tilaajat", roles=ADMINS)
    def subscribers_page(self, request, visitor):
        cursor = request.args.get("jatka") or None
        found = self.billing.list_subscribers(visitor.caller.actor, PAGE_SIZE, cursor)
        context = {"subscribers": found["items"], "next_cursor": found.get("next_cursor")}
        return render(visitor, "admin_catalogue/subscribers.html", context)

    @page("GET", "/hallinta/tilaajat/uusi", roles=ADMINS)
    def new_subscriber_page(self, request, visitor):
        form = {"eligibility_method": "roster", "identifier_label": "Jäsennumero", "active": True}
        return self.subscriber_form_page(visitor, None, form, {})

    @page("POST", "/hallinta/tilaajat/uusi", roles=ADMINS)
    def create_subscriber_page(self, request, visitor):
        posted = form_of(request)
        try:
            data = load_form(SubscriberCreation, subscriber_form(posted), visitor)
            created = self.billing.create_subscriber(data, visitor.caller.actor)
        except FORM_REFUSALS as refusal:
            errors = folded(refusal_errors(refusal, visitor))
            return self.subscriber_form_page(visitor, None, posted, errors, 422)
        return redirect(visitor, f"/hallinta/tilaajat/{created['id']}?tallennettu=1")

    @page("GET", "/hallinta/tilaajat/<uuid:subscriber_id>", roles=ADMINS)
    def subscriber_page(self, request, visitor, subscriber_id):
        subscriber = self.billing.get_subscriber(str(subscriber_id))
        form = dict(
            subscriber, billing_contact_emails="\n".join(subscriber["billing_contact_emails"])
        )
        saved = request.args.get("tallennettu")
        return self.subscriber_form_page(visitor, subscriber, form, {}, saved=saved)

    @page("POST", "/hallinta/tilaajat/<uuid:subscriber_id>", roles=ADMINS)
    def edit_subscriber_page(self, request, visitor, subscriber_id):
        subscriber = self.billing.get_subscriber(str(subscriber_id))
        posted = form_of(request)
        try:
            changes = load_form(SubscriberChanges, subscriber_form(posted), visitor)
            self.billing.update_subscriber(subscriber["id"], changes, visitor.caller.actor)
        except FORM_REFUSALS as refusal:
            errors = folded(refusal_errors(refusal, visitor))
            return self.subscriber_form_page(visitor, subscriber, posted, errors, 422)
        return redirect(visitor, f"/hallinta/tilaajat/{subscriber['id']}?tallennettu=1")

    def subscriber_form_page(self, visitor, subscriber, form, errors, status=200, saved=None):
        context = {"subscriber": subscriber, "form": form, "errors": errors, "saved": saved}
        return render(visitor, "admin_catalogue/subscriber_form.html", context, status)

    @page("GET", "/hallinta/tilaajat/<uuid:subscriber_id>/jasenrekisteri", roles=ADMINS)
    def roster_page(self, request, visitor, subscriber_id):
        subscriber = self.billing.get_subscriber(str(subscriber_id))
        return self.roster_form_page(visitor, subscriber, {}, [], saved=request.args.get("jasenia"))

    @page(
        "POST",
        "/hallinta/tilaajat/<uuid:subscriber_id>/jasenrekisteri",
        roles=ADMINS,
        max_bytes=FILE_FORM_MAX_BYTES,
    )
    def replace_roster_page(self, request, visitor, subscriber_id):
        subscriber = self.billing.get_subscriber(str(subscriber_id))
        max_bytes = int(self.config.get("ROSTER_MAX_BYTES", DEFAULT_ROSTER_MAX_BYTES))
        try:
            csv_text = roster_text(request, max_bytes)
            size = self.billing.replace_roster(subscriber["id"], csv_text, visitor.caller.actor)
        except ApiError as exc:
            errors = field_messages(exc.fields or {ROSTER_FIELD: [exc.message]}, visitor)
            return self.roster_form_page(visitor, subscriber, errors, [], status=422)
        except InvalidInput as exc:
            problems = exc.fields.get(ROSTER_FIELD) or [exc.message]
            errors = {ROSTER_FIELD: visitor._("Jäsenrekisteriä ei vaihdettu.")}
            return self.roster_form_page(visitor, subscriber, errors, problems, status=422)
        path = f"/hallinta/tilaajat/{subscriber['id']}/jasenrekisteri?jasenia={size['members']}"
        return redirect(visitor, path)

    def roster_form_page(self, visitor, subscriber, errors, problems, status=200, saved=None):
        context = {"subscriber": subscriber, "errors": errors, "problems": problems, "saved": saved}
        return render(visitor, "admin_catalogue/roster.html", context, status)

    # Reports

    @page("GET", "/hallinta/raportit", roles=ADMINS)
    def reports_page(self, request, visitor):
        actor = visitor.caller.actor
        subscribers = self.billing.list_subscribers(actor, PAGE_SIZE, None)["items"]
        chosen = {
            "subscriber_id": request.args.get("subscriber_id")
            or (subscribers[0]["id"] if subscribers else None),
            "period": request.args.get("period") or this_month(datetime.now(HELSINKI)),
        }
        context = {"subscribers": subscribers, "chosen": chosen, "errors": {}}
        context.update(draft=None, reports=[])
        if not chosen["subscriber_id"]:
            return render(visitor, "admin_catalogue/reports.html", context)
        try:
            query = load_form(DraftQuery, chosen, visitor)
            listing = load_form(ReportQuery, {"subscriber_id": chosen["subscriber_id"]}, visitor)
        except FormRefused as refusal:
            context["errors"] = refusal.errors
            return render(visitor, "admin_catalogue/reports.html", context, 422)
        context["draft"] = self.billing.preview_report(query, actor)
        context["reports"] = self.billing.list_reports(actor, listing)["items"]
        return render(visitor, "admin_catalogue/reports.html", context)

    @page("GET", "/hallinta/raportit/<uuid:report_id>", roles=ADMINS)
    def report_page(self, request, visitor, report_id):
        report = self.billing.get_report(str(report_id), visitor.caller.actor)
        return self.report_detail_page(visitor, report, {}, {})

    @page("POST", "/hallinta/raportit/<uuid:report_id>/uudelleen", roles=ADMINS)
    def reissue_report_page(self, request, visitor, report_id):
        actor = visitor.caller.actor
        report = self.billing.get_report(str(report_id), actor)
        posted = form_of(request)
        try:
            body = load_form(ReissueRequest, posted, visitor)
            issued = self.billing.reissue_report(report["id"], body, actor)
        except FORM_REFUSALS as refusal:
            errors = refusal_errors(refusal, visitor, "reason")
            return self.report_detail_page(visitor, report, posted, errors, 422)
        return redirect(visitor, f"/hallinta/raportit/{issued['id']}?uusi=1")

    def report_detail_page(self, visitor, report, form, errors, status=200):
        context = {"report": report, "form": form, "errors": errors}
        return render(visitor, "admin_catalogue/report.html", context, status)

    # Feedback

    @page("GET", "/hallinta/palaute", roles=ADMINS)
    def feedback_page(self, request, visitor):
        today = datetime.now(HELSINKI).date()
        asked = {
            "from": request.args.get("from") or date(today.year, 1, 1).isoformat(),
            "to": request.args.get("to") or today.isoformat(),
        }
        context = {"asked": asked, "summary": None, "errors": {}}
        try:
            query = load_form(FeedbackSummaryQuery, asked, visitor)
            context["summary"] = self.bookings.summarize_feedback(query, visitor.caller.actor)
        except FORM_REFUSALS as refusal:
            context["errors"] = refusal_errors(refusal, visitor, "from")
            return render(visitor, "admin_catalogue/feedback.html", context, 422)
        return render(visitor, "admin_catalogue/feedback.html", context)


def row_errors(errors: dict, row_of: list[int]) -> dict:
    """`hours.<position>.<field>` of the list sent back to the form's own row numbers."""
    at_rows = {}
    for name, message in errors.items():
        parts = name.split(".")
        if len(parts) == 3 and parts[1].isdigit() and int(parts[1]) < len(row_of):
            at_rows[f"hours.{row_of[int(parts[1])]}.{parts[2]}"] = message
        else:
            at_rows.setdefault("hours", message)
    return at_rows


def service_row_errors(exc: InvalidInput, row_of: list[int], visitor) -> dict:
    """The service names a refused period as `<position>: <problem>`; put it at that row's end."""
    at_rows = {}
    for problem in exc.fields.get("hours", []) or [exc.message]:
        position, _, said = str(problem).partition(": ")
        if position.isdigit() and int(position) < len(row_of):
            at_rows[f"hours.{row_of[int(position)]}.ends"] = visitor.language.field_error(said)
        else:
            at_rows.setdefault("hours", visitor.language.field_error(str(problem)))
    return at_rows


def at_day_fields(errors: dict) -> dict:
    """The contract's `starts_at`/`ends_at` are the form's day-and-time inputs."""
    names = {"starts_at": "starts", "ends_at": "ends"}
    return {names.get(name, name): message for name, message in errors.items()}
