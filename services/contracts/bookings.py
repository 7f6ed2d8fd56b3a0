"""The bookings service's contract: RPC payloads, events and errors.

RPC methods are listed with their arguments, answers and errors in services/bookings/README.md.
"""

from marshmallow import Schema, ValidationError, fields, validate, validates_schema
from nameko.exceptions import deserialize_to_instance

from services.contracts.accounts import CoacheeRegistration
from services.contracts.errors import Conflict, Forbidden
from services.contracts.identity_code import no_identity_code

BOOKING_CONFIRMED = "booking_confirmed"
BOOKING_CANCELLED = "booking_cancelled"
BOOKING_COMPLETED = "booking_completed"
BOOKING_RESCHEDULED = "booking_rescheduled"

DELIVERY_METHODS = ("video", "phone", "on_site")
PENDING = "pending_eligibility"
CONFIRMED = "confirmed"
COMPLETED = "completed"
CANCELLED = "cancelled"
NO_SHOW = "no_show"
STATUSES = (PENDING, CONFIRMED, COMPLETED, CANCELLED, NO_SHOW)
ACTIVE_STATUSES = (PENDING, CONFIRMED)


@deserialize_to_instance
class SlotTaken(Conflict):
    code = "slot_taken"


@deserialize_to_instance
class NotEligible(Forbidden):
    code = "not_eligible"


@deserialize_to_instance
class TooLate(Conflict):
    """The change comes later than the rules allow (e.g. cancelling within the notice)."""

    code = "too_late"


def free_text(max_length: int, min_length: int = 0, **kwargs) -> fields.String:
    """A text field that refuses personal identity codes."""
    return fields.String(
        validate=[validate.Length(min=min_length, max=max_length), no_identity_code], **kwargs
    )


class ServiceInput(Schema):
    name = free_text(200, min_length=1, required=True)
    description = free_text(4000, load_default="")
    duration_minutes = fields.Integer(required=True, validate=validate.Range(min=15, max=480))
    specifications = fields.List(free_text(200, min_length=1), load_default=list)
    delivery_methods = fields.List(
        fields.String(validate=validate.OneOf(DELIVERY_METHODS)),
        required=True,
        validate=validate.Length(min=1),
    )
    active = fields.Boolean(load_default=True)


class CoachInput(Schema):
    account_id = fields.UUID(required=True)
    name = free_text(200, min_length=1, required=True)
    service_ids = fields.List(fields.UUID(), load_default=list)
    active = fields.Boolean(load_default=True)


class WeeklyHoursInput(Schema):
    weekday = fields.Integer(required=True, validate=validate.Range(min=0, max=6))
    starts = fields.Time(required=True)
    ends = fields.Time(required=True)


class AvailabilityChangeInput(Schema):
    starts_at = fields.AwareDateTime(required=True)
    ends_at = fields.AwareDateTime(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(("time_off", "extra")))


class SlotQuery(Schema):
    service_id = fields.UUID(required=True)
    from_ = fields.Date(required=True, data_key="from")
    to = fields.Date(required=True)
    coach_id = fields.UUID(load_default=None)


class BookingRequest(Schema):
    service_id = fields.UUID(required=True)
    specification_id = fields.UUID(required=True)
    delivery_method = fields.String(required=True, validate=validate.OneOf(DELIVERY_METHODS))
    starts_at = fields.AwareDateTime(required=True)
    coach_id = fields.UUID(load_default=None)
    message = free_text(2000, load_default="")
    coachee = fields.Nested(CoacheeRegistration, load_default=None)


class Reschedule(Schema):
    starts_at = fields.AwareDateTime(required=True)
    coach_id = fields.UUID(load_default=None)


class NoteInput(Schema):
    body = free_text(20000, min_length=1, required=True)


class BookingFilter(Schema):
    from_ = fields.AwareDateTime(load_default=None, data_key="from")
    to = fields.AwareDateTime(load_default=None)
    status = fields.String(load_default=None, validate=validate.OneOf(STATUSES))
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))
    cursor = fields.String(load_default=None)


class FeedbackInput(Schema):
    """A coachee's feedback on a completed session; a PUT replaces both fields."""

    rating = fields.Integer(required=True, strict=True, validate=validate.Range(min=1, max=5))
    comment = free_text(2000, load_default=None, allow_none=True)


class FeedbackSummaryQuery(Schema):
    from_ = fields.Date(required=True, data_key="from")
    to = fields.Date(required=True)
    service_id = fields.UUID(load_default=None)
    coach_id = fields.UUID(load_default=None)

    @validates_schema
    def to_not_before_from(self, data: dict, **kwargs) -> None:
        if data["to"] < data["from_"]:
            raise ValidationError("Must not be before `from`.", "to")
