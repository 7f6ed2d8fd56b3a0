"""The catalogue, slot search, the booking form, bookings, notes, feedback and the admin's
scheduling.

Bodies and queries are checked with the contract's schemas before the RPC, so a problem is a 422
naming the field and nothing malformed reaches the bookings service.
"""

from gateway.auth import credential_of
from gateway.http import api
from gateway.request_input import idempotency_key, load_body, query_of
from services.contracts.accounts import ADMIN, COACH, COACHEE, CoacheeContact
from services.contracts.bookings import (
    AvailabilityChange,
    AvailabilityChangeInput,
    AvailabilityChangeList,
    AvailabilityQuery,
    Booking,
    BookingCreated,
    BookingFilter,
    BookingPage,
    BookingRequest,
    Catalogue,
    CatalogueQuery,
    CatalogueService,
    Coach,
    CoachChanges,
    CoachInput,
    CoachList,
    EligibilityDecision,
    Feedback,
    FeedbackInput,
    FeedbackSummary,
    FeedbackSummaryQuery,
    Note,
    NoteInput,
    NoteList,
    Outcome,
    Reschedule,
    ServiceChanges,
    ServiceInput,
    SlotList,
    SlotQuery,
    WorkingHours,
    WorkingHoursInput,
)

BOOKING_ROLES = (COACHEE, COACH, ADMIN)
STAFF = (COACH, ADMIN)


