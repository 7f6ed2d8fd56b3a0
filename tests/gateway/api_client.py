"""A test client of the gateway: one caller, from an address of its own, and its logins.

It keeps no cookies: requests would not send the `Secure` session cookie over http:// anyway,
so tests read Set-Cookie and send the cookie, or the bearer header, themselves. Every JSON answer
is checked against the OpenAPI document (`openapi_conformance`).
"""

import uuid
from dataclasses import dataclass
from http.cookiejar import DefaultCookiePolicy
from http.cookies import Morsel, SimpleCookie
from urllib.parse import urlsplit

import requests

from gateway.auth import CSRF_HEADER
from gateway.cookies import SESSION_COOKIE
from tests.gateway.openapi_conformance import check_answer


def unique(prefix: str) -> str:
    return f"{prefix}{uuid.uuid4().hex[:10]}"


def new_address() -> str:
    return "2001:db8::" + ":".join(uuid.uuid4().hex[i : i + 4] for i in range(0, 16, 4))


def set_cookies(response: requests.Response) -> dict[str, Morsel]:
    jar = SimpleCookie()
    for header in response.raw.headers.getlist("Set-Cookie"):
        jar.load(header)
    return dict(jar)


@dataclass(frozen=True)
class Login:
    token: str
    csrf_token: str
    user: dict
    cookie: Morsel

    def with_cookie(self, csrf_token: str | None = None) -> dict:
        """Headers of a browser request; unsafe methods need `csrf_token=login.csrf_token`."""
        headers = {"Cookie": f"{SESSION_COOKIE}={self.token}"}
        if csrf_token is not None:
            headers[CSRF_HEADER] = csrf_token
        return headers

    def with_csrf(self) -> dict:
        return self.with_cookie(self.csrf_token)

    def with_bearer(self) -> dict:
        return {"Authorization": f"Bearer {self.token}"}


class ApiClient:
    def __init__(self, base_url: str, address: str | None = None):
        self.base_url = base_url
        self.address = address or new_address()
        self.http = requests.Session()
        self.http.cookies.set_policy(DefaultCookiePolicy(allowed_domains=()))

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.http.close()

    def from_another_address(self) -> "ApiClient":
        return ApiClient(self.base_url)

    def request(self, method: str, path: str, headers: dict | None = None, **kwargs):
        headers = {"X-Forwarded-For": self.address, **(headers or {})}
        response = self.http.request(
            method, f"{self.base_url}{path}", headers=headers, timeout=15, **kwargs
        )
        content_type = response.headers.get("Content-Type", "")
        if content_type.startswith("application/json"):
            check_answer(
                method, urlsplit(path).path, response.status_code, content_type, response.json()
            )
        return response

    def try_log_in(self, username: str, password: str, remember_me: bool = False):
        body = {"username": username, "password": password, "remember_me": remember_me}
        return self.request("POST", "/api/session", json=body)

    def log_in(self, username: str, password: str, remember_me: bool = False) -> Login:
        response = self.try_log_in(username, password, remember_me)
        assert response.status_code == 200, response.text
        cookie = set_cookies(response)[SESSION_COOKIE]
        body = response.json()
        return Login(cookie.value, body["csrf_token"], body["user"], cookie)
