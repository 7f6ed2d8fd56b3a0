"""The bookings service's contract: RPC payloads, events and errors.

RPC methods are listed with their arguments, answers and errors in services/bookings/README.md.
"""

from marshmallow import Schema, ValidationError, fields, validate, validates_schema
from nameko.exceptions import deserialize_to_instance

from services.contracts.accounts import CoacheeRegistration
from services.contracts.errors import Conflict, Forbidden, InvalidInput
from services.contracts.fields import Changes, boolean, day, person_name, text, timestamp

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
OUTCOMES = (COMPLETED, NO_SHOW)
TIME_OFF = "time_off"
EXTRA = "extra"
AVAILABILITY_KINDS = (TIME_OFF, EXTRA)


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


@deserialize_to_instance
class IdempotencyKeyReused(InvalidInput):
    """The Idempotency-Key was first sent with another request (or by another caller)."""

    code = "idempotency_key_reused"


@deserialize_to_instance
class RegistrationExpired(Conflict):
    """A first booking came back after its registration was given up; send the form again."""

    code = "registration_expired"


def delivery_method(**kwargs) -> fields.String:
    return fields.String(validate=validate.OneOf(DELIVERY_METHODS), **kwargs)


class ServiceInput(Schema):
    name = text(200, required=True)
    description = text(4000, min_length=0, load_default="")
    duration_minutes = fields.Integer(
        required=True, strict=True, validate=validate.Range(min=15, max=480)
    )
    specifications = fields.List(text(200), load_default=list)
    delivery_methods = fields.List(
        delivery_method(), required=True, validate=validate.Length(min=1)
    )
    active = boolean(load_default=True)


class ServiceChanges(Changes):
    """A PATCH of a service: specifications are fixed once bookings can refer to them."""

    name = text(200)
    description = text(4000, min_length=0)
    duration_minutes = fields.Integer(strict=True, validate=validate.Range(min=15, max=480))
    delivery_methods = fields.List(delivery_method(), validate=validate.Length(min=1))
    active = boolean()


class Specification(Schema):
    id = fields.UUID()
    name = fields.String()


class CatalogueService(Schema):
    id = fields.UUID()
    name = fields.String()
    description = fields.String()
    duration_minutes = fields.Integer()
    specifications = fields.List(fields.Nested(Specification))
    delivery_methods = fields.List(delivery_method())
    active = fields.Boolean()


class Catalogue(Schema):
    items = fields.List(fields.Nested(CatalogueService))


class CatalogueQuery(Schema):
    """What `GET /api/services` takes: the bookable services, or with `include_inactive=true`
    (administrators only) also those taken out of use, so they can be put back."""

    include_inactive = fields.Boolean(
        load_default=False,
        truthy={"true"},
        falsy={"false"},
        metadata={"description": "true or false"},
    )


class CoachInput(Schema):
    account_id = fields.UUID(
        required=True, metadata={"description": "A coach's or an admin's staff account."}
    )
    name = person_name(required=True)
    service_ids = fields.List(fields.UUID(), load_default=list)
    active = boolean(load_default=True)


class CoachChanges(Changes):
    """A PATCH of a coach: the staff account behind it stays."""

    name = person_name()
    service_ids = fields.List(fields.UUID())
    active = boolean()


class Coach(Schema):
    id = fields.UUID()
    account_id = fields.UUID()
    name = fields.String()
    active = fields.Boolean()
    service_ids = fields.List(fields.UUID())


class CoachList(Schema):
    items = fields.List(fields.Nested(Coach))


class WeeklyHoursInput(Schema):
    weekday = fields.Integer(
        required=True,
        strict=True,
        validate=validate.Range(min=0, max=6),
        metadata={"description": "0 is Monday."},
    )
    starts = fields.Time(required=True, metadata={"example": "08:00"})
    ends = fields.Time(required=True, metadata={"example": "16:00"})


class WorkingHoursInput(Schema):
    hours = fields.List(fields.Nested(WeeklyHoursInput), required=True)


class WeeklyHours(Schema):
    weekday = fields.Integer()
    starts = fields.String(metadata={"example": "08:00"})
    ends = fields.String(metadata={"example": "16:00"})


class WorkingHours(Schema):
    items = fields.List(fields.Nested(WeeklyHours))


class AvailabilityChangeInput(Schema):
    starts_at = timestamp(required=True)
    ends_at = timestamp(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(AVAILABILITY_KINDS))


class AvailabilityChange(Schema):
    id = fields.UUID()
    coach_id = fields.UUID()
    starts_at = timestamp()
    ends_at = timestamp()
    kind = fields.String(validate=validate.OneOf(AVAILABILITY_KINDS))


class AvailabilityChangeList(Schema):
    items = fields.List(fields.Nested(AvailabilityChange))


class AvailabilityQuery(Schema):
    """Changes overlapping the days `from`–`to` (Helsinki time); by default the coming 90 days."""

    from_ = day(load_default=None, data_key="from")
    to = day(load_default=None)

    @validates_schema
    def check_order(self, data, **kwargs):
        if data.get("from_") and data.get("to") and data["to"] < data["from_"]:
            raise ValidationError("Must not be before `from`.", "to")


class SlotQuery(Schema):
    service_id = fields.UUID(required=True)
    from_ = day(required=True, data_key="from")
    to = day(
        required=True,
        metadata={
            "description": "The last day searched, not before `from`; one search covers at "
            "most 62 days (configurable), else 422 naming `to`."
        },
    )
    coach_id = fields.UUID(
        load_default=None,
        metadata={"description": "Only this coach's slots; else any coach."},
    )


