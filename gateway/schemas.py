"""Schemas of the answers the gateway makes itself: errors, health, the session, the cookie test.

Every request and every answer a service gives is described once, in `services/contracts`.
"""

from marshmallow import Schema, fields, validate

from services.contracts.accounts import ROLES


class ErrorDetailSchema(Schema):
    code = fields.String(required=True, metadata={"example": "invalid_input"})
    message = fields.String(required=True)
    fields = fields.Dict(
        keys=fields.String(),
        values=fields.Raw(),
        metadata={"description": "Each invalid field with its problems."},
    )


class ErrorSchema(Schema):
    error = fields.Nested(ErrorDetailSchema, required=True)


class ServiceHealthSchema(Schema):
    status = fields.String(required=True, validate=validate.OneOf(["ok", "unavailable"]))
    ms = fields.Float(allow_none=True, metadata={"description": "Round trip of the health call."})


class HealthSchema(Schema):
    status = fields.String(required=True, validate=validate.OneOf(["ok", "unavailable"]))
    services = fields.Dict(keys=fields.String(), values=fields.Nested(ServiceHealthSchema))
    unavailable = fields.List(fields.String())


class UserSchema(Schema):
    """The logged-in account as the session answer shows it (accounts' `Principal`, trimmed)."""

    id = fields.UUID(attribute="account_id")
    username = fields.String()
    role = fields.String(validate=validate.OneOf(ROLES))
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
