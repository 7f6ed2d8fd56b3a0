"""Public HTTP schemas of the catalogue, slots, bookings, notes and feedback.

Request bodies are validated by the bookings service with the contract's schemas (the gateway
passes the JSON on unchanged); these describe the answers and document both in OpenAPI.
"""

from marshmallow import Schema, fields, validate

from services.contracts.bookings import (
    DELIVERY_METHODS,
    STATUSES,
    AvailabilityChangeInput,
    BookingRequest,
    CoachInput,
    FeedbackInput,
    FeedbackSummaryQuery,
    NoteInput,
    Reschedule,
    ServiceInput,
    WeeklyHoursInput,
)


class BookingForm(BookingRequest):
    """`coachee` is required without a session and refused with one."""


class ServiceCreation(ServiceInput):
    pass


class CoachCreation(CoachInput):
    pass


class WorkingHoursRequest(Schema):
    hours = fields.List(fields.Nested(WeeklyHoursInput), required=True)


class AvailabilityChangeRequest(AvailabilityChangeInput):
    pass


class RescheduleRequest(Reschedule):
    pass


class NoteRequest(NoteInput):
    pass


class EligibilityDecision(Schema):
    approved = fields.Boolean(required=True)


class OutcomeRequest(Schema):
    outcome = fields.String(required=True, validate=validate.OneOf(("completed", "no_show")))


class SpecificationSchema(Schema):
    id = fields.UUID()
    name = fields.String()


class CatalogueServiceSchema(Schema):
    id = fields.UUID()
    name = fields.String()
    description = fields.String()
    duration_minutes = fields.Integer()
    specifications = fields.List(fields.Nested(SpecificationSchema))
    delivery_methods = fields.List(fields.String(validate=validate.OneOf(DELIVERY_METHODS)))
    active = fields.Boolean()


class CatalogueSchema(Schema):
    items = fields.List(fields.Nested(CatalogueServiceSchema))


class CoachSchema(Schema):
    id = fields.UUID()
    account_id = fields.UUID()
    name = fields.String()
    active = fields.Boolean()
    service_ids = fields.List(fields.UUID())


class CoachListSchema(Schema):
    items = fields.List(fields.Nested(CoachSchema))


class WorkingHoursSchema(Schema):
    items = fields.List(fields.Nested(WeeklyHoursInput))


class AvailabilityChangeSchema(AvailabilityChangeInput):
    id = fields.UUID()
    coach_id = fields.UUID()


class SlotQuerySchema(Schema):
    service_id = fields.UUID(required=True)
    from_ = fields.Date(required=True, data_key="from")
    to = fields.Date(
        required=True,
        metadata={
            "description": "The last day searched, not before `from`; one search covers at "
            "most 62 days (configurable), else 422 naming `to`."
        },
    )
    coach_id = fields.UUID(metadata={"description": "Only this coach's slots; else any coach."})


class SlotSchema(Schema):
    starts_at = fields.String(metadata={"example": "2027-03-02T09:00:00+02:00"})
    ends_at = fields.String()
    coach_id = fields.UUID(metadata={"description": "The first free coach, by name."})
    coach_name = fields.String()
    free_coaches = fields.Integer(
        metadata={
            "description": "How many coaches are free then. Search with `coach_id` for another "
            "coach's slots; book without `coach_id` to take any free coach.",
            "example": 3,
        }
    )


class SlotListSchema(Schema):
    items = fields.List(fields.Nested(SlotSchema))


class BookingSchema(Schema):
    id = fields.UUID()
    status = fields.String(metadata={"enum": list(STATUSES)})
    starts_at = fields.String()
    ends_at = fields.String()
    coach_id = fields.UUID()
    coach_name = fields.String(allow_none=True)
    coachee_id = fields.UUID()
    service_id = fields.UUID()
    specification_id = fields.UUID()
    delivery_method = fields.String()
    message = fields.String()
    eligibility_rule = fields.String()
    hold_expires_at = fields.String(allow_none=True)
    created_at = fields.String()


class BookingCreatedSchema(Schema):
    booking = fields.Nested(BookingSchema)
    username = fields.String(metadata={"description": "Only when this booking created it."})


class BookingQuerySchema(Schema):
    from_ = fields.AwareDateTime(data_key="from")
    to = fields.AwareDateTime()
    status = fields.String(validate=validate.OneOf(STATUSES))
    limit = fields.Integer(validate=validate.Range(min=1, max=200))
    cursor = fields.String()


class BookingPageSchema(Schema):
    items = fields.List(fields.Nested(BookingSchema))
    next_cursor = fields.String(allow_none=True)


class NoteSchema(Schema):
    id = fields.UUID()
    booking_id = fields.UUID()
    author_id = fields.UUID()
    body = fields.String()
    created_at = fields.String()
    updated_at = fields.String()


class NoteListSchema(Schema):
    items = fields.List(fields.Nested(NoteSchema))


class FeedbackRequest(FeedbackInput):
    """Replaces the rating and the comment; without `comment` the comment is removed."""


class FeedbackSchema(Schema):
    booking_id = fields.UUID()
    rating = fields.Integer(metadata={"minimum": 1, "maximum": 5})
    comment = fields.String(allow_none=True)
    created_at = fields.String()
    updated_at = fields.String()
    changeable_until = fields.String(
        metadata={"description": "The coachee may change the feedback until then (409 after)."}
    )


class FeedbackSummaryQuerySchema(FeedbackSummaryQuery):
    """Ratings are kept by the month of the session, so the summary counts whole months."""

    from_ = fields.Date(
        required=True,
        data_key="from",
        metadata={"description": "Counted from the first day of this day's month."},
    )
    to = fields.Date(
        required=True,
        metadata={"description": "Counted to the last day of this day's month; not before `from`."},
    )


class FeedbackStatisticsSchema(Schema):
    service_id = fields.UUID()
    service_name = fields.String()
    coach_id = fields.UUID()
    coach_name = fields.String()
    count = fields.Integer()
    average_rating = fields.Float(metadata={"example": 4.25})


class FeedbackSummarySchema(Schema):
    from_ = fields.Date(data_key="from", metadata={"description": "First day counted."})
    to = fields.Date(metadata={"description": "Last day counted."})
    items = fields.List(fields.Nested(FeedbackStatisticsSchema))
