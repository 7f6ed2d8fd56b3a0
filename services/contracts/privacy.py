"""The privacy service's contract: data-subject requests, the audit log and the breach register.

RPC methods (see services/privacy/README.md for each one's arguments, answer and errors):
register_request, request_own_export, list_requests, get_request, record_rectification,
fetch_result, preview_erasure, retention_preview, run_retention, search_audit_log,
register_breach, list_breaches, update_breach, export_personal_data, erase_personal_data.
"""

from marshmallow import EXCLUDE, Schema, fields, validate
from nameko.exceptions import deserialize_to_instance

from services.contracts.errors import Conflict, NotFound
from services.contracts.identity_code import no_identity_code

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


@deserialize_to_instance
class ResultNotReady(Conflict):
    """The export or inspection answer is still being put together."""

    code = "not_ready"


@deserialize_to_instance
class ResultExpired(NotFound):
    """The answer file was kept for its days and then deleted."""

    code = "result_expired"


def free_text(max_length: int, **kwargs) -> fields.String:
    return fields.String(
        validate=[validate.Length(min=1, max=max_length), no_identity_code], **kwargs
    )


class RequestRegistration(Schema):
    """A request privacy staff register for a coachee, named by the login name given."""

    kind = fields.String(required=True, validate=validate.OneOf(KINDS))
    username = fields.String(required=True, validate=validate.Length(min=1, max=64))
    received_at = fields.AwareDateTime(
        load_default=None,
        metadata={"description": "When the request arrived; now if not given."},
    )
    description = free_text(
        4000,
        load_default=None,
        metadata={"description": "Rectification: what was wrong. Others: a note."},
    )


class RequestFilter(Schema):
    class Meta:
        unknown = EXCLUDE

    status = fields.String(load_default=None, validate=validate.OneOf(STATUSES))
    kind = fields.String(load_default=None, validate=validate.OneOf(KINDS))
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))
    cursor = fields.String(load_default=None)


class Rectification(Schema):
    change_link = fields.String(
        required=True,
        validate=validate.Length(min=1, max=500),
        metadata={"description": "Where the change made is seen, e.g. its audit entry."},
    )


class AuditQuery(Schema):
    class Meta:
        unknown = EXCLUDE

    subject = fields.UUID(load_default=None)
    actor = fields.UUID(load_default=None)
    from_ = fields.AwareDateTime(load_default=None, data_key="from")
    to = fields.AwareDateTime(load_default=None)
    limit = fields.Integer(load_default=100, validate=validate.Range(min=1, max=500))
    cursor = fields.String(load_default=None)


class BreachReport(Schema):
    discovered_at = fields.AwareDateTime(required=True)
    description = free_text(4000, required=True)
    personal_data_involved = free_text(
        2000, required=True, metadata={"description": "Whose data and which kinds, roughly."}
    )


class BreachUpdate(Schema):
    authority_notified_at = fields.AwareDateTime(load_default=None, allow_none=True)
    measures = free_text(4000, load_default=None, allow_none=True)
    closed = fields.Boolean(load_default=None, allow_none=True)
