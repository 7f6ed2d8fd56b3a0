"""Reading a request's JSON body, query string and Idempotency-Key, before any RPC.

What a schema accepted is returned in its JSON form (UUIDs and datetimes as strings, defaults
filled in), ready to be sent on by RPC. Malformed JSON is a 400, another content type a 415,
invalid fields (unknown ones too) a 422 naming each; the size and depth limits and the strings
refused are `input_guard`'s.
"""

from marshmallow import Schema
from werkzeug.wrappers import Request

from gateway.errors import ApiError
from gateway.input_guard import DEFAULT_JSON_MAX_DEPTH, body_within_limit, parsed_json

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
    return accepted(schema(), body)


def load_query(request: Request, schema: type[Schema]) -> dict:
    return accepted(schema(), request.args.to_dict())


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
