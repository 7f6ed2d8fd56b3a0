"""Every page address, asked by everyone: not logged in, a coachee, a coach, an administrator,
privacy staff and a subscriber contact. A page for some roles sends a visitor who is not logged
in to the login page and refuses the other roles with a 403 page; the ids in the addresses are
nobody's, so a role that may open the page gets a 404 page, never another person's data.
Every page (an htmx fragment aside) also has the noindex meta, and none has an inline script,
a style attribute or hx-on (the CSP would refuse them). Logging out is not asked: it would end
the visitors' logins for the pages asked after it.
"""

import re
import uuid

import pytest

from gateway.pages.navigation import LOGOUT
from gateway.pages.routing import ANYONE, PageRoute
from gateway.service import GatewayService
from services.contracts.accounts import ADMIN, COACH, COACHEE, PRIVACY, SUBSCRIBER
from tests.gateway.api_client import unique
from tests.gateway.pages.page_client import PageClient

NOINDEX = '<meta name="robots" content="noindex, nofollow">'
INLINE_CODE = re.compile(r"<script(?![^>]*\bsrc=)|\sstyle=|\shx-on", re.IGNORECASE)
CATCH_ALL = re.compile(r"<(path|page_address):")
PATH_VALUE = re.compile(r"<(?:[a-z]+:)?([a-z_]+)>")


def page_routes() -> list[PageRoute]:
    routes = []
    for name in dir(GatewayService):
        for entrypoint in getattr(getattr(GatewayService, name), "nameko_entrypoints", ()):
            if isinstance(entrypoint, PageRoute) and not CATCH_ALL.search(entrypoint.url):
                routes.append(entrypoint)
    asked = [route for route in routes if route.url != LOGOUT]
    return sorted(asked, key=lambda route: (route.method != "GET", route.url))


def address_of(route: PageRoute) -> str:
    return PATH_VALUE.sub(lambda _match: str(uuid.uuid4()), route.url)


@pytest.fixture
def visitors(gateway_url, make_coachee, make_coach, make_admin, accounts_rpc):
    """A browser per role, logged in, having loaded a page with a form."""
    admin = make_admin()
    actor = {"account_id": admin.account_id, "role": ADMIN}

    def staff(role: str, **details) -> dict:
        username = unique(role)
        account = {"username": username, "name": "Testi", "email": f"{username}@example.fi"}
        return accounts_rpc.create_staff(dict(account, role=role, **details), actor)

    contact = staff(SUBSCRIBER, subscriber_id=str(uuid.uuid4()))
    privacy = staff(PRIVACY)
    logins = {
        COACHEE: make_coachee(),
        COACH: make_coach(),
        ADMIN: admin,
        PRIVACY: (privacy["account"]["username"], privacy["initial_password"]),
        SUBSCRIBER: (contact["account"]["username"], contact["initial_password"]),
    }
    browsers = {None: PageClient(gateway_url)}
    for role, login in logins.items():
        username, password = login if isinstance(login, tuple) else (login.username, login.password)
        browsers[role] = PageClient(gateway_url)
        browsers[role].log_in(username, password)
    for browser in browsers.values():
        browser.get("/ei-ole")
    return browsers


def test_every_page_gives_each_role_what_the_page_allows(visitors):
    routes = page_routes()
    assert len(routes) > 10, routes
    tokens = {role: browser.form_token for role, browser in visitors.items()}
    wrong = []
    for route in routes:
        address = address_of(route)
        for role, browser in visitors.items():
            if route.method == "GET":
                answer = browser.get(address)
            else:
                answer = browser.post_form(address, {}, token=tokens[role])
            outcome = (route.method, route.url, role, answer.status_code)
            html = answer.headers.get("Content-Type", "").startswith("text/html")
            if not html and answer.status_code != 303:
                wrong.append((*outcome, "not an HTML page"))
            document = html and answer.text.lstrip().startswith("<!DOCTYPE html>")
            if document and NOINDEX not in answer.text:
                wrong.append((*outcome, "no noindex meta"))
            if html and INLINE_CODE.search(answer.text):
                wrong.append((*outcome, "inline script, style attribute or hx-on"))
            to_login = answer.status_code == 303 and answer.headers["Location"].startswith(
                "/kirjaudu?seuraava="
            )
            if route.roles is ANYONE:
                allowed = True
            elif role is None:
                if not to_login:
                    wrong.append((*outcome, "not sent to log in"))
                continue
            else:
                allowed = not route.roles or role in route.roles
            if allowed and (answer.status_code == 403 or to_login or answer.status_code >= 500):
                wrong.append((*outcome, "refused a role the page is for"))
            if not allowed and answer.status_code != 403:
                wrong.append((*outcome, "let in a role the page is not for"))
    assert not wrong, "\n".join(map(str, wrong))
