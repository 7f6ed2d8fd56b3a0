"""HTML error pages: any path outside the API answers an error in the site's layout, not JSON."""

from werkzeug.wrappers import Request, Response

from gateway.errors import describe, retry_after_of
from gateway.pages.forms import FormRefused
from gateway.pages.rendering import render
from gateway.pages.visitors import Visitor, visitor_of

MACHINE_PATHS = ("/api/", "/healthz", "/metrics")


def is_page_path(path: str) -> bool:
    return not path.startswith(MACHINE_PATHS)


def error_page(visitor: Visitor, exc: BaseException) -> Response:
    """The HTML answer for an error: the status the API would give, in the site's layout; a
    query a page could not read (`FormRefused` outside a form's own handling) is a 422."""
    status = 422 if isinstance(exc, FormRefused) else describe(exc)[0]
    response = render(visitor, "errors/error.html", {"status": status}, status=status)
    retry_after = retry_after_of(exc)
    if retry_after is not None:
        response.headers["Retry-After"] = str(retry_after)
    if status == 405 and getattr(exc, "valid_methods", None):
        response.headers["Allow"] = ", ".join(exc.valid_methods)
    return response


def page_error_response(request: Request, exc: BaseException) -> Response:
    """An error met before any page route ran (no such page, a foreign form): nobody logged in."""
    return error_page(visitor_of(request), exc)
