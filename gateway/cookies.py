"""The only cookies the site sets: the login session, the browser's cookie test and the display
preferences (R-COOKIE-1/2). None is for analytics or tracking (R-NOINDEX-1).

The session and preference cookies' names start with `__Host-`, so browsers accept them only
with `Secure`, `Path=/` and no `Domain`: no subdomain can set or read them. The session lasts
the session's remaining lifetime as the accounts service computed it (2 days, or 14 with
"remember me"); the display preferences a year from when they were last set. The preferences
hold only the language and theme chosen, nothing about the person.
"""

import secrets
from datetime import datetime

from werkzeug.wrappers import Response

from services.contracts.fields import LANGUAGES

SESSION_COOKIE = "__Host-valmennus_session"
TEST_COOKIE = "valmennus_cookie_test"
FORM_TOKEN_BYTES = 24
PREFERENCES_COOKIE = "__Host-valmennus_preferences"
PREFERENCES_SECONDS = 365 * 24 * 3600
THEMES = ("system", "light", "dark")
DEFAULT_PREFERENCES = {"language": "fi", "theme": "system"}


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


def new_form_token() -> str:
    return secrets.token_urlsafe(FORM_TOKEN_BYTES)


def set_test_cookie(response: Response, value: str | None = None) -> None:
    """A session-only cookie (no Max-Age or Expires): the browser drops it when it closes.

    Its random value doubles as the form token of a visitor who is not logged in: a page's form
    carries it in a hidden field and a post must send both (a double-submit check, since another
    site can make a browser post but cannot read this cookie).
    """
    response.set_cookie(
        TEST_COOKIE, value or new_form_token(), path="/", secure=True, httponly=True, samesite="Lax"
    )


def form_token_in(cookies) -> str | None:
    value = cookies.get(TEST_COOKIE, "")
    return value if len(value) >= FORM_TOKEN_BYTES else None


def carries_test_cookie(cookies) -> bool:
    return form_token_in(cookies) is not None


def preferences_in(cookies) -> dict:
    """The preferences a request's cookie holds (`language.theme`); defaults for anything else."""
    language, _, theme = cookies.get(PREFERENCES_COOKIE, "").partition(".")
    if language in LANGUAGES and theme in THEMES:
        return {"language": language, "theme": theme}
    return dict(DEFAULT_PREFERENCES)


def set_preferences_cookie(response: Response, preferences: dict) -> None:
    response.set_cookie(
        PREFERENCES_COOKIE,
        f"{preferences['language']}.{preferences['theme']}",
        max_age=PREFERENCES_SECONDS,
        path="/",
        secure=True,
        httponly=True,
        samesite="Lax",
    )


def clear_preferences_cookie(response: Response) -> None:
    response.delete_cookie(PREFERENCES_COOKIE, path="/", secure=True, httponly=True, samesite="Lax")
