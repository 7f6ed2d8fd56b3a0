"""Loading RPC arguments with marshmallow; problems become `InvalidInput` naming each field.

Also the arguments every service takes alike: who asks (`actor`) and a page size.
"""

import functools

from marshmallow import Schema, ValidationError

from services.contracts.accounts import Actor
from services.contracts.errors import InvalidInput


@functools.cache
def schema_instance(schema: type[Schema]) -> Schema:
    """One instance per schema class, made once: making one copies every field (tens of
    microseconds a call), while loading with it leaves it as it was."""
    return schema()


def load(schema: type[Schema], data, **kwargs) -> dict:
    if not isinstance(data, dict):
        raise InvalidInput("Expected an object.", {"_schema": ["Expected an object."]})
    try:
        return schema_instance(schema).load(data, **kwargs)
    except ValidationError as exc:
        raise InvalidInput("Some fields are not valid.", exc.messages) from exc


MAX_PAGE = 200


def actor_of(actor: dict | None) -> dict | None:
    """The `{"account_id", "role"}` the gateway passes along, checked; None for a service."""
    if actor is None:
        return None
    loaded = load(Actor, actor)
    return {**loaded, "account_id": str(loaded["account_id"])}


def required_actor(actor: dict | None) -> dict:
    loaded = actor_of(actor)
    if loaded is None:
        raise InvalidInput("Who asks is needed.", {"actor": ["Required."]})
    return loaded


def page_size(limit) -> int:
    try:
        return max(1, min(int(limit), MAX_PAGE))
    except (TypeError, ValueError) as exc:
        raise InvalidInput("Not a number.", {"limit": ["Not a number."]}) from exc