class Slot(Schema):
    starts_at = timestamp(metadata={"example": "2027-03-02T09:00:00+02:00"})
    ends_at = timestamp()
    coach_id = fields.UUID(metadata={"description": "The first free coach, by name."})
    coach_name = fields.String()
    free_coaches = fields.Integer(
        metadata={
            "description": "How many coaches are free then. Search with `coach_id` for another "
            "coach's slots; book without `coach_id` to take any free coach.",
            "example": 3,
        }
    )


class SlotList(Schema):
    items = fields.List(fields.Nested(Slot))


class BookingRequest(Schema):
    """The booking form. `coachee` is required without a session and refused with one."""

    service_id = fields.UUID(required=True)
    specification_id = fields.UUID(required=True)
    delivery_method = delivery_method(required=True)
    starts_at = timestamp(required=True)
    coach_id = fields.UUID(
        load_default=None, metadata={"description": "Leave out to take any free coach."}
    )
    message = text(2000, min_length=0, load_default="")
    coachee = fields.Nested(CoacheeRegistration, load_default=None)


class Booking(Schema):
    id = fields.UUID()
    status = fields.String(validate=validate.OneOf(STATUSES))
    starts_at = timestamp()
    ends_at = timestamp()
    coach_id = fields.UUID()
    coach_name = fields.String(allow_none=True)
    coachee_id = fields.UUID()
    service_id = fields.UUID()
    service_name = fields.String(allow_none=True)
    specification_id = fields.UUID()
    specification_name = fields.String(allow_none=True)
    delivery_method = delivery_method()
    message = fields.String()
    eligibility_rule = fields.String(metadata={"description": "How eligibility was decided."})
    hold_expires_at = timestamp(allow_none=True)
    created_at = timestamp()
    coachee_changes_until = timestamp(
        metadata={
            "description": "The coachee may cancel or move an active booking until then (409 "
            "`too_late` after); staff at any time."
        }
    )
    feedback_until = timestamp(
        metadata={
            "description": "Feedback on a completed session can be given or changed until then."
        }
    )


class BookingCreated(Schema):
    booking = fields.Nested(Booking, required=True)
    username = fields.String(metadata={"description": "Only when this booking created it."})


class Reschedule(Schema):
    starts_at = timestamp(required=True)
    coach_id = fields.UUID(load_default=None)


class EligibilityDecision(Schema):
    approved = boolean(required=True)


class Outcome(Schema):
    outcome = fields.String(required=True, validate=validate.OneOf(OUTCOMES))


class NoteInput(Schema):
    body = text(20000, required=True)


class Note(Schema):
    id = fields.UUID()
    booking_id = fields.UUID()
    author_id = fields.UUID()
    body = fields.String()
    created_at = timestamp()
    updated_at = timestamp()


class NoteList(Schema):
    items = fields.List(fields.Nested(Note))


class BookingFilter(Schema):
    from_ = timestamp(load_default=None, data_key="from")
    to = timestamp(load_default=None)
    status = fields.String(load_default=None, validate=validate.OneOf(STATUSES))
    coach_id = fields.UUID(
        load_default=None,
        metadata={"description": "Only this coach's bookings (a coach sees only their own)."},
    )
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))
    cursor = fields.String(load_default=None, validate=validate.Length(max=200))


class BookingPage(Schema):
    items = fields.List(fields.Nested(Booking))
    next_cursor = fields.String(allow_none=True)


class FeedbackInput(Schema):
    """A coachee's feedback on a completed session; a PUT replaces both fields, so without
    `comment` the comment is removed."""

    rating = fields.Integer(required=True, strict=True, validate=validate.Range(min=1, max=5))
    comment = text(2000, min_length=0, load_default=None, allow_none=True)


class Feedback(Schema):
    booking_id = fields.UUID()
    rating = fields.Integer(validate=validate.Range(min=1, max=5))
    comment = fields.String(allow_none=True)
    created_at = timestamp()
    updated_at = timestamp()
    changeable_until = timestamp(
        metadata={"description": "The coachee may change the feedback until then (409 after)."}
    )


class FeedbackSummaryQuery(Schema):
    """Ratings are kept by the month of the session, so the summary counts whole months."""

    from_ = day(
        required=True,
        data_key="from",
        metadata={"description": "Counted from the first day of this day's month."},
    )
    to = day(
        required=True,
        metadata={"description": "Counted to the last day of this day's month; not before `from`."},
    )
    service_id = fields.UUID(load_default=None)
    coach_id = fields.UUID(load_default=None)

    @validates_schema
    def to_not_before_from(self, data: dict, **kwargs) -> None:
        if data["to"] < data["from_"]:
            raise ValidationError("Must not be before `from`.", "to")


class FeedbackStatistics(Schema):
    service_id = fields.UUID()
    service_name = fields.String()
    coach_id = fields.UUID()
    coach_name = fields.String()
    count = fields.Integer()
    average_rating = fields.Float(metadata={"example": 4.25})


class FeedbackSummary(Schema):
    from_ = day(data_key="from", metadata={"description": "First day counted."})
    to = day(metadata={"description": "Last day counted."})
    items = fields.List(fields.Nested(FeedbackStatistics))
