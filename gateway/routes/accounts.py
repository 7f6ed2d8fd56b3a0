"""Login sessions, the cookie test, one's own profile, and the admin's staff and coachee views."""

from werkzeug.wrappers import Response

from gateway.auth import Caller
from gateway.cookies import (
    carries_test_cookie,
    clear_session_cookie,
    form_token_in,
    set_session_cookie,
    set_test_cookie,
)
from gateway.errors import ApiError
from gateway.http import api, json_response
from gateway.request_input import load_body, query_of
from gateway.schemas import CookieCheckSchema, SessionSchema
from services.contracts.accounts import (
    ADMIN,
    COACHEE,
    Account,
    AccountChanges,
    AccountPage,
    CoacheeChanges,
    CoacheeQuery,
    LoginForm,
    PageQuery,
    PasswordChange,
    PasswordConfirmation,
    RequestAccepted,
    StaffAccountChanges,
    StaffCreated,
    StaffCreation,
)
from services.contracts.errors import InvalidInput, NotFound, Unauthenticated

LOGIN_FAILED = "The username or password is wrong."
WRONG_PASSWORD = "The password is wrong."
PUBLIC_DISABLING_FIELDS = {"until": "disabled_until"}


def session_body(principal: dict) -> dict:
    return SessionSchema().dump({"user": principal, "csrf_token": principal["csrf_token"]})


def account_body(account: dict) -> dict:
    return Account().dump(account)


def split_disabling(changes: dict) -> tuple[dict, dict | None]:
    """Separates `disabled`/`disabled_until` (one `set_disabled` call) from the other changes."""
    changes = dict(changes)
    until = changes.pop("disabled_until", None)
    if "disabled" not in changes:
        return changes, None
    return changes, {"disabled": changes.pop("disabled"), "until": until}


def read_coachee_profile(accounts, account_id: str, actor: dict) -> dict:
    """A coachee's profile as an admin reads it, in the API and on the pages: accounts audits
    the read; another kind of account is no coachee (NotFound)."""
    account = accounts.get_account(account_id, actor)
    if account["role"] != COACHEE:
        raise NotFound("No such coachee.")
    return account


def edit_account(accounts, update, account_id: str, changes: dict, actor: dict) -> dict:
    """An admin's PATCH of an account, from the API or a page: `update` (accounts'
    `update_account` or `update_staff`) applies the field changes; disabling or enabling is one
    `set_disabled`, whose refusals name the contract's fields."""
    changes, disabling = split_disabling(changes)
    if changes:
        account = update(account_id, changes, actor)
    if disabling is not None:
        try:
            account = accounts.set_disabled(account_id, disabling, actor)
        except InvalidInput as exc:
            fields = {
                PUBLIC_DISABLING_FIELDS.get(name, name): problems
                for name, problems in exc.fields.items()
            }
            raise InvalidInput(exc.message, fields) from None
    return account


