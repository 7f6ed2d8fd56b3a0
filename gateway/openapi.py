"""The OpenAPI 3 document, generated from the gateway's routes and their marshmallow schemas."""

import functools
import re

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin

from gateway.http import ApiRoute
from gateway.input_guard import is_id_name
from gateway.schemas import ErrorSchema

PATH_PARAMETER = re.compile(r"<(?:(?P<converter>[^:<>]+):)?(?P<name>[^<>]+)>")
CONVERTER_FORMATS = {"uuid": "uuid"}


def routes_of(service_cls) -> list[ApiRoute]:
    found = []
    for name in dir(service_cls):
        for entrypoint in getattr(getattr(service_cls, name), "nameko_entrypoints", ()):
            if isinstance(entrypoint, ApiRoute):
                found.append((name, entrypoint))
    return found


def operation(method_name: str, route: ApiRoute) -> dict:
    op = {
        "operationId": method_name,
        "summary": route.summary,
        "responses": {
            str(route.status): {"description": "Success"},
            "default": {
                "description": "Error",
                "content": {"application/json": {"schema": ErrorSchema}},
            },
        },
    }
    if route.tags:
        op["tags"] = list(route.tags)
    if route.response_schema is not None:
        op["responses"][str(route.status)]["content"] = {
            "application/json": {"schema": route.response_schema}
        }
    if route.request_schema is not None:
        op["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": route.request_schema}},
        }
    parameters = [path_parameter(match) for match in PATH_PARAMETER.finditer(route.url)]
    if route.query_schema is not None:
        parameters.append({"in": "query", "schema": route.query_schema})
    if parameters:
        op["parameters"] = parameters
    return op


def path_parameter(match: re.Match) -> dict:
    schema = {"type": "string"}
    if match["converter"] in CONVERTER_FORMATS:
        schema["format"] = CONVERTER_FORMATS[match["converter"]]
    elif is_id_name(match["name"]):
        schema["format"] = "uuid"
    return {"in": "path", "name": match["name"], "required": True, "schema": schema}


@functools.cache
def openapi_document(service_cls) -> dict:
    spec = APISpec(
        title="Valmennuskalenteri",
        version="1.0.0",
        openapi_version="3.0.3",
        plugins=[MarshmallowPlugin()],
    )
    spec.components.schema("Error", schema=ErrorSchema)
    paths: dict[str, dict] = {}
    for method_name, route in sorted(routes_of(service_cls), key=lambda item: item[1].url):
        path = PATH_PARAMETER.sub(r"{\g<name>}", route.url)
        for method in route.method.split(","):
            paths.setdefault(path, {})[method.lower()] = operation(method_name, route)
    for path, operations in paths.items():
        spec.path(path=path, operations=operations)
    return spec.to_dict()
