"""Loading RPC arguments with marshmallow; problems become `InvalidInput` naming each field."""

from marshmallow import Schema, ValidationError

from services.contracts.errors import InvalidInput


def load(schema: Schema, data, **kwargs) -> dict:
    if not isinstance(data, dict):
        raise InvalidInput("Expected an object.", {"_schema": ["Expected an object."]})
    try:
        return schema.load(data, **kwargs)
    except ValidationError as exc:
        raise InvalidInput("Some fields are not valid.", exc.messages) from exc
