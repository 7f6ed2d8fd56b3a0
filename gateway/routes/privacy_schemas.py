"""Public HTTP schemas of the privacy routes: requests, answers, retention, audit log, breaches.

They check the shape of what clients send; the privacy service checks the meaning and its
refusals come back as 422s too. Times are strings here because the service answers in JSON.
"""

from marshmallow import Schema, fields, validate

from gateway.routes.account_schemas import PageQuery, text
from services.contracts.privacy import KINDS, STATUSES


def timestamp(description: str = "", **kwargs) -> fields.String:
    metadata = {"format": "date-time", **({"description": description} if description else {})}
    return fields.String(metadata=metadata, **kwargs)


class PrivacyRequestRegistration(Schema):
    kind = fields.String(required=True, validate=validate.OneOf(KINDS))
    username = text(64, required=True, metadata={"description": "The login name the person gave."})
    received_at = fields.AwareDateTime(
        metadata={
            "description": "When the request arrived (a letter may come earlier); now if not given."
        }
    )
    description = text(
        4000, metadata={"description": "Rectification: what was wrong (required). Others: a note."}
    )


class StepSchema(Schema):
    participant = fields.String(metadata={"description": "The service this step asks."})
    action = fields.String(metadata={"enum": ["disable_login", "erase", "export"]})
    status = fields.String(metadata={"enum": ["pending", "done"]})
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


class PrivacyRequestSchema(Schema):
    id = fields.UUID()
    kind = fields.String(metadata={"enum": list(KINDS)})
    subject_id = fields.UUID()
    login_name = fields.String(allow_none=True)
    origin = fields.String(metadata={"enum": ["staff", "subject", "retention"]})
    received_at = timestamp()
    due_at = timestamp("One month after receipt (GDPR Art. 12(3)).")
    overdue = fields.Boolean()
    status = fields.String(metadata={"enum": list(STATUSES)})
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
    steps = fields.List(fields.Nested(StepSchema))


class PrivacyRequestPageSchema(Schema):
    items = fields.List(fields.Nested(PrivacyRequestSchema))
    next_cursor = fields.String(allow_none=True)


class PrivacyRequestQuery(PageQuery):
    status = fields.String(validate=validate.OneOf(STATUSES))
    kind = fields.String(validate=validate.OneOf(KINDS))


class RectificationRequest(Schema):
    change_link = text(500, required=True, metadata={"description": "Where the change is seen."})


class PasswordConfirmation(Schema):
    password = text(1024, required=True, metadata={"description": "The password, re-entered."})


class RequestAcceptedSchema(Schema):
    request_id = fields.UUID()


class ErasurePreviewQuery(Schema):
    username = text(64, required=True)


class ServicePreviewSchema(Schema):
    service = fields.String()
    available = fields.Boolean()
    error = fields.String()
    items_removed = fields.Integer()
    items_anonymised = fields.Integer()
    items_retained = fields.Integer()
    messages = fields.List(fields.String(), metadata={"description": "Why items are retained."})


class ErasurePreviewSchema(Schema):
    subject_id = fields.UUID()
    username = fields.String()
    services = fields.List(fields.Nested(ServicePreviewSchema))


class RetentionItemSchema(Schema):
    account_id = fields.UUID()
    username = fields.String()
    created_at = timestamp()
    erase_from = timestamp()
    erase_by = timestamp()
    request_id = fields.UUID(allow_none=True)
    request_status = fields.String(allow_none=True)


class RetentionPreviewSchema(Schema):
    created_before = timestamp("The run a month from now takes coachees created before this.")
    items = fields.List(fields.Nested(RetentionItemSchema))
    next_cursor = fields.String(allow_none=True)


class AuditQuerySchema(Schema):
    subject = fields.UUID(metadata={"description": "The person the access concerned."})
    actor = fields.UUID(metadata={"description": "The staff member (or person) who acted."})
    from_ = fields.AwareDateTime(data_key="from")
    to = fields.AwareDateTime()
    limit = fields.Integer(load_default=100, validate=validate.Range(min=1, max=500))
    cursor = fields.String()


class AuditEntrySchema(Schema):
    id = fields.Integer()
    source = fields.String()
    actor_id = fields.UUID(allow_none=True)
    subject_id = fields.UUID(allow_none=True)
    action = fields.String()
    outcome = fields.String(metadata={"enum": ["ok", "denied"]})
    detail = fields.Dict()
    occurred_at = timestamp()


class AuditPageSchema(Schema):
    items = fields.List(fields.Nested(AuditEntrySchema))
    next_cursor = fields.String(allow_none=True)


class BreachReportRequest(Schema):
    discovered_at = fields.AwareDateTime(required=True)
    description = text(4000, required=True)
    personal_data_involved = text(2000, required=True)


class BreachUpdateRequest(Schema):
    authority_notified_at = fields.AwareDateTime(allow_none=True)
    measures = text(4000, allow_none=True)
    closed = fields.Boolean(allow_none=True)


class BreachSchema(Schema):
    id = fields.UUID()
    reported_by = fields.UUID(allow_none=True)
    reported_at = timestamp()
    discovered_at = timestamp()
    notify_by = timestamp("72 hours from discovery (GDPR Art. 33).")
    notification_overdue = fields.Boolean()
    description = fields.String()
    personal_data_involved = fields.String()
    authority_notified_at = timestamp(allow_none=True)
    measures = fields.String(allow_none=True)
    closed_at = timestamp(allow_none=True)


class BreachListSchema(Schema):
    items = fields.List(fields.Nested(BreachSchema))
