"""The accounts service's contract: roles, RPC payloads and events.

RPC methods (see services/accounts/README.md for each one's arguments, answer and errors):
register_coachee, check_coachee_registration, discard_registration, log_in, resolve_session,
log_out, change_password, get_account, update_account, search_coachees, list_staff,
create_staff, set_disabled, request_erasure, create_admin, confirm_password, find_coachee,
coachees_created_before, disable_login, export_personal_data, erase_personal_data.
"""

from marshmallow import EXCLUDE, Schema, fields, validate

from services.contracts.identity_code import no_identity_code

COACHEE = "coachee"
COACH = "coach"
ADMIN = "admin"
PRIVACY = "privacy"
SUBSCRIBER = "subscriber"
ROLES = (COACHEE, COACH, ADMIN, PRIVACY, SUBSCRIBER)
STAFF_ROLES = (COACH, ADMIN, PRIVACY, SUBSCRIBER)

ACCOUNT_DISABLED = "account_disabled"
ERASURE_REQUESTED = "erasure_requested"
ACCESS_AUDITED = "access_audited"

PASSWORD_MIN_LENGTH = 8
PASSWORD_MAX_LENGTH = 128


def text(max_length: int, **kwargs) -> fields.String:
    """A free-text field that refuses personal identity codes."""
    return fields.String(
        validate=[validate.Length(min=1, max=max_length), no_identity_code], **kwargs
    )


class Password(fields.String):
    def __init__(self, **kwargs):
        super().__init__(
            validate=validate.Length(min=PASSWORD_MIN_LENGTH, max=PASSWORD_MAX_LENGTH),
            load_only=True,
            **kwargs,
        )


class CoacheeDetails(Schema):
    """The personal data a coachee gives in the booking form or the profile."""

    name = text(200, required=True)
    email = text(254, required=True)
    phone = text(40, required=True)
    subscriber_id = fields.UUID(required=True)
    member_number = text(64, required=True)


class CoacheeRegistration(CoacheeDetails):
    password = Password(required=True)


class AccountChanges(Schema):
    """What an account's owner or an admin may change; `username` is refused by name."""

    name = text(200)
    email = text(254)
    phone = text(40)
    subscriber_id = fields.UUID()
    member_number = text(64)


class Actor(Schema):
    """Who asks: the logged-in account (the gateway passes it along), for checks and audit."""

    class Meta:
        unknown = EXCLUDE

    account_id = fields.UUID(required=True)
    role = fields.String(required=True, validate=validate.OneOf(ROLES))


class Account(Schema):
    id = fields.UUID()
    username = fields.String()
    role = fields.String()
    name = fields.String(allow_none=True)
    email = fields.String(allow_none=True)
    phone = fields.String(allow_none=True)
    subscriber_id = fields.UUID(allow_none=True)
    member_number = fields.String(allow_none=True)
    created_at = fields.DateTime()
    disabled_until = fields.DateTime(allow_none=True)
    disabled_permanently = fields.Boolean()


class Credentials(Schema):
    username = fields.String(required=True, validate=validate.Length(min=1, max=64))
    password = fields.String(required=True, validate=validate.Length(min=1, max=1024))
    remember_me = fields.Boolean(load_default=False)
    client_address = fields.String(load_default="unknown")


class Principal(Schema):
    """The account behind a valid session, as the gateway needs it on every request."""

    account_id = fields.UUID()
    username = fields.String()
    role = fields.String()
    name = fields.String(allow_none=True)
    session_id = fields.UUID()
    csrf_token = fields.String()
    expires_at = fields.DateTime()


class LoginResult(Schema):
    token = fields.String()
    principal = fields.Nested(Principal)


class StaffCreation(Schema):
    username = fields.String(
        required=True,
        validate=[
            validate.Length(min=3, max=32),
            validate.Regexp(r"^[a-z][a-z0-9._-]*$", error="Use a-z, 0-9, '.', '_' or '-'."),
        ],
    )
    role = fields.String(required=True, validate=validate.OneOf(STAFF_ROLES))
    name = text(200, required=True)
    email = text(254, required=True)
    subscriber_id = fields.UUID(
        load_default=None, metadata={"description": "Required for subscriber contacts."}
    )


class StaffChanges(Schema):
    role = fields.String(validate=validate.OneOf(STAFF_ROLES))
    name = text(200)
    email = text(254)


class CreatedBefore(Schema):
    before = fields.AwareDateTime(required=True)


class Disabling(Schema):
    """`disabled: true` with `until` disables until then, without it for good."""

    disabled = fields.Boolean(required=True)
    until = fields.AwareDateTime(load_default=None, allow_none=True)
