"""A forgotten password: asking for a link by mail, and choosing a new password with it.

The pages call the accounts RPCs `POST /api/password-reset…` calls, with the API's schemas.
Asking always leads to the same page, whether or not the login belongs to an account, so the
page tells nobody which usernames or addresses exist. The link is checked before the form is
shown, so a used or expired link says so at once instead of after the new password is typed.
"""

from werkzeug.wrappers import Response

from gateway.pages.forms import FORM_REFUSALS, FormRefused, form_of, load_form, refusal_errors
from gateway.pages.login import PASSWORD_CHANGED
from gateway.pages.navigation import LOGIN, N_
from gateway.pages.password_forms import password_rules, repeat_errors
from gateway.pages.rendering import redirect, render
from gateway.pages.routing import page
from services.contracts.accounts import (
    InvalidResetToken,
    PasswordResetConfirmation,
    PasswordResetForm,
    PasswordResetToken,
)
from services.contracts.errors import Throttled

FORGOTTEN = "/unohtunut-salasana"
NEW_PASSWORD = "/unohtunut-salasana/uusi"
REQUEST_LABELS = {"login": N_("Käyttäjätunnus tai sähköpostiosoite")}
NEW_PASSWORD_LABELS = {
    "password": N_("Uusi salasana"),
    "password_again": N_("Uusi salasana uudelleen"),
}


class ForgottenPasswordPages:
    @page("GET", FORGOTTEN)
    def forgotten_password_page(self, request, visitor):
        if request.args.get("lahetetty"):
            return render(visitor, "account/reset_sent.html")
        return request_form(visitor, {})

    @page("POST", FORGOTTEN)
    def ask_password_reset_page(self, request, visitor):
        posted = form_of(request)
        try:
            form = load_form(PasswordResetForm, posted, visitor)
            self.accounts.request_password_reset(
                {
                    **form,
                    "client_address": self.client_address(request),
                    "language": visitor.language.code,
                }
            )
        except FormRefused as refusal:
            return request_form(visitor, posted, refusal.errors, status=422)
        except Throttled as exc:
            response = request_form(visitor, posted, throttled=True, status=429)
            response.headers["Retry-After"] = str(exc.retry_after)
            return response
        return redirect(visitor, f"{FORGOTTEN}?lahetetty=1")

    @page("GET", NEW_PASSWORD)
    def new_password_page(self, request, visitor):
        token = request.args.get("token", "")
        try:
            load_form(PasswordResetToken, {"token": token} if token else {}, visitor)
            self.accounts.check_password_reset({"token": token})
        except (FormRefused, InvalidResetToken):
            return link_not_working(visitor)
        return new_password_form(visitor, token)

    @page("POST", NEW_PASSWORD)
    def set_new_password_page(self, request, visitor):
        posted = form_of(request)
        again = posted.pop("password_again", None)
        errors = repeat_errors(posted.get("password"), again, "password_again", visitor)
        try:
            confirmation = load_form(PasswordResetConfirmation, posted, visitor)
            if errors:
                raise FormRefused(errors)
            self.accounts.reset_password(confirmation)
        except InvalidResetToken:
            return link_not_working(visitor)
        except FORM_REFUSALS as refusal:
            refused = refusal_errors(refusal, visitor, "password")
            if "token" in refused:
                return link_not_working(visitor)
            return new_password_form(visitor, posted["token"], {**refused, **errors}, status=422)
        return redirect(visitor, f"{LOGIN.path}?ilmoitus={PASSWORD_CHANGED}")


def request_form(
    visitor, posted: dict, errors: dict | None = None, throttled=False, status: int = 200
) -> Response:
    context = {
        "form": posted,
        "errors": errors or {},
        "labels": {name: visitor._(label) for name, label in REQUEST_LABELS.items()},
        "throttled": throttled,
    }
    return render(visitor, "account/forgotten_password.html", context, status=status)


def new_password_form(visitor, token: str, errors: dict | None = None, status=200) -> Response:
    context = {
        "token": token,
        "errors": errors or {},
        "labels": {name: visitor._(label) for name, label in NEW_PASSWORD_LABELS.items()},
        "rules": password_rules(visitor),
    }
    return render(visitor, "account/new_password.html", context, status=status)


def link_not_working(visitor) -> Response:
    """A link that is unknown, used, replaced by a newer one or expired: 422, as in the API."""
    return render(visitor, "account/reset_link_invalid.html", status=422)
