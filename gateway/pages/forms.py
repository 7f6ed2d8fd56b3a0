"""Reading a page's form with the API's own schemas, and saying what was refused, in words.

`load_form` returns what the contract schema accepted or raises `FormRefused` carrying one
message per field in the visitor's language, keyed by the field's name (nested fields joined
with dots, `attendees.0.email`) — the names the templates give their inputs. Empty inputs are
left out, so a required field left empty gets the schema's "missing" error and an optional one
its default.

A handler that reads a form and sends it to a service catches both refusals at once, as the
last of its `except` clauses (a more particular refusal, `IdempotencyKeyReused` say, before it):
`except FORM_REFUSALS as refusal:` shows the form again with `refusal_errors(refusal, visitor)`.
"""

from marshmallow import Schema, ValidationError, fields
from werkzeug.wrappers import Request

from gateway.request_input import accepted
from services.contracts.errors import InvalidInput
from services.infra.validation import schema_instance

FORM_TOKEN_FIELD = "csrf_token"
CHECKED = ("true", "on")
UNCHECKED = ("false", "off")


class FormRefused(Exception):
    def __init__(self, errors: dict[str, str]):
        super().__init__(", ".join(errors))
        self.errors = errors


def form_of(request: Request, *, lists: tuple[str, ...] = ()) -> dict:
    """The posted fields without the form token and empty values; `lists` keep every value."""
    data = {}
    for name in request.form:
        if name == FORM_TOKEN_FIELD:
            continue
        if name in lists:
            data[name] = [value for value in request.form.getlist(name) if value != ""]
        elif request.form[name].strip() != "":
            data[name] = request.form[name]
    return data


def load_form(schema: type[Schema] | Schema, data: dict, visitor) -> dict:
    """What `schema` accepts of the form; a checkbox's or a yes/no button's text value is the
    boolean it means (the contracts take only JSON's booleans), anything else is refused by the
    schema, and an unchecked box is absent (the field's default)."""
    schema = schema_instance(schema) if isinstance(schema, type) else schema
    data = dict(data)
    for name, field in schema.load_fields.items():
        key = field.data_key or name
        if isinstance(field, fields.Boolean) and data.get(key) in CHECKED + UNCHECKED:
            data[key] = data[key] in CHECKED
    try:
        return accepted(schema, data)
    except ValidationError as exc:
        raise FormRefused(field_messages(exc.messages, visitor)) from None


FORM_REFUSALS = (FormRefused, InvalidInput)
"""A form refused by its schema (`load_form`) or by the service it was sent to."""


def refusal_errors(refusal: FormRefused | InvalidInput, visitor, field: str = "_form") -> dict:
    """The errors a refused form is shown again with: the schema's, or the service's at the
    fields it names, else at `field`."""
    if isinstance(refusal, FormRefused):
        return refusal.errors
    if refusal.fields:
        return field_messages(refusal.fields, visitor)
    return {field: visitor.language.field_error(refusal.message)}


def field_messages(messages, visitor, prefix: str = "") -> dict[str, str]:
    """marshmallow's nested `{field: [message] | {…}}` flattened to `{"a.b": "first message"}`."""
    if isinstance(messages, (list, tuple)):
        first = next((m for m in messages if isinstance(m, str)), None)
        flat = {prefix or "_form": visitor.language.field_error(first)} if first else {}
        for item in messages:
            if isinstance(item, dict):
                flat.update(field_messages(item, visitor, prefix))
        return flat
    if isinstance(messages, str):
        return {prefix or "_form": visitor.language.field_error(messages)}
    flat = {}
    for name, inner in messages.items():
        key = str(name) if name != "_schema" else ""
        flat.update(field_messages(inner, visitor, f"{prefix}.{key}".strip(".") if key else prefix))
    return flat
