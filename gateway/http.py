"""The gateway's HTTP entrypoint: JSON answers, mapped errors and security headers on everything.

`api(method, url, ...)` replaces nameko's `http`: a route returns a dict (200), a
`(status, dict)` pair, or a werkzeug Response. The schemas and summary given to `api` are what
the OpenAPI document is generated from.
"""

import json
from urllib.parse import urlsplit

from nameko.web.handlers import HttpRequestHandler
from nameko.web.server import WsgiApp
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Request, Response

from gateway.auth import UNSAFE_METHODS
from gateway.errors import CLIENT_ERRORS, ApiError, describe, retry_after_of
from gateway.http_server import GatewayWebServer
from gateway.input_guard import InputLimits, refuse_unstorable_input
from gateway.observed import ROUTE_KEY, observed_app, request_context
from gateway.pages.errors import is_page_path, page_error_response
from gateway.request_input import check_query

SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Robots-Tag": "noindex, nofollow",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def json_response(payload, status: int = 200, headers: dict | None = None) -> Response:
    response = Response(
        json.dumps(payload, ensure_ascii=False, default=str),
        status=status,
        mimetype="application/json",
        headers=headers,
    )
    response.headers.setdefault("Cache-Control", "no-store")
    return response


def secured(response: Response) -> Response:
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def error_response(exc: BaseException) -> Response:
    status, body = describe(exc)
    headers = {}
    if isinstance(exc, HTTPException) and exc.code == 405 and exc.valid_methods:
        headers["Allow"] = ", ".join(exc.valid_methods)
    retry_after = retry_after_of(exc)
    if retry_after is not None:
        headers["Retry-After"] = str(retry_after)
    return secured(json_response(body, status, headers))


def foreign_origin(request: Request) -> bool:
    """An unsafe request a browser sent from another site (its `Origin` is not this host).

    Refusing these stops cross-site request forgery also where no session exists yet, such as a
    login forced on someone; requests without `Origin` (API clients) are not browsers' and pass.
    """
    origin = request.headers.get("Origin")
    if request.method not in UNSAFE_METHODS or origin is None:
        return False
    try:
        netloc = urlsplit(origin).netloc
    except ValueError:
        return True
    return netloc.lower() != (request.host or "").lower()


class JsonWsgiApp(WsgiApp):
    """Answers unknown paths and wrong methods with JSON errors and the security headers, and
    refuses unsafe requests from other sites' pages and input no route should see."""

    def __init__(self, server):
        super().__init__(server)
        self.input_limits = InputLimits.from_config(server.container.config)

    def __call__(self, environ, start_response):
        request = Request(environ, shallow=True)
        self.input_limits.apply(request)
        adapter = self.url_map.bind_to_environ(environ)
        try:
            if foreign_origin(request):
                raise ApiError(403, "foreign_origin", "Requests from other sites are refused.")
            provider, path_values = adapter.match()
            refuse_unstorable_input(request)
            request.path_values = path_values
            response = provider.handle_request(request)
        except (HTTPException, ApiError) as exc:
            if is_page_path(request.path):
                response = page_error_response(request, exc)
            else:
                response = error_response(exc)
        return response(environ, start_response)


class JsonWebServer(GatewayWebServer):
    def get_wsgi_app(self):
        return observed_app(self, JsonWsgiApp(self))

    def context_data_from_headers(self, request):
        return request_context(request.environ)


class ApiRoute(HttpRequestHandler):
    server = JsonWebServer()

    def __init__(
        self,
        method: str,
        url: str,
        *,
        summary: str = "",
        request_schema=None,
        response_schema=None,
        status: int = 200,
        query_schema=None,
        tags: tuple = (),
        idempotent: bool = False,
        **kwargs,
    ):
        kwargs.setdefault("expected_exceptions", CLIENT_ERRORS)
        super().__init__(method, url, **kwargs)
        self.summary = summary
        self.request_schema = request_schema
        self.response_schema = response_schema
        self.query_schema = query_schema
        self.status = status
        self.tags = tags
        self.idempotent = idempotent

    def get_entrypoint_parameters(self, request):
        """Also where the request learns its route (for `ObservedApp`'s metrics and log line) and
        the query string is loaded with `query_schema` (none: no parameters taken), for every
        route alike: a 422 answers before a worker starts, and the route reads the accepted
        values with `query_of(request)`."""
        request.url_rule = self.url
        request.environ[ROUTE_KEY] = self.url
        check_query(request, self.query_schema)
        return super().get_entrypoint_parameters(request)

    def response_from_result(self, result) -> Response:
        if isinstance(result, Response):
            return secured(result)
        status, payload = result if isinstance(result, tuple) else (self.status, result)
        if payload is None:
            return secured(Response(status=status))
        return secured(json_response(payload, status))

    def response_from_exception(self, exc) -> Response:
        return error_response(exc)


api = ApiRoute.decorator
