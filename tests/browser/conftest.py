"""Browser tests: Debian's Chromium, driven by Playwright, against the whole system running as
processes (tests/browser/README.md tells how to run them and what to look out for).

This run must not be monkey-patched by eventlet: Playwright then hangs for ever when it stops.
tests/browser/pytest.ini makes `pytest tests/browser` a run of its own that never loads
tests/conftest.py, which patches.
"""

import warnings

warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated")

from urllib.parse import urlsplit

import pytest
from eventlet import patcher

from gateway.cookies import SESSION_COOKIE
from services.contracts.accounts import ADMIN
from tests.browser.mailbox import Mailbox
from tests.browser.people import (
    Coachee,
    StaffMember,
    booked_coachee,
    first_admin,
    new_staff_member,
)
from tests.browser.site import running_site
from tests.gateway.api_client import ApiClient, Login, new_address
from tests.gateway.booking_api import set_up_catalogue

if patcher.is_monkey_patched("socket"):
    raise pytest.UsageError(
        "tests/browser must run in a pytest run of its own, not patched by eventlet: "
        "`make test-browser` or `.venv/bin/pytest tests/browser`"
    )

CHROMIUM = "/usr/lib/chromium/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 360, "height": 740}


def pytest_collection_modifyitems(config, items):
    for item in items:
        item.add_marker("browser")


@pytest.fixture(scope="session")
def site(tmp_path_factory):
    """The running system: `site.url`, `site.amqp_uri`, `site.env` (the processes'
    environment), `site.processes` by name and `site.mail` (the SMTP sink)."""
    with running_site(tmp_path_factory.mktemp("mail")) as running:
        yield running


@pytest.fixture(scope="session")
def base_url(site) -> str:
    """pytest-playwright's: pages can `goto("/api/openapi.json")`."""
    return site.url


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args) -> dict:
    """Debian's Chromium: Playwright's own browsers cannot be downloaded here."""
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args) -> dict:
    return {
        **browser_context_args,
        "locale": "fi-FI",
        "timezone_id": "Europe/Helsinki",
        "viewport": DESKTOP,
    }


@pytest.fixture
def context(new_context):
    """pytest-playwright's, from an address of its own (X-Forwarded-For, as the proxy sends)."""
    return new_context(extra_http_headers={"X-Forwarded-For": new_address()})


@pytest.fixture
def no_js_page(new_context):
    """A page with JavaScript off: every page must work without it."""
    context = new_context(
        java_script_enabled=False, extra_http_headers={"X-Forwarded-For": new_address()}
    )
    return context.new_page()


@pytest.fixture
def phone_page(new_context):
    """A page 360 × 740 px, a small phone's, with touch. (The viewport is set on the page:
    pytest-playwright's `new_context` refuses a second `viewport` beside the session's.)"""
    context = new_context(
        is_mobile=True, has_touch=True, extra_http_headers={"X-Forwarded-For": new_address()}
    )
    page = context.new_page()
    page.set_viewport_size(PHONE)
    return page


@pytest.fixture(scope="session")
def admin(site):
    """The session's first administrator, made as `valmennus create-admin` makes one."""
    member = first_admin(site)
    with member.api:
        yield member


@pytest.fixture
def staff(site, admin):
    """`staff(role, subscriber_id=None)`: a new account with the role (admin, coach, privacy or
    subscriber; a subscriber contact needs the subscriber's id), logged in through the API."""

    made = []

    def make(role: str, subscriber_id: str | None = None) -> StaffMember:
        made.append(new_staff_member(site, admin, role, subscriber_id))
        return made[-1]

    yield make
    for member in made:
        member.api.http.close()


@pytest.fixture
def catalogue(admin):
    """`catalogue()`: a new service (specifications "Työnhaku", "Urasuunnittelu"; video, phone,
    on site), a coach working weekdays 8–16 ("Kaisa Valmentaja", `coach_login` its username and
    password) and a roster subscriber whose members are M-100 and M-200: enough to book."""

    def make() -> dict:
        return set_up_catalogue(admin.api, {})

    return make


@pytest.fixture
def coachee(site):
    """`coachee(catalogue())`: a new coachee with a confirmed booking next Tuesday; their
    `username`, `password`, `email` and `booking` (the API's answer)."""

    def make(made: dict) -> Coachee:
        return booked_coachee(site, made)

    return make


@pytest.fixture
def admin_page(page, context, staff, api_login_cookies):
    """The page with a new administrator's session cookie; `page.admin` is the administrator
    (their `api` for setting up through the JSON API)."""
    member = staff(ADMIN)
    api_login_cookies(context, member.username, member.password)
    page.admin = member
    return page


@pytest.fixture
def mailbox(site) -> Mailbox:
    return Mailbox(site.mail, site.url)


@pytest.fixture
def api_login_cookies(site):
    """`api_login_cookies(context, username, password)`: logs in through `POST /api/session`
    and puts the session cookie into the browser context, as if the browser had logged in;
    returns the login (its `csrf_token` for forms and API calls)."""

    def log_in(context, username: str, password: str) -> Login:
        with ApiClient(site.url) as client:
            login = client.log_in(username, password)
        cookie = {
            "name": SESSION_COOKIE,
            "value": login.token,
            "domain": urlsplit(site.url).hostname,
            "path": "/",
            "secure": True,
            "httpOnly": True,
            "sameSite": "Lax",
        }
        context.add_cookies([cookie])
        return login

    return log_in
