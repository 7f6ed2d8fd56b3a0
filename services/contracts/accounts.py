"""The accounts service's contract: roles, RPC payloads and events.

RPC methods (see services/accounts/README.md for each one's arguments, answer and errors):
register_coachee, discard_registration, log_in, resolve_session,
log_out, change_password, get_account, get_contacts, update_account, search_coachees, list_staff,
create_staff, set_disabled, request_erasure, create_admin, confirm_password, find_coachee,
coachees_created_before, disable_login, request_password_reset, check_password_reset,
reset_password, export_personal_data, erase_personal_data.

Events: `account_disabled`, `erasure_requested`, `access_audited`, and `sessions_changed`
(`SessionsChanged`): what `resolve_session` answers for an account's sessions may have changed,
so whoever remembers an answer forgets it.
"""

from marshmallow import (
    EXCLUDE,
    Schema,
    ValidationError,
    fields,
    pre_load,
    validate,
    validates_schema,
)
from nameko.exceptions import deserialize_to_instance

from services.contracts.errors import DomainError
from services.contracts.fields import (
    EMAIL_MAX_LENGTH,
    LANGUAGES,
    Changes,
    boolean,
    email,
    member_number,
    password,
    person_name,
    phone,
    secret,
    timestamp,
)

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
SESSIONS_CHANGED = "sessions_changed"

USERNAME_IS_PERMANENT = "The username cannot be changed."
USERNAME_MAX_LENGTH = 64
CONTACTS_MAX_IDS = 1000
RESET_TOKEN_MAX_LENGTH = 200


class CoacheeDetails(Schema):
    """The personal data a coachee gives in the booking form or the profile."""

    name = person_name(required=True)
    email = email(required=True)
    phone = phone(required=True)
    subscriber_id = fields.UUID(required=True)
    member_number = member_number(required=True)


class CoacheeRegistration(CoacheeDetails):
    password = password(required=True)


class AccountChanges(Changes):
    """What a coachee (or an admin for a coachee) may change; `username` is refused by name."""

    name = person_name()
    email = email()
    phone = phone()
    subscriber_id = fields.UUID()
    member_number = member_number()

    @pre_load
    def refuse_username(self, data, **kwargs):
        if isinstance(data, dict) and "username" in data:
            raise ValidationError(USERNAME_IS_PERMANENT, "username")
        return data


class DisablingChange(Schema):
    """Disabling or enabling a login, as part of an admin's PATCH of an account."""

    disabled = boolean(metadata={"description": "true disables the login, false enables it"})
    disabled_until = timestamp(
        allow_none=True,
        metadata={"description": "With disabled: true, until when; without it, for good."},
    )

    @validates_schema
    def until_only_when_disabling(self, data, **kwargs):
        if "disabled_until" not in data:
            return
        if "disabled" not in data or (not data["disabled"] and data["disabled_until"]):
            raise ValidationError("Give it together with disabled: true.", "disabled_until")


class CoacheeChanges(AccountChanges, DisablingChange):
    """An admin's PATCH of a coachee: the profile and the login's disabling together."""


class Actor(Schema):
    """Who asks: the logged-in account as its session resolved it (the gateway passes it along),
    for checks and audit. A coachee's actor also carries the name, subscriber and member number
    of their profile, which a booking keeps as its eligibility snapshot, without asking accounts
    again."""

    class Meta:
        unknown = EXCLUDE

    account_id = fields.UUID(required=True)
    role = fields.String(required=True, validate=validate.OneOf(ROLES))
    name = fields.String(allow_none=True, load_default=None)
    subscriber_id = fields.UUID(allow_none=True, load_default=None)
    member_number = fields.String(allow_none=True, load_default=None)


class Account(Schema):
    id = fields.UUID()
    username = fields.String()
    role = fields.String(validate=validate.OneOf(ROLES))
    name = fields.String(allow_none=True)
    email = fields.String(allow_none=True)
    phone = fields.String(allow_none=True)
    subscriber_id = fields.UUID(allow_none=True)
    member_number = fields.String(allow_none=True)
    created_at = timestamp()
    disabled_until = timestamp(allow_none=True)
    disabled_permanently = fields.Boolean()


class CoacheeContact(Schema):
    """What a coach sees of a coachee they have a session with: how to reach them, no more."""

    id = fields.UUID()
    name = fields.String(allow_none=True)
    email = fields.String(allow_none=True)
    phone = fields.String(allow_none=True)


