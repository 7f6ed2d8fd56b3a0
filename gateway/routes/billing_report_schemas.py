"""Public HTTP schemas of the monthly report routes.

Times are strings here because the billing service answers in JSON; the billing service checks
the meaning of what is sent (a reason without identity codes) and its refusals come back as 422s.
"""

from marshmallow import Schema, fields, validate

from gateway.routes.account_schemas import text, timestamp
from services.contracts.billing import (
    DRAFT,
    FINAL,
    PERIOD_PATTERN,
    PERIOD_PROBLEM,
    REISSUE_REASON_MAX_LENGTH,
)


def period(**kwargs) -> fields.String:
    return fields.String(
        validate=validate.Regexp(PERIOD_PATTERN, error=PERIOD_PROBLEM),
        metadata={"description": "A calendar month (Helsinki time), YYYY-MM", "example": "2027-03"},
        **kwargs,
    )


class ReportQuerySchema(Schema):
    subscriber_id = fields.UUID(
        load_default=None,
        metadata={"description": "Admins: one subscriber's reports; contacts see only their own."},
    )
    period = period(load_default=None)
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))
    cursor = fields.String(load_default=None)


class DraftQuerySchema(Schema):
    subscriber_id = fields.UUID(required=True)
    period = period(required=True)
    limit = fields.Integer(load_default=100, validate=validate.Range(min=1, max=500))
    cursor = fields.String(load_default=None)


class ServiceTotalSchema(Schema):
    service = fields.String()
    sessions = fields.Integer(metadata={"description": "Sessions billed: charges less reversals."})


class ReportSchema(Schema):
    id = fields.UUID()
    subscriber_id = fields.UUID()
    subscriber_name = fields.String()
    period = fields.String(metadata={"example": "2027-03"})
    version = fields.Integer(metadata={"description": "1, then one more for each re-issue."})
    status = fields.String(metadata={"enum": [FINAL]})
    reason = fields.String(allow_none=True, metadata={"description": "Why it was re-issued."})
    issued_by = fields.UUID(allow_none=True, metadata={"description": "The re-issuing admin."})
    issued_at = timestamp()
    line_count = fields.Integer()
    sessions = fields.Integer()
    totals = fields.List(fields.Nested(ServiceTotalSchema))
    member_number_included = fields.Boolean()


class ReportPageSchema(Schema):
    items = fields.List(fields.Nested(ReportSchema))
    next_cursor = fields.String(allow_none=True)


class ReportLineSchema(Schema):
    id = fields.UUID()
    booking_id = fields.UUID()
    starts_at = timestamp()
    ends_at = timestamp()
    service_name = fields.String()
    specification_name = fields.String()
    delivery_method = fields.String()
    coach_name = fields.String()
    member_name = fields.String()
    member_number = fields.String(
        allow_none=True, metadata={"description": "Only for subscribers that want it shown."}
    )
    quantity = fields.Integer(metadata={"description": "1 a session, -1 a reversal of one."})
    correction_of = fields.String(
        allow_none=True, metadata={"description": "For a correction, the month it is about."}
    )


class DraftReportSchema(Schema):
    subscriber_id = fields.UUID()
    subscriber_name = fields.String()
    period = fields.String()
    status = fields.String(metadata={"enum": [DRAFT, FINAL]})
    line_count = fields.Integer()
    sessions = fields.Integer()
    totals = fields.List(fields.Nested(ServiceTotalSchema))
    lines = fields.List(fields.Nested(ReportLineSchema))
    next_cursor = fields.String(allow_none=True)


class ReissueRequestSchema(Schema):
    reason = text(REISSUE_REASON_MAX_LENGTH, required=True)
