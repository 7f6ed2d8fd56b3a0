"""Reading a request's JSON body and query string through a public marshmallow schema.

What a schema accepted is returned in its JSON form (UUIDs and datetimes as strings), ready to
be sent on by RPC. Malformed JSON is a 400, another content type a 415, invalid fields a 422;
the size and depth limits and the strings refused are `input_guard`'s.
"""

from marshmallow import Schema
from werkzeug.wrappers import Request

from gateway.errors import ApiError
from gateway.input_guard import DEFAULT_JSON_MAX_DEPTH, body_within_limit, parsed_json


def json_body(request: Request):
    if request.mimetype != "application/json":
        raise ApiError(415, "unsupported_media_type", "Send JSON (Content-Type: application/json).")
    depth = getattr(request, "max_json_depth", DEFAULT_JSON_MAX_DEPTH)
    return parsed_json(body_within_limit(request), depth)


def load_body(request: Request, schema: type[Schema]) -> dict:
    return accepted(schema(), json_body(request))


def load_query(request: Request, schema: type[Schema]) -> dict:
    return accepted(schema(), request.args.to_dict())


def accepted(schema: Schema, data) -> dict:
    return schema.dump(schema.load(data))
