"""Public HTTP schemas of the session, profile, staff and coachee routes.

They check the shape of what clients send; the accounts service checks the meaning (emails,
phone numbers, identity codes, common passwords) and its refusals come back as 422s too.
Times are strings here because the accounts service answers in JSON.
"""

from marshmallow import Schema, ValidationError, fields, pre_load, validate, validates_schema

from services.contracts.accounts import (
    PASSWORD_MAX_LENGTH,
    PASSWORD_MIN_LENGTH,
    ROLES,
    STAFF_ROLES,
)

USERNAME_IS_PERMANENT = "The username cannot be changed."


def text(max_length: int, **kwargs) -> fields.String:
    return fields.String(validate=validate.Length(min=1, max=max_length), **kwargs)


def timestamp(**kwargs) -> fields.String:
    return fields.String(metadata={"format": "date-time"}, **kwargs)


class LoginRequest(Schema):
    username = text(64, required=True)
    password = text(1024, required=True)
    remember_me = fields.Boolean(
        load_default=False, metadata={"description": "Keep the login for 14 days instead of 2."}
    )


class UserSchema(Schema):
    id = fields.UUID(attribute="account_id")
    username = fields.String()
    role = fields.String(metadata={"enum": list(ROLES)})
    name = fields.String(allow_none=True)


class SessionSchema(Schema):
    user = fields.Nested(UserSchema)
    csrf_token = fields.String(
        metadata={"description": "Send as X-CSRF-Token with unsafe requests that use the cookie."}
    )


class CookieCheckSchema(Schema):
    cookies_enabled = fields.Boolean(
        metadata={"description": "Whether the request carried the test cookie set earlier."}
    )


class AccountSchema(Schema):
    id = fields.UUID()
    username = fields.String()
    role = fields.String(metadata={"enum": list(ROLES)})
    name = fields.String(allow_none=True)
    email = fields.String(allow_none=True)
    phone = fields.String(allow_none=True)
    subscriber_id = fields.UUID(allow_none=True)
    member_number = fields.String(allow_none=True)
    created_at = timestamp()
    disabled_until = timestamp(allow_none=True)
    disabled_permanently = fields.Boolean()


class AccountPageSchema(Schema):
    items = fields.List(fields.Nested(AccountSchema))
    next_cursor = fields.String(allow_none=True)


class PageQuery(Schema):
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=100))
    cursor = fields.String(load_default=None)


class CoacheeQuery(PageQuery):
    q = fields.String(
        load_default="",
        validate=validate.Length(max=200),
        metadata={"description": "Matches name, email, phone, username or member number."},
    )


class ChangeRequest(Schema):
    @validates_schema
    def changes_something(self, data, **kwargs):
        if not data:
            raise ValidationError("Give at least one field to change.")


class ProfileChangesRequest(ChangeRequest):
    name = text(200)
    email = text(254)
    phone = text(40)
    subscriber_id = fields.UUID()
    member_number = text(64)

    @pre_load
    def refuse_username(self, data, **kwargs):
        if isinstance(data, dict) and "username" in data:
            raise ValidationError(USERNAME_IS_PERMANENT, "username")
        return data


class DisablingFields(Schema):
    disabled = fields.Boolean(metadata={"description": "true disables the login, false enables"})
    disabled_until = fields.AwareDateTime(
        allow_none=True,
        metadata={"description": "With disabled: true, until when; without it, for good."},
    )

    @validates_schema
    def until_only_when_disabling(self, data, **kwargs):
        if "disabled_until" not in data:
            return
        if "disabled" not in data or (not data["disabled"] and data["disabled_until"]):
            raise ValidationError("Give it together with disabled: true.", "disabled_until")


class CoacheeChangesRequest(ProfileChangesRequest, DisablingFields):
    pass


class StaffChangesRequest(ChangeRequest, DisablingFields):
    role = fields.String(validate=validate.OneOf(STAFF_ROLES))
    name = text(200)
    email = text(254)


class StaffCreationRequest(Schema):
    username = text(32, required=True, metadata={"description": "a-z, 0-9, '.', '_' or '-'"})
    role = fields.String(required=True, validate=validate.OneOf(STAFF_ROLES))
    name = text(200, required=True)
    email = text(254, required=True)
    subscriber_id = fields.UUID(
        load_default=None,
        allow_none=True,
        metadata={"description": "Required for subscriber contacts."},
    )


class StaffCreatedSchema(Schema):
    account = fields.Nested(AccountSchema)
    initial_password = fields.String(metadata={"description": "Shown only in this answer."})


class PasswordChangeRequest(Schema):
    current_password = text(1024, required=True)
    new_password = fields.String(
        required=True, validate=validate.Length(min=PASSWORD_MIN_LENGTH, max=PASSWORD_MAX_LENGTH)
    )


class ErasureRequest(Schema):
    password = text(1024, required=True, metadata={"description": "The password, re-entered."})


class ErasureAcceptedSchema(Schema):
    request_id = fields.UUID()
