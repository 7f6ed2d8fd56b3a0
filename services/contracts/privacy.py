"""The privacy service's contract: data-subject requests, the audit log and the breach register.

RPC methods (see services/privacy/README.md for each one's arguments, answer and errors):
register_request, request_own_export, list_subject_requests, list_requests, get_request,
record_rectification, fetch_result, preview_erasure, retention_preview, run_retention,
search_audit_log, register_breach, list_breaches, update_breach, export_personal_data,
erase_personal_data.
"""

from marshmallow import Schema, fields, validate
from nameko.exceptions import deserialize_to_instance

from services.contracts.errors import Conflict, NotFound
from services.contracts.fields import boolean, text, timestamp

EXPORT = "export"
ERASURE = "erasure"
INSPECTION = "inspection"
RECTIFICATION = "rectification"
KINDS = (EXPORT, ERASURE, INSPECTION, RECTIFICATION)

OPEN = "open"
COMPLETED = "completed"
STATUSES = (OPEN, COMPLETED)

BY_STAFF = "staff"
BY_SUBJECT = "subject"
BY_RETENTION = "retention"
ORIGINS = (BY_STAFF, BY_SUBJECT, BY_RETENTION)

STEP_PENDING = "pending"
STEP_DONE = "done"
STEP_STATUSES = (STEP_PENDING, STEP_DONE)
STEP_ACTIONS = ("disable_login", "erase", "export")
AUDIT_OUTCOMES = ("ok", "denied")


@deserialize_to_instance
class ResultNotReady(Conflict):
    """The export or inspection answer is still being put together."""

    code = "not_ready"


@deserialize_to_instance
class ResultExpired(NotFound):
    """The answer file was kept for its days and then deleted."""

    code = "result_expired"


def page_limit(default: int, maximum: int) -> fields.Integer:
    return fields.Integer(load_default=default, validate=validate.Range(min=1, max=maximum))


def cursor() -> fields.String:
    return fields.String(load_default=None, validate=validate.Length(max=200))


class RequestRegistration(Schema):
    """A request privacy staff register for a coachee, named by the login name given."""

    kind = fields.String(required=True, validate=validate.OneOf(KINDS))
    username = fields.String(
        required=True,
        validate=validate.Length(min=1, max=64),
        metadata={"description": "The login name the person gave."},
    )
    received_at = timestamp(
        load_default=None,
        metadata={
            "description": "When the request arrived (a letter may come earlier); now if not given."
        },
    )
    description = text(
        4000,
        load_default=None,
        metadata={"description": "Rectification: what was wrong (required). Others: a note."},
    )


class RequestFilter(Schema):
    status = fields.String(load_default=None, validate=validate.OneOf(STATUSES))
    kind = fields.String(load_default=None, validate=validate.OneOf(KINDS))
    limit = page_limit(50, 200)
    cursor = cursor()


class Step(Schema):
    participant = fields.String(metadata={"description": "The service this step asks."})
    action = fields.String(validate=validate.OneOf(STEP_ACTIONS))
    status = fields.String(validate=validate.OneOf(STEP_STATUSES))
    attempts = fields.Integer()
    next_attempt_at = timestamp(allow_none=True)
    last_error = fields.String(allow_none=True)
    result = fields.Dict(
        allow_none=True,
        metadata={
            "description": "Erasure: items_removed, items_anonymised, items_retained and the "
            "reasons (messages). Export: how many items and files were gathered."
        },
    )
    completed_at = timestamp(allow_none=True)


class PrivacyRequest(Schema):
    id = fields.UUID()
    kind = fields.String(validate=validate.OneOf(KINDS))
    subject_id = fields.UUID()
    login_name = fields.String(allow_none=True)
    origin = fields.String(validate=validate.OneOf(ORIGINS))
    received_at = timestamp()
    due_at = timestamp(metadata={"description": "One month after receipt (GDPR Art. 12(3))."})
    overdue = fields.Boolean()
    status = fields.String(validate=validate.OneOf(STATUSES))
    completed_at = timestamp(allow_none=True)
    description = fields.String(allow_none=True)
    change_link = fields.String(allow_none=True)
    number_in_year = fields.Integer(
        allow_none=True, metadata={"description": "Inspections: which one of the calendar year."}
    )
    free_of_charge = fields.Boolean(
        allow_none=True, metadata={"description": "Inspections: only the first of a year is."}
    )
    result_available = fields.Boolean()
    result_expires_at = timestamp(allow_none=True)
    steps = fields.List(fields.Nested(Step))


class PrivacyRequestPage(Schema):
    items = fields.List(fields.Nested(PrivacyRequest))
    next_cursor = fields.String(allow_none=True)


