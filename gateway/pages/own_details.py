"""One's own details (R-PROFILE-1/2) and password, as `GET`/`PATCH /api/me` and
`POST /api/me/password` have them.

Everybody sees their details and changes their password; only a coachee edits the details (the
API allows `PATCH /api/me` to coachees alone, staff details are the admin's). The username is
shown but never sent. Every field a coachee's form shows is required, as in the booking form, so
a field emptied by mistake is refused rather than quietly left as it was.
"""

from werkzeug.wrappers import Response

from gateway.cookies import clear_session_cookie
from gateway.pages.forms import FORM_REFUSALS, FormRefused, form_of, load_form, refusal_errors
from gateway.pages.login import PASSWORD_CHANGED
from gateway.pages.navigation import LOGIN, N_
from gateway.pages.password_forms import MISSING, password_rules, repeat_errors
from gateway.pages.rendering import redirect, render
from gateway.pages.routing import ANY_ROLE, page
from services.contracts.accounts import COACHEE, AccountChanges, PasswordChange
from services.contracts.errors import InvalidInput, Unauthenticated

DETAILS = "/omat-tiedot"
PASSWORD = "/omat-tiedot/salasana"
DETAIL_LABELS = {
    "name": N_("Nimi"),
    "email": N_("Sähköpostiosoite"),
    "phone": N_("Puhelinnumero"),
    "subscriber_id": N_("Tilaaja"),
    "member_number": N_("Jäsennumero"),
}
DEFAULT_IDENTIFIER = "Jäsennumero"
PASSWORD_LABELS = {
    "current_password": N_("Nykyinen salasana"),
    "new_password": N_("Uusi salasana"),
    "new_password_again": N_("Uusi salasana uudelleen"),
}


class OwnDetailsPages:
    @page("GET", DETAILS, roles=ANY_ROLE)
    def own_details_page(self, request, visitor):
        account = self.accounts.get_account(visitor.account_id, visitor.caller.actor)
        saved = bool(request.args.get("tallennettu"))
        return self._details_form(visitor, account, account, saved=saved)

    @page("POST", DETAILS, roles=(COACHEE,))
    def change_own_details_page(self, request, visitor):
        account = self.accounts.get_account(visitor.account_id, visitor.caller.actor)
        posted = form_of(request)
        emptied = {
            name: visitor.language.field_error(MISSING)
            for name in DETAIL_LABELS
            if name not in posted
        }
        try:
            changes = load_form(AccountChanges, posted, visitor)
            if emptied:
                raise FormRefused(emptied)
            self.accounts.update_account(visitor.account_id, changes, visitor.caller.actor)
        except FormRefused as refusal:
            errors = in_form_order({**refusal.errors, **emptied})
            return self._details_form(visitor, account, posted, errors, status=422)
        except InvalidInput as exc:
            errors = refusal_errors(exc, visitor)
            if "member_number" in exc.fields:
                errors["member_number"] = visitor._(
                    "Valittu tilaaja ei vahvistanut tätä jäsennumeroa. Tarkista numero ja tilaaja."
                )
            return self._details_form(visitor, account, posted, errors, status=422)
        return redirect(visitor, f"{DETAILS}?tallennettu=1")

    @page("GET", PASSWORD, roles=ANY_ROLE)
    def own_password_page(self, request, visitor):
        return password_form(visitor)

    @page("POST", PASSWORD, roles=ANY_ROLE)
    def change_own_password_page(self, request, visitor):
        posted = form_of(request)
        again = posted.pop("new_password_again", None)
        errors = repeat_errors(posted.get("new_password"), again, "new_password_again", visitor)
        try:
            passwords = load_form(PasswordChange, posted, visitor)
            if errors:
                raise FormRefused(errors)
            self.accounts.change_password(
                visitor.account_id,
                passwords["current_password"],
                passwords["new_password"],
                self.client_address(request),
            )
        except Unauthenticated:
            wrong = visitor._("Nykyinen salasana on väärin.")
            return password_form(visitor, {"current_password": wrong}, status=422)
        except FORM_REFUSALS as refusal:
            refused = refusal_errors(refusal, visitor, "new_password")
            return password_form(visitor, {**refused, **errors}, status=422)
        self.sessions.forget_account(visitor.account_id)
        response = redirect(visitor, f"{LOGIN.path}?ilmoitus={PASSWORD_CHANGED}")
        clear_session_cookie(response)
        return response

    def _details_form(
        self, visitor, account: dict, shown: dict, errors=None, saved=False, status=200
    ) -> Response:
        choices = []
        if account["role"] == COACHEE:
            choices = self.billing.subscriber_choices()["items"]
        context = {
            "account": account,
            "form": shown,
            "errors": errors or {},
            "labels": {name: visitor._(label) for name, label in DETAIL_LABELS.items()},
            "subscribers": subscriber_options(choices, account.get("subscriber_id"), visitor),
            "identifier_label": identifier_label(choices, account.get("subscriber_id")),
            "saved": saved,
        }
        return render(visitor, "account/details.html", context, status=status)


def in_form_order(errors: dict[str, str]) -> dict[str, str]:
    """The errors in the order the form shows its fields, as the error summary lists them."""
    order = list(DETAIL_LABELS)
    return dict(
        sorted(errors.items(), key=lambda item: order.index(item[0]) if item[0] in order else -1)
    )


def subscriber_options(choices: list[dict], current, visitor) -> list[tuple[str, str]]:
    """The subscribers a coachee may choose; the current one kept even if no longer offered."""
    options = [(str(choice["id"]), choice["name"]) for choice in choices]
    if current and str(current) not in {value for value, _name in options}:
        options.insert(0, (str(current), visitor._("Nykyinen tilaaja (ei enää valittavissa)")))
    return options


def identifier_label(choices: list[dict], current) -> str | None:
    """What the current subscriber calls the member number, when it is not "Jäsennumero"."""
    for choice in choices:
        label = choice.get("identifier_label") or ""
        if str(choice["id"]) == str(current) and label.lower() != DEFAULT_IDENTIFIER.lower():
            return label
    return None


def password_form(visitor, errors: dict | None = None, status: int = 200) -> Response:
    context = {
        "errors": errors or {},
        "labels": {name: visitor._(label) for name, label in PASSWORD_LABELS.items()},
        "rules": password_rules(visitor),
    }
    return render(visitor, "account/password.html", context, status=status)
