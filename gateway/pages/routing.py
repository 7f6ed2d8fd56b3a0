"""How a page is served: `@page(method, path, roles=…)` on a route mixin's method.

The decorated method is called as `handler(self, request, visitor, **path_values)` and returns
`render(…)` or `redirect(…)`. Before it runs, the page decorator has found the visitor, sent a
visitor who is not logged in to the login page (and back after), refused a wrong role with a 403
page (audited, as in the API), and refused a post without the right form token. Whatever the
handler raises becomes an HTML error page with the API's status for it (`gateway.errors`).
"""

from functools import wraps
from urllib.parse import quote

from nameko.web.handlers import HttpRequestHandler
from werkzeug.exceptions import HTTPException, NotFound
from werkzeug.wrappers import Request, Response

from gateway.auth import CSRF_HEADER, UNSAFE_METHODS
from gateway.cookies import SESSION_COOKIE, TEST_COOKIE
from gateway.errors import ApiError
from gateway.http import JsonWebServer, error_response, secured
from gateway.observed import ROUTE_KEY
from gateway.pages.errors import error_page, is_page_path
from gateway.pages.form_tokens import form_token_matches
from gateway.pages.forms import FORM_TOKEN_FIELD
from gateway.pages.navigation import LOGIN
from gateway.pages.rendering import redirect, render
from gateway.pages.static_files import static_response
from gateway.pages.visitors import Visitor, visitor_of

FILE_FORM_MAX_BYTES = 32 * 1024 * 1024
"""What a form that sends a file may be before its form token is checked: above the largest
file limit (media's, the roster's); the handler then applies the file's own limit."""
ANYONE = None
ANY_ROLE = ()


class LoginNeeded(Exception):
    """The page is for logged-in people and nobody is logged in (or their session has ended)."""


class CookiesRefused(Exception):
    """A form came back without the cookie its page set: the browser refuses cookies."""


class PageRoute(HttpRequestHandler):
    server = JsonWebServer()

    def __init__(self, method: str, url: str, *, roles=ANYONE, **kwargs):
        super().__init__(method, url, **kwargs)
        self.roles = roles

    def get_entrypoint_parameters(self, request):
        request.url_rule = self.url
        request.environ[ROUTE_KEY] = self.url
        return super().get_entrypoint_parameters(request)

    def response_from_result(self, result) -> Response:
        return result


def page(
    method: str, url: str, roles: tuple[str, ...] | None = ANYONE, max_bytes: int | None = None
):
    """A page route; `roles` is `ANYONE`, `ANY_ROLE` (any login) or the roles allowed.

    `max_bytes` raises the body limit (`JSON_MAX_BYTES`, for every request) for a form that
    sends a file: the form token is read from the body before the handler runs, so the limit
    must be set first; the handler then applies the file's own limit.
    """

    def decorate(handler):
        @wraps(handler)
        def answer(self, request, **path_values):
            if max_bytes is not None:
                request.max_content_length = max_bytes
            visitor = visitor_of(request, self.sessions.principal)
            try:
                self.admit(request, visitor, roles)
                return handler(self, request, visitor, **path_values)
            except LoginNeeded:
                return redirect(visitor, f"{LOGIN.path}?seuraava={quote(visitor.path)}")
            except CookiesRefused:
                return render(visitor, "errors/cookies_refused.html", status=400)
            except Exception as exc:
                return error_page(visitor, exc)

        return PageRoute.decorator(method, url, roles=roles)(answer)

    return decorate


def form_token_sent(request: Request) -> str:
    return request.form.get(FORM_TOKEN_FIELD) or request.headers.get(CSRF_HEADER) or ""


class PageSupport:
    """Mixed into the gateway: the checks every page passes, and the static files."""

    def admit(self, request: Request, visitor: Visitor, roles) -> None:
        if request.method in UNSAFE_METHODS:
            if visitor.caller is None and TEST_COOKIE not in request.cookies:
                raise CookiesRefused()
            if not form_token_matches(form_token_sent(request), visitor.form_token):
                if visitor.caller:
                    self._audit_denial(request, visitor.caller)
                elif SESSION_COOKIE in request.cookies:
                    raise LoginNeeded()
                raise ApiError(403, "csrf_failed", "The form is not from this site.")
        if roles is ANYONE:
            return
        if visitor.caller is None:
            raise LoginNeeded()
        if roles and visitor.role not in roles:
            self._audit_denial(request, visitor.caller)
            raise ApiError(403, "forbidden", "Your role does not allow this.")

    @page("GET", "/<page_address:address>")
    def no_such_page(self, request, visitor, address):
        """Unknown addresses: a 404 page that knows who is logged in (its forms then carry the
        session's token); `/healthz…` and `/metrics…` answer the API's JSON error."""
        if not is_page_path(f"/{address}"):
            return error_response(NotFound())
        raise NotFound()

    @PageRoute.decorator("GET", "/static/<path:name>")
    def static_file(self, request, name):
        try:
            return secured(static_response(request, name))
        except HTTPException as exc:
            return error_page(visitor_of(request), exc)
