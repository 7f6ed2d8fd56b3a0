"""Who is looking at a page: their login (if any), language, theme, form token and whether
their browser takes gzip."""

from dataclasses import dataclass
from functools import cached_property

from werkzeug.http import parse_accept_header
from werkzeug.wrappers import Request

from gateway.auth import Caller, Credential
from gateway.cookies import (
    PREFERENCES_COOKIE,
    SESSION_COOKIE,
    form_token_in,
    new_form_token,
    preferences_in,
)
from gateway.pages.form_tokens import masked
from gateway.pages.i18n import Language, negotiated_language
from services.contracts.errors import Unauthenticated


@dataclass
class Visitor:
    caller: Caller | None
    language: Language
    theme: str
    form_token: str
    new_form_token: bool
    path: str
    accepts_gzip: bool

    @property
    def role(self) -> str | None:
        return self.caller.role if self.caller else None

    @property
    def account_id(self) -> str | None:
        return self.caller.account_id if self.caller else None

    @property
    def username(self) -> str | None:
        return self.caller.principal.get("username") if self.caller else None

    @cached_property
    def masked_form_token(self) -> str:
        """The form token as this response's page holds it: masked once per response, so a
        page's several forms repeat one text (`form_tokens`)."""
        return masked(self.form_token)

    def _(self, message: str, **values) -> str:
        """`message` in the visitor's language, `%(name)s` filled from `values`."""
        translated = self.language.gettext(message)
        return translated % values if values else translated


def visitor_of(request: Request, resolve_session=None) -> Visitor:
    """The visitor behind `request`; `resolve_session(token)` (the gateway's `sessions`) finds
    their login.

    Without `resolve_session` (error pages answered before any route) nobody is logged in. A
    session that has ended counts as no login: the page then asks to log in again.
    """
    caller = None
    token = request.cookies.get(SESSION_COOKIE)
    if token and resolve_session is not None:
        try:
            caller = Caller(resolve_session(token), Credential(token, from_cookie=True))
        except Unauthenticated:
            caller = None
    preferences = preferences_in(request.cookies)
    language = preferences["language"]
    if PREFERENCES_COOKIE not in request.cookies:
        language = negotiated_language(request.headers.get("Accept-Language"))
    form_token = caller.principal["csrf_token"] if caller else form_token_in(request.cookies)
    encodings = parse_accept_header(request.headers.get("Accept-Encoding"))
    return Visitor(
        caller=caller,
        language=Language(language),
        theme=preferences["theme"],
        form_token=form_token or new_form_token(),
        new_form_token=caller is None and form_token is None,
        path=request.full_path.rstrip("?"),
        accepts_gzip=encodings.quality("gzip") > 0,
    )
