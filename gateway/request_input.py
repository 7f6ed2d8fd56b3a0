"""Reading a request's JSON body, query string and Idempotency-Key, before any RPC.

What a schema accepted is returned in its JSON form (UUIDs and datetimes as strings, defaults
filled in), ready to be sent on by RPC. Malformed JSON is a 400, another content type a 415,
invalid fields (unknown ones too) a 422 naming each; the size and depth limits and the strings
refused are `input_guard`'s. Every route's query string is checked with its query schema before
its worker starts (`check_query`), so a parameter a route does not take is refused, not ignored.
"""

from marshmallow import Schema
from werkzeug.wrappers import Request

from gateway.errors import ApiError
from gateway.input_guard import (
    DEFAULT_JSON_MAX_DEPTH,
    INVALID_FIELDS,
    body_within_limit,
    parsed_json,
)
from services.infra.validation import schema_instance

GIVEN_MORE_THAN_ONCE = "Give this parameter once."
IDEMPOTENCY_HEADER = "Idempotency-Key"
MAX_IDEMPOTENCY_KEY = 200
IDEMPOTENCY_KEY_DOCUMENTED = {
    "in": "header",
    "name": IDEMPOTENCY_HEADER,
    "required": False,
    "description": "Repeating the request with the same key (and the same body) answers as the "
    "first time; another body with the key is 422 idempotency_key_reused.",
    "schema": {"type": "string", "minLength": 1, "maxLength": MAX_IDEMPOTENCY_KEY},
}


def json_body(request: Request):
    if request.mimetype != "application/json":
        raise ApiError(415, "unsupported_media_type", "Send JSON (Content-Type: application/json).")
    depth = getattr(request, "max_json_depth", DEFAULT_JSON_MAX_DEPTH)
    return parsed_json(body_within_limit(request), depth)


def load_body(request: Request, schema: type[Schema]) -> dict:
    body = json_body(request)
    if not isinstance(body, dict):
        raise ApiError(422, "invalid_input", "Expected a JSON object.", {"_schema": ["Object."]})
    return accepted(schema_instance(schema), body)


class NoQuery(Schema):
    """The query schema of a route that takes no parameters: any parameter is unknown."""


def query_values(request: Request) -> dict:
    repeated = {
        name: [GIVEN_MORE_THAN_ONCE] for name, values in request.args.lists() if len(values) > 1
    }
    if repeated:
        raise ApiError(422, "invalid_input", INVALID_FIELDS, repeated)
    return request.args.to_dict()


def check_query(request: Request, schema: type[Schema] | None) -> None:
    """Loads the query string with the route's schema (none: no parameters taken) and keeps
    what it accepted on the request for `query_of`."""
    request.accepted_query = accepted(schema_instance(schema or NoQuery), query_values(request))


def query_of(request: Request) -> dict:
    """The request's query string as `check_query` accepted it for the route's query schema."""
    return request.accepted_query


def idempotency_key(request: Request) -> str | None:
    key = request.headers.get(IDEMPOTENCY_HEADER)
    if key is not None and not 1 <= len(key) <= MAX_IDEMPOTENCY_KEY:
        raise ApiError(
            422,
            "invalid_input",
            "The Idempotency-Key is too long.",
            {IDEMPOTENCY_HEADER: [f"1 to {MAX_IDEMPOTENCY_KEY} characters."]},
        )
    return key


def accepted(schema: Schema, data: dict) -> dict:
    return schema.dump(schema.load(data))
