"""Logging in and out (R-COOKIE-2): the login page, its cookie check and the logout.

The page logs in as `POST /api/session` does (`open_session`, the API's `LoginForm`). After a
login the browser is sent through `/kirjaudu/tarkistus`, which sees whether the session cookie
came back: a browser that took the test cookie may still refuse a lasting one, and without this
step the person would only see the login page again without knowing why.
"""

from math import ceil
from urllib.parse import quote

from werkzeug.wrappers import Response

from gateway.pages.forms import FormRefused, form_of, load_form
from gateway.pages.navigation import LOGIN, LOGOUT, N_, home_of, safe_return_path
from gateway.pages.rendering import redirect, render
from gateway.pages.routing import page
from services.contracts.accounts import LoginForm
from services.contracts.errors import Throttled, Unauthenticated

COOKIE_CHECK = "/kirjaudu/tarkistus"
RETURN_FIELD = "seuraava"
DEFAULT_RETRY_SECONDS = 60
PASSWORD_CHANGED = "salasana-vaihdettu"
LOGIN_NOTICES = {
    PASSWORD_CHANGED: N_("Salasanasi on vaihdettu. Kirjaudu sisään uudella salasanalla."),
}
LABELS = {"username": N_("Käyttäjätunnus"), "password": N_("Salasana")}


class LoginPages:
    @page("GET", LOGIN.path)
    def login_page(self, request, visitor):
        back = request.args.get(RETURN_FIELD)
        if visitor.caller is not None:
            return redirect(visitor, safe_return_path(back, home_of(visitor.role)))
        notice = LOGIN_NOTICES.get(request.args.get("ilmoitus", ""))
        return login_form(visitor, {RETURN_FIELD: back}, notice=notice)

    @page("POST", LOGIN.path)
    def log_in_page(self, request, visitor):
        posted = form_of(request)
        back = posted.pop(RETURN_FIELD, None)
        shown = {
            "username": posted.get("username", ""),
            "remember_me": "remember_me" in posted,
            RETURN_FIELD: back,
        }
        try:
            login = self.open_session(request, load_form(LoginForm, posted, visitor))
        except FormRefused as refusal:
            return login_form(visitor, shown, refusal.errors, status=422)
        except Unauthenticated:
            wrong = visitor._("Käyttäjätunnus tai salasana on väärin, tai tunnus ei ole käytössä.")
            return login_form(visitor, shown, {"_form": wrong}, status=422)
        except Throttled as exc:
            return throttled_form(visitor, shown, exc)
        target = safe_return_path(back, home_of(login["principal"]["role"]))
        response = redirect(visitor, f"{COOKIE_CHECK}?{RETURN_FIELD}={quote(target)}")
        return self.with_session_cookie(response, login)

    @page("GET", COOKIE_CHECK)
    def login_cookie_check(self, request, visitor):
        back = request.args.get(RETURN_FIELD)
        if visitor.caller is not None:
            return redirect(visitor, safe_return_path(back, home_of(visitor.role)))
        return login_form(visitor, {RETURN_FIELD: back}, cookie_lost=True, status=400)

    @page("GET", LOGOUT)
    def logout_page(self, request, visitor):
        return render(visitor, "account/logged_out.html")

    @page("POST", LOGOUT)
    def log_out_page(self, request, visitor):
        response = redirect(visitor, LOGOUT)
        if visitor.caller is None:
            return response
        return self.close_session(visitor.caller, response)


def throttled_form(visitor, shown: dict, exc: Throttled) -> Response:
    """429, saying how long to wait, with the form (a forgotten password is one way on)."""
    seconds = exc.retry_after or DEFAULT_RETRY_SECONDS
    response = login_form(visitor, shown, throttled=ceil(seconds / 60), status=429)
    response.headers["Retry-After"] = str(seconds)
    return response


def login_form(
    visitor, shown: dict, errors: dict | None = None, status: int = 200, **notices
) -> Response:
    """The login page; `notices`: `notice` (a message id), `throttled` (minutes to wait),
    `cookie_lost`."""
    context = {
        "form": shown,
        "errors": errors or {},
        "labels": {name: visitor._(label) for name, label in LABELS.items()},
        "notice": notices.get("notice"),
        "throttled": notices.get("throttled"),
        "cookie_lost": notices.get("cookie_lost", False),
    }
    return render(visitor, "account/login.html", context, status=status)
