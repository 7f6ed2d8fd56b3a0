"""A forgotten password: asking for a link by mail, checking the link, setting a new password.

Asking always answers 202 with the same body, whether or not the login belongs to an account,
after the accounts service has done its part either way. The link's mail is written in the
language of the browser's display preferences (Finnish when none is chosen): the accounts keep
no language of their own.
"""

from gateway.cookies import preferences_in
from gateway.http import api
from gateway.request_input import load_body
from services.contracts.accounts import (
    PasswordResetAccepted,
    PasswordResetConfirmation,
    PasswordResetForm,
    PasswordResetToken,
    PasswordResetTokenStatus,
)

RESET_ACCEPTED = (
    "If the login belongs to an account in use with an email address, a link to choose a new "
    "password has been sent to that address."
)


class PasswordResetRoutes:
    @api(
        "POST",
        "/api/password-reset",
        summary="Ask for a link to choose a new password; the same answer for any login "
        "(throttled per login and per address, 429 with Retry-After)",
        request_schema=PasswordResetForm,
        response_schema=PasswordResetAccepted,
        status=202,
        tags=("session",),
    )
    def request_password_reset(self, request):
        form = load_body(request, PasswordResetForm)
        self.accounts.request_password_reset(
            {
                **form,
                "client_address": self.client_address(request),
                "language": preferences_in(request.cookies)["language"],
            }
        )
        return 202, PasswordResetAccepted().dump({"message": RESET_ACCEPTED})

    @api(
        "POST",
        "/api/password-reset/check",
        summary="Whether a password-reset link still works, without using it (422 naming "
        "token if not)",
        request_schema=PasswordResetToken,
        response_schema=PasswordResetTokenStatus,
        tags=("session",),
    )
    def check_password_reset(self, request):
        token = load_body(request, PasswordResetToken)
        return PasswordResetTokenStatus().dump(self.accounts.check_password_reset(token))

    @api(
        "POST",
        "/api/password-reset/confirm",
        summary="Choose a new password with a password-reset link; every session of the "
        "account ends and the link is used up",
        request_schema=PasswordResetConfirmation,
        status=204,
        tags=("session",),
    )
    def confirm_password_reset(self, request):
        self.accounts.reset_password(load_body(request, PasswordResetConfirmation))
