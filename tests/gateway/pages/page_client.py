"""A test client that uses pages as a browser does: it keeps cookies and posts forms with the
form token of the page it last loaded.

requests would not send the `Secure` cookies over http://, so this client keeps them itself.
"""

import re
from dataclasses import dataclass, field

import requests

from tests.gateway.api_client import new_address, set_cookies

FORM_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


@dataclass
class PageClient:
    base_url: str
    cookies: dict[str, str] = field(default_factory=dict)
    address: str = field(default_factory=new_address)
    last: requests.Response | None = None

    def request(self, method: str, path: str, **kwargs) -> requests.Response:
        headers = {"X-Forwarded-For": self.address, **kwargs.pop("headers", {})}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        response = requests.request(
            method,
            self.base_url + path,
            headers=headers,
            allow_redirects=False,
            timeout=30,
            **kwargs,
        )
        for name, morsel in set_cookies(response).items():
            if morsel["max-age"] == "0":
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = morsel.value
        if response.headers.get("Content-Type", "").startswith("text/html"):
            self.last = response
        return response

    def get(self, path: str, **kwargs) -> requests.Response:
        return self.request("GET", path, **kwargs)

    @property
    def form_token(self) -> str:
        found = FORM_TOKEN.search(self.last.text) if self.last is not None else None
        assert found, "load a page with a form first"
        return found.group(1)

    def post_form(self, path: str, data: dict, *, token: str | None = None, **kwargs):
        """Posts `data` with the form token of the last page (or `token`)."""
        fields = {"csrf_token": self.form_token if token is None else token, **data}
        return self.request("POST", path, data=fields, **kwargs)

    def log_in(self, username: str, password: str) -> None:
        answer = self.request(
            "POST", "/api/session", json={"username": username, "password": password}
        )
        assert answer.status_code == 200, answer.text
