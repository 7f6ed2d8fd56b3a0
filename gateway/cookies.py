"""The only cookies the site sets: the login session and the browser's cookie test (R-COOKIE-1/2).

The session cookie's name starts with `__Host-`, so browsers accept it only with `Secure`,
`Path=/` and no `Domain`: no subdomain can set or read it. Its lifetime is the session's
remaining lifetime as the accounts service computed it (2 days, or 14 with "remember me").
"""

from datetime import datetime

from werkzeug.wrappers import Response

SESSION_COOKIE = "__Host-valmennus_session"
TEST_COOKIE = "valmennus_cookie_test"
TEST_COOKIE_VALUE = "1"


def seconds_left(expires_at: datetime | str, now: datetime) -> int:
    if isinstance(expires_at, str):
        expires_at = datetime.fromisoformat(expires_at)
    return max(0, int((expires_at - now).total_seconds()))


def set_session_cookie(
    response: Response, token: str, expires_at: datetime | str, now: datetime
) -> None:
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=seconds_left(expires_at, now),
        path="/",
        secure=True,
        httponly=True,
        samesite="Lax",
    )


def clear_session_cookie(response: Response) -> None:
    response.delete_cookie(SESSION_COOKIE, path="/", secure=True, httponly=True, samesite="Lax")


def set_test_cookie(response: Response) -> None:
    """A session-only cookie (no Max-Age or Expires): the browser drops it when it closes."""
    response.set_cookie(
        TEST_COOKIE, TEST_COOKIE_VALUE, path="/", secure=True, httponly=True, samesite="Lax"
    )


def carries_test_cookie(cookies) -> bool:
    return cookies.get(TEST_COOKIE) == TEST_COOKIE_VALUE
