"""The only cookies the site sets: the login session, the browser's cookie test and the display
preferences (R-COOKIE-1/2). None is for analytics or tracking (R-NOINDEX-1).

The session and preference cookies' names start with `__Host-`, so browsers accept them only
with `Secure`, `Path=/` and no `Domain`: no subdomain can set or read them. The session lasts
the session's remaining lifetime as the accounts service computed it (2 days, or 14 with
"remember me"); the display preferences a year from when they were last set. The preferences
hold only the language and theme chosen, nothing about the person.
"""

from datetime import datetime

from werkzeug.wrappers import Response

from services.contracts.fields import LANGUAGES

SESSION_COOKIE = "__Host-valmennus_session"
TEST_COOKIE = "valmennus_cookie_test"
TEST_COOKIE_VALUE = "1"
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


def set_test_cookie(response: Response) -> None:
    """A session-only cookie (no Max-Age or Expires): the browser drops it when it closes."""
    response.set_cookie(
        TEST_COOKIE, TEST_COOKIE_VALUE, path="/", secure=True, httponly=True, samesite="Lax"
    )


def carries_test_cookie(cookies) -> bool:
    return cookies.get(TEST_COOKIE) == TEST_COOKIE_VALUE


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
