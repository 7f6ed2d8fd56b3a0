"""Public HTTP schemas of the gateway's own routes (service routes keep theirs beside them)."""

from marshmallow import Schema, fields


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
    status = fields.String(required=True, metadata={"enum": ["ok", "unavailable"]})
    ms = fields.Float(allow_none=True, metadata={"description": "Round trip of the health call."})


class HealthSchema(Schema):
    status = fields.String(required=True, metadata={"enum": ["ok", "unavailable"]})
    services = fields.Dict(keys=fields.String(), values=fields.Nested(ServiceHealthSchema))
    unavailable = fields.List(fields.String())
