"""Every answer a test client receives, checked against the response the OpenAPI document
promises for its route and status, so the document cannot drift from what services answer.

The document is generated from the contract schemas; the answers come from the real services
behind the gateway, so each gateway test is also a contract test of the answers it sees.
"""

import functools
import re

from openapi_schema_validator import OAS30Validator

from gateway.openapi import openapi_document
from gateway.service import GatewayService

PARAMETER = re.compile(r"\{[^}/]+\}")
THE_DOCUMENT = "/api/openapi.json"


@functools.cache
def document() -> dict:
    return openapi_document(GatewayService)


def path_pattern(template: str) -> re.Pattern:
    literal_parts = PARAMETER.split(template)
    return re.compile("^" + "[^/]+".join(re.escape(part) for part in literal_parts) + "$")


@functools.cache
def route_patterns() -> list[tuple[re.Pattern, str]]:
    """Each documented path as a pattern; literal paths before templated ones, so that
    `/api/reports/draft` is not taken for `/api/reports/{report_id}`."""
    paths = sorted(document()["paths"], key=lambda path: (path.count("{"), -len(path)))
    return [(path_pattern(path), path) for path in paths]


def documented_operation(method: str, path: str) -> dict | None:
    for pattern, template in route_patterns():
        if pattern.match(path):
            return document()["paths"][template].get(method.lower())
    return None


def promised_schema(operation: dict, status: int) -> dict | None:
    responses = operation["responses"]
    response = responses.get(str(status)) or (responses["default"] if status >= 400 else None)
    assert response is not None, f"status {status} is not documented"
    content = response.get("content", {}).get("application/json")
    return content["schema"] if content else None


def check_answer(method: str, path: str, status: int, content_type: str, body) -> None:
    """Fails the test when a JSON answer is not what the document says for its route."""
    if not content_type.startswith("application/json") or path == THE_DOCUMENT:
        return
    operation = documented_operation(method, path)
    if operation is None:
        return
    schema = promised_schema(operation, status)
    assert schema is not None, f"{method} {path} answered {status} with JSON it does not document"
    validator = OAS30Validator({**schema, "components": document()["components"]})
    problems = sorted(validator.iter_errors(body), key=str)
    assert not problems, (
        f"{method} {path} {status}: {problems[0].message} at {list(problems[0].absolute_path)}"
    )
