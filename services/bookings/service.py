"""The bookings service: catalogue, coaches' availability, slot search, bookings, coach notes,
feedback.

Entrypoints only; the contract is in README.md beside this file.
"""

from nameko.rpc import RpcProxy
from nameko.timer import timer

from services.bookings import (
    availability,
    billing_snapshot,
    booking_flow,
    catalogue,
    feedback,
    lifecycle,
    listing,
    mail_sender,
    notes,
    personal_data,
)
from services.bookings.access import visible_booking
from services.bookings.settings import Rules
from services.bookings.slot_cache import CATALOGUE_DEPENDS_ON, SLOTS_DEPEND_ON, RememberedAnswers
from services.bookings.views import bookings_view
from services.bookings.work import Work
from services.contracts.billing import SnapshotQuestion
from services.contracts.bookings import (
    AvailabilityChangeInput,
    AvailabilityQuery,
    BookingFilter,
    BookingRequest,
    CoachChanges,
    CoachInput,
    EligibilityDecision,
    FeedbackInput,
    FeedbackSummaryQuery,
    NoteInput,
    Outcome,
    Reschedule,
    ServiceChanges,
    ServiceInput,
    SlotQuery,
    WeeklyHoursInput,
)
from services.contracts.errors import DomainError, InvalidInput
from services.contracts.names import ACCOUNTS, BILLING, BOOKINGS
from services.infra.coalescing import Coalesced
from services.infra.mailer import Mailer
from services.infra.rpc import rpc
from services.infra.service_base import ServiceBase
from services.infra.validation import actor_of, load, required_actor

HOLD_EXPIRY_SECONDS = 60
MAIL_SEND_SECONDS = 5
REMINDER_QUEUE_SECONDS = 60
REGISTRATION_SETTLE_SECONDS = 5