class AccountRoutes:
    @api(
        "POST",
        "/api/session",
        summary="Log in",
        request_schema=LoginForm,
        response_schema=SessionSchema,
        tags=("session",),
    )
    def log_in(self, request):
        credentials = load_body(request, LoginForm)
        try:
            login = self.open_session(request, credentials)
        except Unauthenticated:
            raise ApiError(401, "login_failed", LOGIN_FAILED) from None
        return self.with_session_cookie(json_response(session_body(login["principal"])), login)

    @api(
        "GET",
        "/api/session",
        summary="The logged-in user and the CSRF token",
        response_schema=SessionSchema,
        tags=("session",),
    )
    def current_session(self, request):
        return session_body(self.caller(request).principal)

    @api("DELETE", "/api/session", summary="Log out", status=204, tags=("session",))
    def log_out(self, request):
        return self.close_session(self.caller(request), Response(status=204))

    def open_session(self, request, credentials: dict) -> dict:
        """Logs in with a `LoginForm`'s credentials, counted against the client's address
        (the API and the login page both log in this way); raises `Unauthenticated`,
        `Throttled`."""
        return self.accounts.log_in({**credentials, "client_address": self.client_address(request)})

    def with_session_cookie(self, response: Response, login: dict) -> Response:
        """`response` carrying the new session's cookie, for as long as the session lasts."""
        expires_at = login["principal"]["expires_at"]
        set_session_cookie(response, login["token"], expires_at, self.clock.now())
        return response

    def close_session(self, caller: Caller, response: Response) -> Response:
        """Ends the caller's session, forgotten here at once, and removes its cookie in
        `response`."""
        self.accounts.log_out(caller.credential.token)
        self.sessions.forget(caller.credential.token)
        clear_session_cookie(response)
        return response

    @api(
        "GET",
        "/api/cookie-check",
        summary="Sets a test cookie and tells whether the request carried it",
        response_schema=CookieCheckSchema,
        tags=("session",),
    )
    def cookie_check(self, request):
        response = json_response({"cookies_enabled": carries_test_cookie(request.cookies)})
        set_test_cookie(response, form_token_in(request.cookies))
        return response

    @api("GET", "/api/me", summary="One's own account", response_schema=Account, tags=("me",))
    def own_account(self, request):
        caller = self.caller(request)
        return account_body(self.accounts.get_account(caller.account_id, caller.actor))

    @api(
        "PATCH",
        "/api/me",
        summary="Edit one's own personal data; the username never changes",
        request_schema=AccountChanges,
        response_schema=Account,
        tags=("me",),
    )
    def edit_own_account(self, request):
        caller = self.caller(request, roles=(COACHEE,))
        changes = load_body(request, AccountChanges)
        return account_body(self.accounts.update_account(caller.account_id, changes, caller.actor))

    @api(
        "DELETE",
        "/api/me",
        summary="Ask for one's personal data to be erased",
        request_schema=PasswordConfirmation,
        response_schema=RequestAccepted,
        status=202,
        tags=("me",),
    )
    def request_own_erasure(self, request):
        caller = self.caller(request, roles=(COACHEE,))
        password = load_body(request, PasswordConfirmation)["password"]
        try:
            accepted = self.accounts.request_erasure(
                caller.account_id, password, self.client_address(request)
            )
        except Unauthenticated:
            raise ApiError(
                422, "wrong_password", WRONG_PASSWORD, {"password": [WRONG_PASSWORD]}
            ) from None
        return 202, RequestAccepted().dump(accepted)

    @api(
        "POST",
        "/api/me/password",
        summary="Change one's password; every session of the account ends",
        request_schema=PasswordChange,
        status=204,
        tags=("me",),
    )
    def change_own_password(self, request):
        caller = self.caller(request)
        passwords = load_body(request, PasswordChange)
        try:
            self.accounts.change_password(
                caller.account_id,
                passwords["current_password"],
                passwords["new_password"],
                self.client_address(request),
            )
        except Unauthenticated:
            raise ApiError(
                422, "wrong_password", WRONG_PASSWORD, {"current_password": [WRONG_PASSWORD]}
            ) from None
        self.sessions.forget_account(caller.account_id)
        response = Response(status=204)
        clear_session_cookie(response)
        return response

    @api(
        "GET",
        "/api/staff",
        summary="Staff and subscriber-contact accounts",
        query_schema=PageQuery,
        response_schema=AccountPage,
        tags=("staff",),
    )
    def list_staff(self, request):
        caller = self.caller(request, roles=(ADMIN,))
        page = query_of(request)
        return AccountPage().dump(
            self.accounts.list_staff(caller.actor, page["limit"], page["cursor"])
        )

    @api(
        "POST",
        "/api/staff",
        summary="Create a staff or subscriber-contact account",
        request_schema=StaffCreation,
        response_schema=StaffCreated,
        status=201,
        tags=("staff",),
    )
    def create_staff(self, request):
        caller = self.caller(request, roles=(ADMIN,))
        data = load_body(request, StaffCreation)
        return 201, StaffCreated().dump(self.accounts.create_staff(data, caller.actor))

    @api(
        "PATCH",
        "/api/staff/<uuid:account_id>",
        summary="Change a staff account's role, name or email, or disable or enable it",
        request_schema=StaffAccountChanges,
        response_schema=Account,
        tags=("staff",),
    )
    def edit_staff(self, request, account_id):
        caller = self.caller(request, roles=(ADMIN,))
        changes = load_body(request, StaffAccountChanges)
        update = self.accounts.update_staff
        return account_body(
            edit_account(self.accounts, update, str(account_id), changes, caller.actor)
        )

    @api(
        "GET",
        "/api/coachees",
        summary="Search coachees",
        query_schema=CoacheeQuery,
        response_schema=AccountPage,
        tags=("coachees",),
    )
    def search_coachees(self, request):
        caller = self.caller(request, roles=(ADMIN,))
        query = query_of(request)
        return AccountPage().dump(
            self.accounts.search_coachees(query["q"], caller.actor, query["limit"], query["cursor"])
        )

    @api(
        "GET",
        "/api/coachees/<uuid:account_id>",
        summary="A coachee's profile",
        response_schema=Account,
        tags=("coachees",),
    )
    def coachee_profile(self, request, account_id):
        caller = self.caller(request, roles=(ADMIN,))
        return account_body(read_coachee_profile(self.accounts, str(account_id), caller.actor))

    @api(
        "PATCH",
        "/api/coachees/<uuid:account_id>",
        summary="Edit a coachee's profile, or disable or enable the login",
        request_schema=CoacheeChanges,
        response_schema=Account,
        tags=("coachees",),
    )
    def edit_coachee(self, request, account_id):
        caller = self.caller(request, roles=(ADMIN,))
        changes = load_body(request, CoacheeChanges)
        update = self.accounts.update_account
        return account_body(
            edit_account(self.accounts, update, str(account_id), changes, caller.actor)
        )