class OwnPrivacyRequest(Schema):
    """A request as its subject sees it: no staff notes, no saga steps."""

    id = fields.UUID()
    kind = fields.String(validate=validate.OneOf(KINDS))
    origin = fields.String(
        validate=validate.OneOf(ORIGINS),
        metadata={"description": "Asked by the person, registered by staff, or the retention run."},
    )
    status = fields.String(validate=validate.OneOf(STATUSES))
    received_at = timestamp(metadata={"description": "When the request was made."})
    due_at = timestamp(metadata={"description": "One month after receipt (GDPR Art. 12(3))."})
    completed_at = timestamp(allow_none=True)
    result_available = fields.Boolean(
        metadata={"description": "A finished export or inspection whose answer is still kept."}
    )
    result_expires_at = timestamp(allow_none=True)
    download = fields.String(
        allow_none=True,
        metadata={
            "description": "Where the answer is downloaded (GET, the same login) while "
            "`result_available`; null otherwise. Filled in by the gateway.",
            "example": "/api/privacy/requests/3f0e9a52-6c1d-4b8e-9a77-2d4f1c0b8e15/export.zip",
        },
    )


class OwnPrivacyRequestList(Schema):
    items = fields.List(fields.Nested(OwnPrivacyRequest), metadata={"description": "Newest first."})


class Rectification(Schema):
    change_link = fields.String(
        required=True,
        validate=validate.Length(min=1, max=500),
        metadata={"description": "Where the change made is seen, e.g. its audit entry."},
    )


class ErasurePreviewQuery(Schema):
    username = fields.String(required=True, validate=validate.Length(min=1, max=64))


class ServicePreview(Schema):
    service = fields.String()
    available = fields.Boolean()
    error = fields.String()
    items_removed = fields.Integer()
    items_anonymised = fields.Integer()
    items_retained = fields.Integer()
    messages = fields.List(fields.String(), metadata={"description": "Why items are retained."})


class ErasurePreview(Schema):
    subject_id = fields.UUID()
    username = fields.String()
    services = fields.List(fields.Nested(ServicePreview))


class RetentionItem(Schema):
    account_id = fields.UUID()
    username = fields.String()
    created_at = timestamp()
    erase_from = timestamp()
    erase_by = timestamp()
    request_id = fields.UUID(allow_none=True)
    request_status = fields.String(allow_none=True)


class RetentionPreview(Schema):
    created_before = timestamp(
        metadata={"description": "The run a month from now takes coachees created before this."}
    )
    items = fields.List(fields.Nested(RetentionItem))
    next_cursor = fields.String(allow_none=True)


class AuditQuery(Schema):
    subject = fields.UUID(
        load_default=None, metadata={"description": "The person the access concerned."}
    )
    actor = fields.UUID(
        load_default=None, metadata={"description": "The staff member (or person) who acted."}
    )
    from_ = timestamp(load_default=None, data_key="from")
    to = timestamp(load_default=None)
    limit = page_limit(100, 500)
    cursor = cursor()


class AuditEntry(Schema):
    id = fields.Integer()
    source = fields.String()
    actor_id = fields.UUID(allow_none=True)
    subject_id = fields.UUID(allow_none=True)
    action = fields.String()
    outcome = fields.String(validate=validate.OneOf(AUDIT_OUTCOMES))
    detail = fields.Dict()
    occurred_at = timestamp()


class AuditPage(Schema):
    items = fields.List(fields.Nested(AuditEntry))
    next_cursor = fields.String(allow_none=True)


class BreachReport(Schema):
    discovered_at = timestamp(required=True)
    description = text(4000, required=True)
    personal_data_involved = text(
        2000, required=True, metadata={"description": "Whose data and which kinds, roughly."}
    )


class BreachUpdate(Schema):
    authority_notified_at = timestamp(load_default=None, allow_none=True)
    measures = text(4000, load_default=None, allow_none=True)
    closed = boolean(load_default=None, allow_none=True)


class Breach(Schema):
    id = fields.UUID()
    reported_by = fields.UUID(allow_none=True)
    reported_at = timestamp()
    discovered_at = timestamp()
    notify_by = timestamp(metadata={"description": "72 hours from discovery (GDPR Art. 33)."})
    notification_overdue = fields.Boolean()
    description = fields.String()
    personal_data_involved = fields.String()
    authority_notified_at = timestamp(allow_none=True)
    measures = fields.String(allow_none=True)
    closed_at = timestamp(allow_none=True)


class BreachList(Schema):
    items = fields.List(fields.Nested(Breach))
