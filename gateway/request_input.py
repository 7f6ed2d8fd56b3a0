"""Reading a request's JSON body and query string through a public marshmallow schema.

What a schema accepted is returned in its JSON form (UUIDs and datetimes as strings), ready to
be sent on by RPC. Malformed JSON is a 400, another content type a 415, invalid fields a 422.
"""

import json

from marshmallow import Schema
from werkzeug.wrappers import Request

from gateway.errors import ApiError


def json_body(request: Request):
    if request.mimetype != "application/json":
        raise ApiError(415, "unsupported_media_type", "Send JSON (Content-Type: application/json).")
    try:
        return json.loads(request.get_data(cache=True))
    except ValueError:
        raise ApiError(400, "bad_request", "The body is not valid JSON.") from None


def load_body(request: Request, schema: type[Schema]) -> dict:
    return accepted(schema(), json_body(request))


def load_query(request: Request, schema: type[Schema]) -> dict:
    return accepted(schema(), request.args.to_dict())


def accepted(schema: Schema, data) -> dict:
    return schema.dump(schema.load(data))
