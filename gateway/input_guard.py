"""Client input that no route should ever see, refused once for every route.

- A path value named `id` or `…_id` is a UUID: any other value matches no route (404).
- A header holding NUL is a 400; a query or JSON string holding NUL or a lone surrogate (which
  PostgreSQL and UTF-8 cannot store) is a 422 naming the field.
- A JSON body is at most `JSON_MAX_BYTES` (413, known from `Content-Length` before anything is
  read, or counted while a chunked body is read) and nested at most `JSON_MAX_DEPTH` deep (400).
  Routes taking files set their own `max_content_length`.
"""

import json
import math
import re
import uuid
from dataclasses import dataclass

from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.routing import PathConverter, Rule, UUIDConverter
from werkzeug.wrappers import Request

from gateway.errors import ApiError

ID_NAME = re.compile(r"^(?:id|\w+_id)$")
UNTYPED_PATH_VALUE = re.compile(r"<(\w+)>")
NOT_STORABLE = re.compile("[\x00\ud800-\udfff]")
NOT_STORABLE_MESSAGE = "Contains a character that is not allowed (NUL or a lone surrogate)."
INVALID_FIELDS = "The request has invalid fields."
DEFAULT_JSON_MAX_BYTES = 1024 * 1024
DEFAULT_JSON_MAX_DEPTH = 20


class IdConverter(UUIDConverter):
    """A UUID in a path, handed to the route as its canonical string."""

    def to_python(self, value: str) -> str:
        return str(uuid.UUID(value))


class PageAddressConverter(PathConverter):
    """Any path outside the API: the pages' catch-all never takes an `/api/` path, which then
    stays the API's JSON 404 (or 405) whatever its method."""

    regex = r"(?!api/)[^/].*?"


TYPED_PATH_CONVERTERS = {"id": IdConverter, "page_address": PageAddressConverter}


def is_id_name(name: str) -> bool:
    return bool(ID_NAME.match(name))


def typed_path_rule(rule: Rule) -> Rule:
    """The rule with every untyped `<…_id>` path value typed as an id."""

    def typed(match: re.Match) -> str:
        name = match[1]
        return f"<id:{name}>" if is_id_name(name) else match[0]

    rule.rule = UNTYPED_PATH_VALUE.sub(typed, rule.rule)
    return rule


@dataclass(frozen=True)
class InputLimits:
    json_max_bytes: int
    json_max_depth: int

    @classmethod
    def from_config(cls, config: dict) -> "InputLimits":
        return cls(
            json_max_bytes=int(config.get("JSON_MAX_BYTES", DEFAULT_JSON_MAX_BYTES)),
            json_max_depth=int(config.get("JSON_MAX_DEPTH", DEFAULT_JSON_MAX_DEPTH)),
        )

    def apply(self, request: Request) -> None:
        request.max_content_length = self.json_max_bytes
        request.max_json_depth = self.json_max_depth


def refuse_unstorable_input(request: Request) -> None:
    """Raises for a header with NUL (400) or a query value that cannot be stored (422)."""
    for name, value in request.headers.items():
        if "\x00" in value:
            raise ApiError(400, "bad_request", f"The header {name} holds a NUL character.")
    problems = {
        printable(name): [NOT_STORABLE_MESSAGE]
        for name, values in request.args.lists()
        if NOT_STORABLE.search(name) or any(NOT_STORABLE.search(value) for value in values)
    }
    if problems:
        raise ApiError(422, "invalid_input", INVALID_FIELDS, problems)


def printable(name: str) -> str:
    return NOT_STORABLE.sub("\ufffd", name)


def body_within_limit(request: Request) -> bytes:
    """The body, 413 past `max_content_length`. Werkzeug refuses a `Content-Length` over the
    limit unread, but stops a chunked body quietly at the limit: one byte more refuses it."""
    body = request.get_data(cache=True)
    limit = request.max_content_length
    if limit is not None and len(body) >= limit and request.environ["wsgi.input"].read(1):
        raise RequestEntityTooLarge()
    return body


def parsed_json(raw: bytes, max_depth: int = DEFAULT_JSON_MAX_DEPTH):
    """The JSON document in `raw`, refused if it is not strict JSON (400), nested deeper than
    `max_depth` (400) or holds a string that cannot be stored (422)."""
    try:
        document = json.loads(raw, parse_constant=refuse_constant, parse_float=finite_float)
    except RecursionError:
        raise too_deep(max_depth) from None
    except ValueError:
        raise ApiError(400, "bad_request", "The body is not valid JSON.") from None
    problems = unstorable_strings(document, max_depth)
    if problems:
        raise ApiError(422, "invalid_input", INVALID_FIELDS, problems)
    return document


def refuse_constant(name: str):
    raise ValueError(f"{name} is not JSON")


def finite_float(text: str) -> float:
    number = float(text)
    if not math.isfinite(number):
        raise ValueError("a number too large")
    return number


def too_deep(max_depth: int) -> ApiError:
    return ApiError(400, "too_deep", f"The JSON is nested more than {max_depth} levels deep.")


def unstorable_strings(document, max_depth: int) -> dict:
    """Marshmallow-shaped messages for every string (key or value) that cannot be stored.

    Walks without recursion, so depth is checked before Python's own stack could be.
    """
    problems: dict = {}
    pending = [(document, ())]
    while pending:
        value, path = pending.pop()
        if isinstance(value, dict | list) and len(path) >= max_depth:
            raise too_deep(max_depth)
        if isinstance(value, str):
            if NOT_STORABLE.search(value):
                add_problem(problems, path)
        elif isinstance(value, dict):
            for key, item in value.items():
                if NOT_STORABLE.search(key):
                    add_problem(problems, (*path, printable(key)))
                else:
                    pending.append((item, (*path, key)))
        elif isinstance(value, list):
            pending.extend((item, (*path, index)) for index, item in enumerate(value))
    return problems


def add_problem(problems: dict, path: tuple) -> None:
    if not path:
        problems.setdefault("_schema", [NOT_STORABLE_MESSAGE])
        return
    node = problems
    for step in path[:-1]:
        node = node.setdefault(step, {})
    node[path[-1]] = [NOT_STORABLE_MESSAGE]
