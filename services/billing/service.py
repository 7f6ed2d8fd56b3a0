"""The billing service: subscribers, eligibility rosters, billable lines and monthly reports.

Entrypoints only: each loads its arguments with the contract's schemas and hands them, with a
`Work`, to the domain function that checks who may call and does the work. The contract, and a
map of the modules, is in README.md beside this file.
"""

from nameko.rpc import RpcProxy
from nameko.timer import timer

from services.billing import (
    eligibility,
    lines,
    personal_data,
    subscribers,
    voucher_retention,
)
from services.billing.reports import mail_sender, publishing, reissue, uploads, viewing
from services.billing.settings import Settings
from services.billing.work import Work
from services.contracts.billing import (
    DraftQuery,
    EligibilityQuestion,
    EligibilityQuestions,
    ReissueRequest,
    ReportQuery,
    SubscriberChanges,
    SubscriberCreation,
)
from services.contracts.bookings import (
    BOOKING_CANCELLED,
    BOOKING_COMPLETED,
    BOOKING_CONFIRMED,
    BOOKING_RESCHEDULED,
)
from services.contracts.errors import DomainError
from services.contracts.names import ACCOUNTS, BILLING, BOOKINGS
from services.infra.coalescing import Coalesced
from services.infra.events import handle_event
from services.infra.mailer import Mailer
from services.infra.rpc import rpc
from services.infra.service_base import ServiceBase
from services.infra.storage import Storage
from services.infra.validation import load, page_size

PUBLISH_CHECK_SECONDS = 300
MAIL_SEND_SECONDS = 10
VOUCHER_RETENTION_SECONDS = 3600
ABANDONED_FILES_SECONDS = 900


class BillingService(ServiceBase):
    name = BILLING
    settings = Settings()
    storage = Storage()
    mailer = Mailer()
    bookings = RpcProxy(BOOKINGS)
    accounts = RpcProxy(ACCOUNTS)
    snapshot_calls = Coalesced()

    def work(self) -> Work:
        return Work(
            db=self.db,
            outbox=self.outbox,
            storage=self.storage,
            settings=self.settings,
            now=self.clock.now(),
            bookings=self.bookings,
            accounts=self.accounts,
            snapshot_calls=self.snapshot_calls,
        )

    @rpc(expected_exceptions=DomainError)
    def create_subscriber(self, data: dict, actor: dict) -> dict:
        details = load(SubscriberCreation, data)
        return subscribers.create_subscriber(self.work(), details, actor)

    @rpc(expected_exceptions=DomainError)
    def update_subscriber(self, subscriber_id: str, changes: dict, actor: dict) -> dict:
        details = load(SubscriberChanges, changes)
        return subscribers.update_subscriber(self.work(), subscriber_id, details, actor)

    @rpc(expected_exceptions=DomainError)
    def get_subscriber(self, subscriber_id: str) -> dict:
        return subscribers.get_subscriber(self.work(), subscriber_id)

    @rpc(expected_exceptions=DomainError)
    def list_subscribers(self, actor: dict, limit=50, cursor=None) -> dict:
        return subscribers.list_subscribers(self.work(), actor, page_size(limit), cursor)

    @rpc
    def subscriber_choices(self) -> dict:
        return subscribers.subscriber_choices(self.work())

    @rpc(expected_exceptions=DomainError)
    def replace_roster(self, subscriber_id: str, csv_text: str, actor: dict) -> dict:
        return subscribers.replace_roster(self.work(), subscriber_id, csv_text, actor)

    @rpc(expected_exceptions=DomainError)
    def check_eligibility(self, subscriber_id: str, member_number: str) -> dict:
        question = load(
            EligibilityQuestion, {"subscriber_id": subscriber_id, "member_number": member_number}
        )
        return eligibility.check_eligibility(
            self.work(), question["subscriber_id"], question["member_number"]
        )

    @rpc(expected_exceptions=DomainError)
    def check_eligibilities(self, questions: list) -> list:
        asked = load(EligibilityQuestions, {"questions": questions})
        return eligibility.check_eligibilities(self.work(), asked["questions"])

    @handle_event(BOOKINGS, BOOKING_CONFIRMED)
    def record_confirmed_booking(self, payload: dict) -> None:
        lines.record_booking_change(self.work(), payload["booking_id"], payload["event_id"])

    @handle_event(BOOKINGS, BOOKING_CANCELLED)
    def record_cancelled_booking(self, payload: dict) -> None:
        lines.record_booking_change(self.work(), payload["booking_id"], payload["event_id"])

    @handle_event(BOOKINGS, BOOKING_RESCHEDULED)
    def record_rescheduled_booking(self, payload: dict) -> None:
        lines.record_booking_change(self.work(), payload["booking_id"], payload["event_id"])

    @handle_event(BOOKINGS, BOOKING_COMPLETED)
    def record_completed_booking(self, payload: dict) -> None:
        lines.record_booking_change(self.work(), payload["booking_id"], payload["event_id"])

    @rpc(expected_exceptions=DomainError)
    def list_reports(self, actor: dict, query: dict | None = None) -> dict:
        return viewing.list_reports(self.work(), actor, load(ReportQuery, query or {}))

    @rpc(expected_exceptions=DomainError)
    def get_report(self, report_id: str, actor: dict) -> dict:
        return viewing.get_report(self.work(), actor, report_id)

    @rpc(expected_exceptions=DomainError)
    def get_report_file(self, report_id: str, file_format: str, actor: dict) -> dict:
        return viewing.report_file_link(self.work(), actor, report_id, file_format)

    @rpc(expected_exceptions=DomainError)
    def preview_report(self, query: dict, actor: dict) -> dict:
        return viewing.preview_report(self.work(), actor, load(DraftQuery, query))

    @rpc(expected_exceptions=DomainError)
    def reissue_report(self, report_id: str, request: dict, actor: dict) -> dict:
        reason = load(ReissueRequest, request)["reason"]
        return reissue.reissue_report(self.work(), actor, report_id, reason)

    @rpc(expected_exceptions=DomainError)
    def publish_reports(self, period: str) -> dict:
        return publishing.publish_period(self.work(), period)

    @timer(interval=PUBLISH_CHECK_SECONDS)
    def publish_due_reports(self) -> None:
        publishing.publish_due_reports(self.work())

    @timer(interval=MAIL_SEND_SECONDS)
    def send_report_mails(self) -> None:
        mail_sender.send_due_report_mails(
            self.db, self.mailer, self.settings.report_link_base_url, self.clock.now()
        )

    @timer(interval=ABANDONED_FILES_SECONDS)
    def purge_abandoned_report_files(self) -> int:
        return uploads.purge_abandoned(self.work())

    @timer(interval=VOUCHER_RETENTION_SECONDS)
    def delete_expired_vouchers(self) -> dict:
        return voucher_retention.delete_expired_vouchers(self.work())

    def export_subject(self, subject_id: str, page: int) -> dict:
        return personal_data.export_personal_data(self.db, subject_id, page)

    def erase_subject(self, subject_id: str, dry_run: bool):
        return personal_data.erase_personal_data(self.db, subject_id)
