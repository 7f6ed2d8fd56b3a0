"""The catalogue, slot search, the booking form, bookings, notes, feedback and the admin's
scheduling.

Bodies go to the bookings service as sent; it validates them with the contract's schemas, so a
problem comes back as a 422 naming the field.
"""

from gateway.auth import credential_of
from gateway.errors import ApiError
from gateway.http import api
from gateway.request_input import json_body
from gateway.routes.booking_schemas import (
    AvailabilityChangeRequest,
    AvailabilityChangeSchema,
    BookingCreatedSchema,
    BookingForm,
    BookingPageSchema,
    BookingQuerySchema,
    BookingSchema,
    CatalogueSchema,
    CatalogueServiceSchema,
    CoachCreation,
    CoachListSchema,
    CoachSchema,
    EligibilityDecision,
    FeedbackRequest,
    FeedbackSchema,
    FeedbackSummaryQuerySchema,
    FeedbackSummarySchema,
    NoteListSchema,
    NoteRequest,
    NoteSchema,
    OutcomeRequest,
    RescheduleRequest,
    ServiceCreation,
    SlotListSchema,
    SlotQuerySchema,
    WorkingHoursRequest,
    WorkingHoursSchema,
)
from services.contracts.accounts import ADMIN, COACH, COACHEE

IDEMPOTENCY_HEADER = "Idempotency-Key"
MAX_IDEMPOTENCY_KEY = 200
BOOKING_ROLES = (COACHEE, COACH, ADMIN)
STAFF = (COACH, ADMIN)


def idempotency_key(request) -> str | None:
    key = request.headers.get(IDEMPOTENCY_HEADER)
    if key is not None and not 1 <= len(key) <= MAX_IDEMPOTENCY_KEY:
        raise ApiError(
            422,
            "invalid_input",
            "The Idempotency-Key is too long.",
            {IDEMPOTENCY_HEADER: [f"1 to {MAX_IDEMPOTENCY_KEY} characters."]},
        )
    return key


def json_object(request) -> dict:
    body = json_body(request)
    if not isinstance(body, dict):
        raise ApiError(422, "invalid_input", "Expected a JSON object.", {"_schema": ["Object."]})
    return body