class BookingRoutes:
    @api(
        "GET",
        "/api/services",
        summary="The catalogue",
        query_schema=CatalogueQuery,
        response_schema=Catalogue,
        tags=("catalogue",),
    )
    def list_catalogue(self, request):
        if not query_of(request)["include_inactive"]:
            return self.bookings.list_services()
        caller = self.caller(request, roles=(ADMIN,))
        return self.bookings.list_services(True, caller.actor)

    @api(
        "POST",
        "/api/services",
        summary="Add a service (admin)",
        request_schema=ServiceInput,
        response_schema=CatalogueService,
        status=201,
        tags=("catalogue",),
    )
    def create_catalogue_service(self, request):
        caller = self.caller(request, roles=(ADMIN,))
        return self.bookings.create_service(load_body(request, ServiceInput), caller.actor)

    @api(
        "PATCH",
        "/api/services/<service_id>",
        summary="Edit a service (admin)",
        request_schema=ServiceChanges,
        response_schema=CatalogueService,
        tags=("catalogue",),
    )
    def edit_catalogue_service(self, request, service_id):
        caller = self.caller(request, roles=(ADMIN,))
        changes = load_body(request, ServiceChanges)
        return self.bookings.update_service(service_id, changes, caller.actor)

    @api(
        "GET",
        "/api/coaches",
        summary="Coaches",
        response_schema=CoachList,
        tags=("catalogue",),
    )
    def list_coaches(self, request):
        return self.bookings.list_coaches()

    @api(
        "POST",
        "/api/coaches",
        summary="Make a staff account a coach (admin)",
        request_schema=CoachInput,
        response_schema=Coach,
        status=201,
        tags=("catalogue",),
    )
    def create_coach(self, request):
        caller = self.caller(request, roles=(ADMIN,))
        return self.bookings.create_coach(load_body(request, CoachInput), caller.actor)

    @api(
        "PATCH",
        "/api/coaches/<coach_id>",
        summary="Edit a coach (admin)",
        request_schema=CoachChanges,
        response_schema=Coach,
        tags=("catalogue",),
    )
    def edit_coach(self, request, coach_id):
        caller = self.caller(request, roles=(ADMIN,))
        changes = load_body(request, CoachChanges)
        return self.bookings.update_coach(coach_id, changes, caller.actor)

    @api(
        "GET",
        "/api/coaches/<coach_id>/hours",
        summary="A coach's weekly working hours",
        response_schema=WorkingHours,
        tags=("catalogue",),
    )
    def coach_hours(self, request, coach_id):
        return self.bookings.get_working_hours(coach_id)

    @api(
        "PUT",
        "/api/coaches/<coach_id>/hours",
        summary="Replace a coach's weekly working hours, Helsinki time (admin)",
        request_schema=WorkingHoursInput,
        response_schema=WorkingHours,
        tags=("catalogue",),
    )
    def set_coach_hours(self, request, coach_id):
        caller = self.caller(request, roles=(ADMIN,))
        hours = load_body(request, WorkingHoursInput)["hours"]
        return self.bookings.set_working_hours(coach_id, hours, caller.actor)

    @api(
        "POST",
        "/api/coaches/<coach_id>/availability-changes",
        summary="Add time off or extra hours (admin)",
        request_schema=AvailabilityChangeInput,
        response_schema=AvailabilityChange,
        status=201,
        tags=("catalogue",),
    )
    def add_availability_change(self, request, coach_id):
        caller = self.caller(request, roles=(ADMIN,))
        change = load_body(request, AvailabilityChangeInput)
        return self.bookings.add_availability_change(coach_id, change, caller.actor)

    @api(
        "GET",
        "/api/coaches/<coach_id>/availability-changes",
        summary="A coach's time off and extra hours, by default the coming 90 days (admin, "
        "the coach)",
        query_schema=AvailabilityQuery,
        response_schema=AvailabilityChangeList,
        tags=("catalogue",),
    )
    def list_availability_changes(self, request, coach_id):
        caller = self.caller(request, roles=STAFF)
        query = query_of(request)
        return self.bookings.list_availability_changes(coach_id, query, caller.actor)

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
        query_schema=SlotQuery,
        response_schema=SlotList,
        tags=("bookings",),
    )
    def find_slots(self, request):
        return self.bookings.find_slots(query_of(request))

    @api(
        "POST",
        "/api/bookings",
        summary="The booking form; a first booking creates the username",
        request_schema=BookingRequest,
        response_schema=BookingCreated,
        status=201,
        idempotent=True,
        tags=("bookings",),
    )
    def create_booking(self, request):
        actor = None
        if credential_of(request) is not None:
            actor = self.caller(request).actor
        form = load_body(request, BookingRequest)
        return self.bookings.create_booking(form, actor, idempotency_key(request))

    @api(
        "GET",
        "/api/bookings",
        summary="Own (coachee), assigned (coach) or all (admin) bookings",
        query_schema=BookingFilter,
        response_schema=BookingPage,
        tags=("bookings",),
    )
    def list_bookings(self, request):
        caller = self.caller(request, roles=BOOKING_ROLES)
        return self.bookings.list_bookings(caller.actor, query_of(request))

    @api(
        "GET",
        "/api/bookings/<booking_id>",
        summary="A booking",
        response_schema=Booking,
        tags=("bookings",),
    )
    def get_booking(self, request, booking_id):
        caller = self.caller(request, roles=BOOKING_ROLES)
        return self.bookings.get_booking(booking_id, caller.actor)

    @api(
        "POST",
        "/api/bookings/<booking_id>/cancel",
        summary="Cancel a booking",
        response_schema=Booking,
        tags=("bookings",),
    )
    def cancel_booking(self, request, booking_id):
        caller = self.caller(request, roles=BOOKING_ROLES)
        return self.bookings.cancel_booking(booking_id, caller.actor)

    @api(
        "POST",
        "/api/bookings/<booking_id>/reschedule",
        summary="Move a booking",
        request_schema=Reschedule,
        response_schema=Booking,
        tags=("bookings",),
    )
    def reschedule_booking(self, request, booking_id):
        caller = self.caller(request, roles=BOOKING_ROLES)
        change = load_body(request, Reschedule)
        return self.bookings.reschedule_booking(booking_id, change, caller.actor)

    @api(
        "POST",
        "/api/bookings/<booking_id>/eligibility",
        summary="Approve or reject a booking waiting for eligibility (admin)",
        request_schema=EligibilityDecision,
        response_schema=Booking,
        tags=("bookings",),
    )
    def decide_eligibility(self, request, booking_id):
        caller = self.caller(request, roles=(ADMIN,))
        approved = load_body(request, EligibilityDecision)["approved"]
        return self.bookings.decide_eligibility(booking_id, approved, caller.actor)

    @api(
        "POST",
        "/api/bookings/<booking_id>/outcome",
        summary="Record a session as completed or a no-show (staff)",
        request_schema=Outcome,
        response_schema=Booking,
        tags=("bookings",),
    )
    def record_outcome(self, request, booking_id):
        caller = self.caller(request, roles=STAFF)
        outcome = load_body(request, Outcome)["outcome"]
        return self.bookings.record_outcome(booking_id, outcome, caller.actor)

    @api(
        "GET",
        "/api/bookings/<booking_id>/coachee",
        summary="How to reach a booking's coachee (its coach, admin); an audited read",
        response_schema=CoacheeContact,
        tags=("bookings",),
    )
    def booking_coachee(self, request, booking_id):
        caller = self.caller(request, roles=STAFF)
        return self.coachee_of_booking(booking_id, caller.actor)

    def coachee_of_booking(self, booking_id: str, actor: dict) -> dict:
        """The coachee's contact details, once bookings has said the caller may see the booking."""
        booking = self.bookings.get_booking(booking_id, actor)
        return self.accounts.get_coachee_contact(str(booking["coachee_id"]), actor)

    @api(
        "GET",
        "/api/bookings/<booking_id>/notes",
        summary="Coach notes (assigned coach, admin)",
        response_schema=NoteList,
        tags=("notes",),
    )
    def list_notes(self, request, booking_id):
        caller = self.caller(request, roles=STAFF)
        return self.bookings.list_notes(booking_id, caller.actor)

    @api(
        "POST",
        "/api/bookings/<booking_id>/notes",
        summary="Add a coach note",
        request_schema=NoteInput,
        response_schema=Note,
        status=201,
        tags=("notes",),
    )
    def add_note(self, request, booking_id):
        caller = self.caller(request, roles=STAFF)
        return self.bookings.add_note(booking_id, load_body(request, NoteInput), caller.actor)

    @api(
        "PATCH",
        "/api/bookings/<booking_id>/notes/<note_id>",
        summary="Edit a coach note",
        request_schema=NoteInput,
        response_schema=Note,
        tags=("notes",),
    )
    def edit_note(self, request, booking_id, note_id):
        caller = self.caller(request, roles=STAFF)
        note = load_body(request, NoteInput)
        return self.bookings.edit_note(booking_id, note_id, note, caller.actor)

    @api(
        "GET",
        "/api/bookings/<booking_id>/feedback",
        summary="The coachee's feedback on a session (the coachee, assigned coach, admin)",
        response_schema=Feedback,
        tags=("feedback",),
    )
    def get_feedback(self, request, booking_id):
        caller = self.caller(request, roles=BOOKING_ROLES)
        return self.bookings.get_feedback(booking_id, caller.actor)

    @api(
        "PUT",
        "/api/bookings/<booking_id>/feedback",
        summary="Give or change feedback on a completed session (its coachee, within 30 days)",
        request_schema=FeedbackInput,
        response_schema=Feedback,
        tags=("feedback",),
    )
    def give_feedback(self, request, booking_id):
        caller = self.caller(request, roles=(COACHEE,))
        feedback = load_body(request, FeedbackInput)
        return self.bookings.give_feedback(booking_id, feedback, caller.actor)

    @api(
        "GET",
        "/api/feedback/summary",
        summary="Ratings per service and coach: count and average, no comments (admin)",
        query_schema=FeedbackSummaryQuery,
        response_schema=FeedbackSummary,
        tags=("feedback",),
    )
    def summarize_feedback(self, request):
        caller = self.caller(request, roles=(ADMIN,))
        query = query_of(request)
        return self.bookings.summarize_feedback(query, caller.actor)