class BookingsService(ServiceBase):
    name = BOOKINGS
    rules = Rules()
    accounts = RpcProxy(ACCOUNTS)
    billing = RpcProxy(BILLING)
    mailer = Mailer()
    searches = RememberedAnswers(SLOTS_DEPEND_ON, "SLOT_CACHE")
    catalogue_reads = RememberedAnswers(CATALOGUE_DEPENDS_ON, "CATALOGUE_CACHE")
    eligibility_calls = Coalesced()

    def work(self) -> Work:
        return Work(
            db=self.db,
            outbox=self.outbox,
            now=self.clock.now(),
            rules=self.rules,
            accounts=self.accounts,
            billing=self.billing,
            searches=self.searches,
            catalogue_reads=self.catalogue_reads,
            eligibility_calls=self.eligibility_calls,
        )

    @rpc(expected_exceptions=DomainError)
    def list_services(self, include_inactive: bool = False, actor: dict | None = None) -> dict:
        return catalogue.list_services(self.work(), include_inactive is True, actor_of(actor))

    @rpc(expected_exceptions=DomainError)
    def create_service(self, data: dict, actor: dict) -> dict:
        return catalogue.create_service(
            self.work(), load(ServiceInput, data), required_actor(actor)
        )

    @rpc(expected_exceptions=DomainError)
    def update_service(self, service_id: str, changes: dict, actor: dict) -> dict:
        data = load(ServiceChanges, changes)
        return catalogue.update_service(self.work(), service_id, data, required_actor(actor))

    @rpc(expected_exceptions=DomainError)
    def list_coaches(self) -> dict:
        return catalogue.list_coaches(self.work())

    @rpc(expected_exceptions=DomainError)
    def create_coach(self, data: dict, actor: dict) -> dict:
        return catalogue.create_coach(self.work(), load(CoachInput, data), required_actor(actor))

    @rpc(expected_exceptions=DomainError)
    def update_coach(self, coach_id: str, changes: dict, actor: dict) -> dict:
        data = load(CoachChanges, changes)
        return catalogue.update_coach(self.work(), coach_id, data, required_actor(actor))

    @rpc(expected_exceptions=DomainError)
    def set_working_hours(self, coach_id: str, hours: list, actor: dict) -> dict:
        if not isinstance(hours, list):
            raise InvalidInput("Expected a list.", {"hours": ["Expected a list."]})
        periods = [load(WeeklyHoursInput, period) for period in hours]
        return catalogue.set_working_hours(self.work(), coach_id, periods, required_actor(actor))

    @rpc(expected_exceptions=DomainError)
    def get_working_hours(self, coach_id: str) -> dict:
        return catalogue.working_hours_view(self.work(), coach_id)

    @rpc(expected_exceptions=DomainError)
    def add_availability_change(self, coach_id: str, change: dict, actor: dict) -> dict:
        data = load(AvailabilityChangeInput, change)
        return catalogue.add_availability_change(self.work(), coach_id, data, required_actor(actor))

    @rpc(expected_exceptions=DomainError)
    def list_availability_changes(self, coach_id: str, query: dict, actor: dict) -> dict:
        days = load(AvailabilityQuery, query or {})
        return catalogue.list_availability_changes(
            self.work(), coach_id, required_actor(actor), days["from_"], days["to"]
        )

    @rpc(expected_exceptions=DomainError)
    def remove_availability_change(self, coach_id: str, change_id: str, actor: dict) -> None:
        catalogue.remove_availability_change(
            self.work(), coach_id, change_id, required_actor(actor)
        )

    @rpc(expected_exceptions=DomainError)
    def find_slots(self, query: dict) -> dict:
        return availability.find_slots(self.work(), load(SlotQuery, query))

    @rpc(expected_exceptions=DomainError)
    def create_booking(
        self, request: dict, actor: dict | None = None, idempotency_key: str | None = None
    ) -> dict:
        data = load(BookingRequest, request)
        return booking_flow.create_booking(self.work(), data, actor_of(actor), idempotency_key)

    @rpc(expected_exceptions=DomainError)
    def get_booking(self, booking_id: str, actor: dict) -> dict:
        work = self.work()
        booking = visible_booking(work, booking_id, required_actor(actor))
        return bookings_view(work, [booking])[0]

    @rpc(expected_exceptions=DomainError)
    def get_billing_snapshot(self, booking_id: str) -> dict:
        return billing_snapshot.billing_snapshot(self.db, booking_id)

    @rpc(expected_exceptions=DomainError)
    def get_billing_snapshots(self, booking_ids: list) -> list[dict]:
        question = load(SnapshotQuestion, {"booking_ids": booking_ids})
        return billing_snapshot.billing_snapshots(self.db, question["booking_ids"])

    @rpc(expected_exceptions=DomainError)
    def list_bookings(self, actor: dict, filters: dict | None = None) -> dict:
        return listing.list_bookings(
            self.work(), required_actor(actor), load(BookingFilter, filters or {})
        )

    @rpc(expected_exceptions=DomainError)
    def cancel_booking(self, booking_id: str, actor: dict) -> dict:
        return lifecycle.cancel(self.work(), booking_id, required_actor(actor))

    @rpc(expected_exceptions=DomainError)
    def reschedule_booking(self, booking_id: str, change: dict, actor: dict) -> dict:
        data = load(Reschedule, change)
        return lifecycle.reschedule(self.work(), booking_id, data, required_actor(actor))

    @rpc(expected_exceptions=DomainError)
    def decide_eligibility(self, booking_id: str, approved: bool, actor: dict) -> dict:
        decision = load(EligibilityDecision, {"approved": approved})
        return lifecycle.decide_eligibility(
            self.work(), booking_id, decision["approved"], required_actor(actor)
        )

    @rpc(expected_exceptions=DomainError)
    def record_outcome(self, booking_id: str, outcome: str, actor: dict) -> dict:
        chosen = load(Outcome, {"outcome": outcome})["outcome"]
        return lifecycle.record_outcome(self.work(), booking_id, chosen, required_actor(actor))

    @rpc(expected_exceptions=DomainError)
    def list_notes(self, booking_id: str, actor: dict) -> dict:
        return notes.list_notes(self.work(), booking_id, required_actor(actor))

    @rpc(expected_exceptions=DomainError)
    def add_note(self, booking_id: str, note: dict, actor: dict) -> dict:
        body = load(NoteInput, note)["body"]
        return notes.add_note(self.work(), booking_id, body, required_actor(actor))

    @rpc(expected_exceptions=DomainError)
    def edit_note(self, booking_id: str, note_id: str, note: dict, actor: dict) -> dict:
        body = load(NoteInput, note)["body"]
        return notes.edit_note(self.work(), booking_id, note_id, body, required_actor(actor))

    @rpc(expected_exceptions=DomainError)
    def give_feedback(self, booking_id: str, data: dict, actor: dict) -> dict:
        return feedback.give_feedback(
            self.work(), booking_id, load(FeedbackInput, data), required_actor(actor)
        )

    @rpc(expected_exceptions=DomainError)
    def get_feedback(self, booking_id: str, actor: dict) -> dict:
        return feedback.get_feedback(self.work(), booking_id, required_actor(actor))

    @rpc(expected_exceptions=DomainError)
    def summarize_feedback(self, query: dict, actor: dict) -> dict:
        return feedback.summarize_feedback(
            self.work(), load(FeedbackSummaryQuery, query), required_actor(actor)
        )

    @timer(interval=HOLD_EXPIRY_SECONDS)
    def release_expired_holds(self) -> None:
        lifecycle.expire_holds(self.work())

    @timer(interval=REGISTRATION_SETTLE_SECONDS)
    def settle_registrations(self) -> int:
        return booking_flow.settle_registrations(self.work())

    @timer(interval=MAIL_SEND_SECONDS)
    def send_mails(self) -> None:
        mail_sender.send_due_mails(self.work(), self.mailer)

    @timer(interval=REMINDER_QUEUE_SECONDS)
    def queue_reminders(self) -> None:
        mail_sender.queue_reminders(self.work())

    def export_subject(self, subject_id: str, page: int) -> dict:
        return personal_data.export_personal_data(self.work(), subject_id)

    def erase_subject(self, subject_id: str, dry_run: bool):
        return personal_data.erase_bookings(self.work(), subject_id)