class ContactsQuery(Schema):
    """The accounts a service wants to write to (bookings, for a batch of mails)."""

    account_ids = fields.List(
        fields.UUID(), required=True, validate=validate.Length(max=CONTACTS_MAX_IDS)
    )


class Contact(Schema):
    """Whom a service's mail goes to: no more than the name and address."""

    id = fields.UUID()
    name = fields.String(allow_none=True)
    email = fields.String(allow_none=True)


class AccountPage(Schema):
    items = fields.List(fields.Nested(Account))
    next_cursor = fields.String(allow_none=True)


class PageQuery(Schema):
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=100))
    cursor = fields.String(load_default=None, validate=validate.Length(max=200))


class CoacheeQuery(PageQuery):
    q = fields.String(
        load_default="",
        validate=validate.Length(max=200),
        metadata={"description": "Matches name, email, phone, username or member number."},
    )


class LoginForm(Schema):
    username = fields.String(
        required=True, validate=validate.Length(min=1, max=USERNAME_MAX_LENGTH)
    )
    password = secret(required=True)
    remember_me = boolean(
        load_default=False, metadata={"description": "Keep the login for 14 days instead of 2."}
    )


class Credentials(LoginForm):
    """The login form and where it came from, which the gateway adds (failed logins count per
    address)."""

    client_address = fields.String(load_default="unknown")


class Principal(Schema):
    """The account behind a valid session, as the gateway needs it on every request."""

    account_id = fields.UUID()
    username = fields.String()
    role = fields.String()
    name = fields.String(allow_none=True)
    subscriber_id = fields.UUID(allow_none=True)
    member_number = fields.String(allow_none=True)
    session_id = fields.UUID()
    csrf_token = fields.String()
    expires_at = timestamp()


class SessionsChanged(Schema):
    """The event: ids only, like every event."""

    account_id = fields.UUID(required=True)
    event_id = fields.UUID(required=True)


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
    name = person_name(required=True)
    email = email(required=True)
    subscriber_id = fields.UUID(
        load_default=None,
        allow_none=True,
        metadata={"description": "Required for subscriber contacts."},
    )


class StaffCreated(Schema):
    account = fields.Nested(Account)
    initial_password = fields.String(metadata={"description": "Shown only in this answer."})


class StaffChanges(Changes):
    role = fields.String(validate=validate.OneOf(STAFF_ROLES))
    name = person_name()
    email = email()


class StaffAccountChanges(StaffChanges, DisablingChange):
    """An admin's PATCH of a staff account: its details and the login's disabling together."""


class PasswordChange(Schema):
    current_password = secret(required=True)
    new_password = password(required=True)


class PasswordConfirmation(Schema):
    password = secret(required=True, metadata={"description": "The password, re-entered."})


class RequestAccepted(Schema):
    request_id = fields.UUID()


class CreatedBefore(Schema):
    before = timestamp(required=True)


class Disabling(Schema):
    """`disabled: true` with `until` disables until then, without it for good."""

    disabled = boolean(required=True)
    until = timestamp(load_default=None, allow_none=True)


class PasswordResetForm(Schema):
    login = fields.String(
        required=True,
        validate=validate.Length(min=1, max=EMAIL_MAX_LENGTH),
        metadata={"description": "The username, or the email address of the account."},
    )


class PasswordResetRequest(PasswordResetForm):
    """The form, where it came from (requests count per address, as failed logins do) and the
    language the link's mail is written in."""

    client_address = fields.String(load_default="unknown")
    language = fields.String(load_default=LANGUAGES[0], validate=validate.OneOf(LANGUAGES))


class PasswordResetAccepted(Schema):
    message = fields.String(
        metadata={"description": "The same whether or not the login belongs to an account."}
    )


def reset_token(**kwargs) -> fields.String:
    return fields.String(
        validate=validate.Length(min=1, max=RESET_TOKEN_MAX_LENGTH),
        metadata={"description": "The token of the link in the password-reset mail."},
        **kwargs,
    )


class PasswordResetToken(Schema):
    token = reset_token(required=True)


class PasswordResetConfirmation(PasswordResetToken):
    password = password(required=True, metadata={"description": "The new password."})


class PasswordResetTokenStatus(Schema):
    valid = fields.Boolean(metadata={"description": "Always true: an unusable token is a 422."})


@deserialize_to_instance
class InvalidResetToken(DomainError):
    """A password-reset token that is unknown, already used, replaced by a newer one, expired,
    or whose account is disabled; `fields` names `token`."""

    code = "invalid_reset_token"
