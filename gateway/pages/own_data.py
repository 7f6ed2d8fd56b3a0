"""`/tietojeni-hallinta`: a coachee asks for an export or the erasure of their data (R-RIGHTS-1/2)
and follows their requests, as `POST /api/me/export`, `POST /api/me/erasure` and
`GET /api/me/requests` do.

Both requests need the password re-entered. The page says before an erasure what is kept and
why (services' retention rules, see the privacy, bookings and billing READMEs). An erasure ends
the login at once: the saga disables the account in its first step anyway, and the person is
then told on a page that needs no login.
"""

from datetime import date, datetime, timedelta

from werkzeug.wrappers import Response

from gateway.pages.forms import FormRefused, form_of, load_form
from gateway.pages.i18n import HELSINKI
from gateway.pages.navigation import N_
from gateway.pages.rendering import redirect, render
from gateway.pages.routing import ANYONE, page
from services.contracts.accounts import COACHEE, PasswordConfirmation
from services.contracts.errors import Unauthenticated
from services.contracts.privacy import OPEN

OWN_DATA = "/tietojeni-hallinta"
EXPORT = f"{OWN_DATA}/vienti"
ERASURE = f"{OWN_DATA}/poisto"
ERASURE_ASKED = f"{OWN_DATA}/poisto-pyydetty"
PASSWORD_LABELS = {
    "export_password": N_("Salasana viennin vahvistamiseksi"),
    "erasure_password": N_("Salasana poiston vahvistamiseksi"),
}
KIND_NAMES = {
    "export": N_("Tietojen vienti"),
    "erasure": N_("Tietojen poisto"),
    "inspection": N_("Tarkastuspyyntö"),
    "rectification": N_("Oikaisupyyntö"),
}
STATUS_NAMES = {"open": N_("Käsittelyssä"), "completed": N_("Valmis")}


class OwnDataPages:
    @page("GET", OWN_DATA, roles=(COACHEE,))
    def own_data_page(self, request, visitor):
        asked = bool(request.args.get("vienti"))
        return self._own_data(visitor, export_asked=asked)

    @page("POST", EXPORT, roles=(COACHEE,))
    def ask_export_page(self, request, visitor):
        field = "export_password"
        try:
            password = confirmed_password(request, field, visitor)
            self.ask_own_export(request, visitor.caller, password)
        except FormRefused as refusal:
            return self._own_data(visitor, errors=refusal.errors, status=422)
        except Unauthenticated:
            return self._own_data(visitor, errors=wrong_password(field, visitor), status=422)
        return redirect(visitor, f"{OWN_DATA}?vienti=pyydetty")

    @page("POST", ERASURE, roles=(COACHEE,))
    def ask_erasure_page(self, request, visitor):
        field = "erasure_password"
        try:
            password = confirmed_password(request, field, visitor)
            self.accounts.request_erasure(
                visitor.account_id, password, self.client_address(request)
            )
        except FormRefused as refusal:
            return self._own_data(visitor, errors=refusal.errors, status=422)
        except Unauthenticated:
            return self._own_data(visitor, errors=wrong_password(field, visitor), status=422)
        return self.close_session(visitor.caller, redirect(visitor, ERASURE_ASKED))

    @page("GET", ERASURE_ASKED, roles=ANYONE)
    def erasure_asked_page(self, request, visitor):
        return render(visitor, "account/erasure_asked.html")

    def _own_data(self, visitor, errors=None, export_asked=False, status=200) -> Response:
        requests = [
            {**item, "due_day": last_day_before(item["due_at"])}
            for item in self.own_requests(visitor.caller)
        ]
        context = {
            "requests": requests,
            "any_open": any(item["status"] == OPEN for item in requests),
            "kind_names": KIND_NAMES,
            "status_names": STATUS_NAMES,
            "errors": errors or {},
            "labels": {name: visitor._(label) for name, label in PASSWORD_LABELS.items()},
            "export_asked": export_asked,
        }
        return render(visitor, "account/own_data.html", context, status=status)


def confirmed_password(request, field: str, visitor) -> str:
    """The password re-entered in `field` (the page has two), read with the API's
    `PasswordConfirmation`; its errors are said at `field`."""
    posted = form_of(request)
    data = {"password": posted[field]} if field in posted else {}
    try:
        return load_form(PasswordConfirmation, data, visitor)["password"]
    except FormRefused as refusal:
        raise FormRefused({field: next(iter(refusal.errors.values()))}) from None


def last_day_before(moment: str) -> date:
    """The day a deadline falls on: privacy keeps it as the instant the day ends (midnight in
    Helsinki), which as a date would read as the day after."""
    return (datetime.fromisoformat(moment) - timedelta(microseconds=1)).astimezone(HELSINKI).date()


def wrong_password(field: str, visitor) -> dict[str, str]:
    return {field: visitor._("Salasana on väärin.")}