class BookingRoutes:
    @api(
        "GET",
        "/api/services",
        summary="The catalogue",
        response_schema=CatalogueSchema,
        tags=("catalogue",),
    )
    def list_catalogue(self, request):
        return self.bookings.list_services()

    @api(
        "POST",
        "/api/services",
        summary="Add a service (admin)",
        request_schema=ServiceCreation,
        response_schema=CatalogueServiceSchema,
        status=201,
        tags=("catalogue",),
    )
    def create_catalogue_service(self, request):
        caller = self.caller(request, roles=(ADMIN,))
        return self.bookings.create_service(json_object(request), caller.actor)

    @api(
        "PATCH",
        "/api/services/<service_id>",
        summary="Edit a service (admin)",
        request_schema=ServiceCreation,
        response_schema=CatalogueServiceSchema,
        tags=("catalogue",),
    )
    def edit_catalogue_service(self, request, service_id):
        caller = self.caller(request, roles=(ADMIN,))
        return self.bookings.update_service(service_id, json_object(request), caller.actor)

    @api(
        "GET",
        "/api/coaches",
        summary="Coaches",
        response_schema=CoachListSchema,
        tags=("catalogue",),
    )
    def list_coaches(self, request):
        return self.bookings.list_coaches()

    @api(
        "POST",
        "/api/coaches",
        summary="Make a staff account a coach (admin)",
        request_schema=CoachCreation,
        response_schema=CoachSchema,
        status=201,
        tags=("catalogue",),
    )
    def create_coach(self, request):
        caller = self.caller(request, roles=(ADMIN,))
        return self.bookings.create_coach(json_object(request), caller.actor)

    @api(
        "PATCH",
        "/api/coaches/<coach_id>",
        summary="Edit a coach (admin)",
        request_schema=CoachCreation,
        response_schema=CoachSchema,
        tags=("catalogue",),
    )
    def edit_coach(self, request, coach_id):
        caller = self.caller(request, roles=(ADMIN,))
        return self.bookings.update_coach(coach_id, json_object(request), caller.actor)

    @api(
        "GET",
        "/api/coaches/<coach_id>/hours",
        summary="A coach's weekly working hours",
        response_schema=WorkingHoursSchema,
        tags=("catalogue",),
    )
    def coach_hours(self, request, coach_id):
        return self.bookings.get_working_hours(coach_id)

    @api(
        "PUT",
        "/api/coaches/<coach_id>/hours",
        summary="Replace a coach's weekly working hours, Helsinki time (admin)",
        request_schema=WorkingHoursRequest,
        response_schema=WorkingHoursSchema,
        tags=("catalogue",),
    )
    def set_coach_hours(self, request, coach_id):
        caller = self.caller(request, roles=(ADMIN,))
        hours = json_object(request).get("hours")
        return self.bookings.set_working_hours(coach_id, hours, caller.actor)

    @api(
        "POST",
        "/api/coaches/<coach_id>/availability-changes",
        summary="Add time off or extra hours (admin)",
        request_schema=AvailabilityChangeRequest,
        response_schema=AvailabilityChangeSchema,
        status=201,
        tags=("catalogue",),
    )
    def add_availability_change(self, request, coach_id):
        caller = self.caller(request, roles=(ADMIN,))
        change = json_object(request)
        return self.bookings.add_availability_change(coach_id, change, caller.actor)

    @api(
        "DELETE",
        "/api/coaches/<coach_id>/availability-changes/<change_id>",
        summary="Remove time off or extra hours (admin)",
        status=204,
        tags=("catalogue",),
    )
    def remove_availability_change(self, request, coach_id, change_id):
        caller = self.caller(request, roles=(ADMIN,))
        self.bookings.remove_availability_change(coach_id, change_id, caller.actor)
        return None

    @api(
        "GET",
        "/api/slots",
        summary="Free slots of a service",
        query_schema=SlotQuerySchema,
        response_schema=SlotListSchema,
        tags=("bookings",),
    )
    def find_slots(self, request):
        return self.bookings.find_slots(request.args.to_dict())

    @api(
        "POST",
        "/api/bookings",
        summary="The booking form; a first booking creates the username",
        request_schema=BookingForm,
        response_schema=BookingCreatedSchema,
        status=201,
        tags=("bookings",),
    )
    def create_booking(self, request):
        actor = None
        if credential_of(request) is not None:
            actor = self.caller(request).actor
        return self.bookings.create_booking(json_object(request), actor, idempotency_key(request))

    @api(
        "GET",
        "/api/bookings",
        summary="Own (coachee), assigned (coach) or all (admin) bookings",
        query_schema=BookingQuerySchema,
        response_schema=BookingPageSchema,
        tags=("bookings",),
    )
    def list_bookings(self, request):
        caller = self.caller(request, roles=BOOKING_ROLES)
        return self.bookings.list_bookings(caller.actor, request.args.to_dict())

    @api(
        "GET",
        "/api/bookings/<booking_id>",
        summary="A booking",
        response_schema=BookingSchema,
        tags=("bookings",),
    )
    def get_booking(self, request, booking_id):
        caller = self.caller(request, roles=BOOKING_ROLES)
        return self.bookings.get_booking(booking_id, caller.actor)

    @api(
        "POST",
        "/api/bookings/<booking_id>/cancel",
        summary="Cancel a booking",
        response_schema=BookingSchema,
        tags=("bookings",),
    )
    def cancel_booking(self, request, booking_id):
        caller = self.caller(request, roles=BOOKING_ROLES)
        return self.bookings.cancel_booking(booking_id, caller.actor)

    @api(
        "POST",
        "/api/bookings/<booking_id>/reschedule",
        summary="Move a booking",
        request_schema=RescheduleRequest,
        response_schema=BookingSchema,
        tags=("bookings",),
    )
    def reschedule_booking(self, request, booking_id):
        caller = self.caller(request, roles=BOOKING_ROLES)
        return self.bookings.reschedule_booking(booking_id, json_object(request), caller.actor)

    @api(
        "POST",
        "/api/bookings/<booking_id>/eligibility",
        summary="Approve or reject a booking waiting for eligibility (admin)",
        request_schema=EligibilityDecision,
        response_schema=BookingSchema,
        tags=("bookings",),
    )
    def decide_eligibility(self, request, booking_id):
        caller = self.caller(request, roles=(ADMIN,))
        approved = json_object(request).get("approved")
        if not isinstance(approved, bool):
            raise ApiError(422, "invalid_input", "Say true or false.", {"approved": ["Boolean."]})
        return self.bookings.decide_eligibility(booking_id, approved, caller.actor)

    @api(
        "POST",
        "/api/bookings/<booking_id>/outcome",
        summary="Record a session as completed or a no-show (staff)",
        request_schema=OutcomeRequest,
        response_schema=BookingSchema,
        tags=("bookings",),
    )
    def record_outcome(self, request, booking_id):
        caller = self.caller(request, roles=STAFF)
        outcome = json_object(request).get("outcome")
        return self.bookings.record_outcome(booking_id, outcome, caller.actor)

    @api(
        "GET",
        "/api/bookings/<booking_id>/notes",
        summary="Coach notes (assigned coach, admin)",
        response_schema=NoteListSchema,
        tags=("notes",),
    )
    def list_notes(self, request, booking_id):
        caller = self.caller(request, roles=STAFF)
        return self.bookings.list_notes(booking_id, caller.actor)

    @api(
        "POST",
        "/api/bookings/<booking_id>/notes",
        summary="Add a coach note",
        request_schema=NoteRequest,
        response_schema=NoteSchema,
        status=201,
        tags=("notes",),
    )
    def add_note(self, request, booking_id):
        caller = self.caller(request, roles=STAFF)
        return self.bookings.add_note(booking_id, json_object(request), caller.actor)

    @api(
        "PATCH",
        "/api/bookings/<booking_id>/notes/<note_id>",
        summary="Edit a coach note",
        request_schema=NoteRequest,
        response_schema=NoteSchema,
        tags=("notes",),
    )
    def edit_note(self, request, booking_id, note_id):
        caller = self.caller(request, roles=STAFF)
        return self.bookings.edit_note(booking_id, note_id, json_object(request), caller.actor)

    @api(
        "GET",
        "/api/bookings/<booking_id>/feedback",
        summary="The coachee's feedback on a session (the coachee, assigned coach, admin)",
        response_schema=FeedbackSchema,
        tags=("feedback",),
    )
    def get_feedback(self, request, booking_id):
        caller = self.caller(request, roles=BOOKING_ROLES)
        return self.bookings.get_feedback(booking_id, caller.actor)

    @api(
        "PUT",
        "/api/bookings/<booking_id>/feedback",
        summary="Give or change feedback on a completed session (its coachee, within 30 days)",
        request_schema=FeedbackRequest,
        response_schema=FeedbackSchema,
        tags=("feedback",),
    )
    def give_feedback(self, request, booking_id):
        caller = self.caller(request, roles=(COACHEE,))
        return self.bookings.give_feedback(booking_id, json_object(request), caller.actor)

    @api(
        "GET",
        "/api/feedback/summary",
        summary="Ratings per service and coach: count and average, no comments (admin)",
        query_schema=FeedbackSummaryQuerySchema,
        response_schema=FeedbackSummarySchema,
        tags=("feedback",),
    )
    def summarize_feedback(self, request):
        caller = self.caller(request, roles=(ADMIN,))
        return self.bookings.summarize_feedback(request.args.to_dict(), caller.actor)
