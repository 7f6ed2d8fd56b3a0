"""Who is calling, and may they: the session token, CSRF, roles and the audit of refusals.

A request is authenticated by `Authorization: Bearer <token>` or by the session cookie; the
accounts service resolves the token (through the gateway's `sessions`, which remembers answers
for a few seconds). A browser sends the cookie with any request, also one a
hostile page starts, so an unsafe request authenticated by the cookie must also carry the CSRF
token in `X-CSRF-Token`; a bearer token is never sent by a browser on its own and needs none.
"""

import hmac
import uuid
from dataclasses import dataclass
from datetime import datetime

from werkzeug.wrappers import Request

from gateway.cookies import SESSION_COOKIE
from gateway.errors import ApiError
from services.contracts.accounts import ACCESS_AUDITED

CSRF_HEADER = "X-CSRF-Token"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


@dataclass(frozen=True)
class Credential:
    token: str
    from_cookie: bool


@dataclass(frozen=True)
class Caller:
    """The logged-in account behind a request: its `Principal` and how it proved itself."""

    principal: dict
    credential: Credential

    @property
    def account_id(self) -> str:
        return str(self.principal["account_id"])

    @property
    def role(self) -> str:
        return self.principal["role"]

    @property
    def actor(self) -> dict:
        """What the services' RPCs take as `actor` (the contract's `Actor`)."""
        return {
            "account_id": self.account_id,
            "role": self.role,
            "name": self.principal.get("name"),
            "subscriber_id": self.principal.get("subscriber_id"),
            "member_number": self.principal.get("member_number"),
        }


def bearer_token(authorization: str | None) -> str | None:
    scheme, _, token = (authorization or "").strip().partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        return None
    return token


def credential_of(request: Request) -> Credential | None:
    token = bearer_token(request.headers.get("Authorization"))
    if token:
        return Credential(token, from_cookie=False)
    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie:
        return Credential(cookie, from_cookie=True)
    return None


def csrf_satisfied(
    method: str, credential: Credential, sent_token: str | None, expected_token: str
) -> bool:
    if method.upper() not in UNSAFE_METHODS or not credential.from_cookie:
        return True
    if not sent_token or not expected_token:
        return False
    return hmac.compare_digest(sent_token.encode(), expected_token.encode())


def client_address(request: Request, trust_proxy_headers: bool) -> str:
    """The address failed logins are counted against.

    `X-Forwarded-For` is only trusted behind a proxy that sets it, since clients can send anything.
    """
    if trust_proxy_headers:
        forwarded = request.headers.get("X-Forwarded-For", "").split(",")[0].strip()
        if forwarded:
            return forwarded
    return request.remote_addr or "unknown"


def denial_event(request: Request, caller: Caller, now: datetime) -> dict:
    """An `access_audited` payload: ids, the action and the route rule; no personal data."""
    return {
        "event_id": str(uuid.uuid4()),
        "actor_id": caller.account_id,
        "subject_id": None,
        "action": "access_denied",
        "outcome": "denied",
        "method": request.method,
        "route": getattr(request, "url_rule", None),
        "occurred_at": now.isoformat(),
    }


class Authentication:
    """Mixed into the gateway; needs its `sessions`, `dispatch`, `clock` and `config`."""

    def caller(self, request: Request, roles: tuple[str, ...] = ()) -> Caller:
        """The logged-in caller, refused unless the CSRF check passes and the role is in `roles`.

        Raises 401 without a valid session, 403 (audited) on a CSRF failure or a wrong role.
        """
        credential = credential_of(request)
        if credential is None:
            raise ApiError(401, "not_logged_in", "Log in first.")
        caller = Caller(self.sessions.principal(credential.token), credential)
        sent, expected = request.headers.get(CSRF_HEADER), caller.principal["csrf_token"]
        if not csrf_satisfied(request.method, credential, sent, expected):
            self._audit_denial(request, caller)
            raise ApiError(403, "csrf_failed", f"Send the {CSRF_HEADER} header from your login.")
        if roles and caller.role not in roles:
            self._audit_denial(request, caller)
            raise ApiError(403, "forbidden", "Your role does not allow this.")
        return caller

    def _audit_denial(self, request: Request, caller: Caller) -> None:
        self.dispatch(ACCESS_AUDITED, denial_event(request, caller, self.clock.now()))

    def client_address(self, request: Request) -> str:
        return client_address(request, bool(self.config.get("TRUST_PROXY_HEADERS", False)))
