"""The billing service: subscribers, eligibility rosters, billable lines and monthly reports.

Entrypoints only: each checks who may call, loads its arguments with the contract's schemas and
calls the domain module that does the work. The contract is in README.md beside this file.
"""

from nameko.rpc import RpcProxy, rpc
from nameko.timer import timer

from services.billing import (
    eligibility,
    lines,
    personal_data,
    publishing,
    reissue,
    report_mail_sender,
    report_uploads,
    reports,
    subscribers,
    voucher_retention,
)
from services.billing.periods import parse_period
from services.billing.report_access import audit_read, require_admin_viewer, viewer_of
from services.billing.settings import Settings
from services.billing.work import Work
from services.contracts.billing import (
    DraftQuery,
    EligibilityQuestion,
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
from services.contracts.errors import DomainError, InvalidInput
from services.contracts.names import ACCOUNTS, BILLING, BOOKINGS
from services.infra.erasure import run_erasure
from services.infra.events import handle_event
from services.infra.mailer import Mailer
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

    def work(self) -> Work:
        return Work(
            db=self.db,
            outbox=self.outbox,
            storage=self.storage,
            settings=self.settings,
            now=self.clock.now(),
        )

    def record_booking_change(self, payload: dict) -> None:
        lines.record_booking_change(
            self.db,
            self.bookings,
            self.accounts,
            payload["booking_id"],
            payload["event_id"],
            self.clock.now(),
            self.settings.report_grace,
        )

    @rpc(expected_exceptions=DomainError)
    def create_subscriber(self, data: dict, actor: dict) -> dict:
        subscribers.require_admin(actor)
        details = load(SubscriberCreation(), data)
        return subscribers.create_subscriber(self.db, details, self.clock.now())

    @rpc(expected_exceptions=DomainError)
    def update_subscriber(self, subscriber_id: str, changes: dict, actor: dict) -> dict:
        subscribers.require_admin(actor)
        details = load(SubscriberChanges(), changes)
        return subscribers.update_subscriber(self.db, subscriber_id, details, self.clock.now())

    @rpc(expected_exceptions=DomainError)
    def get_subscriber(self, subscriber_id: str) -> dict:
        return subscribers.get_subscriber(self.db, subscriber_id)

    @rpc(expected_exceptions=DomainError)
    def list_subscribers(self, actor: dict, limit=50, cursor=None) -> dict:
        subscribers.require_admin(actor)
        return subscribers.list_subscribers(self.db, page_size(limit), cursor)

    @rpc
    def subscriber_choices(self) -> dict:
        return subscribers.subscriber_choices(self.db)

    @rpc(expected_exceptions=DomainError)
    def replace_roster(self, subscriber_id: str, csv_text: str, actor: dict) -> dict:
        subscribers.require_admin(actor)
        return subscribers.replace_roster(
            self.db, self.settings, subscriber_id, csv_text, self.clock.now()
        )

    @rpc(expected_exceptions=DomainError)
    def check_eligibility(self, subscriber_id: str, member_number: str) -> dict:
        question = load(
            EligibilityQuestion(), {"subscriber_id": subscriber_id, "member_number": member_number}
        )
        return eligibility.check_eligibility(
            self.db, self.settings, question["subscriber_id"], question["member_number"]
        )

    @handle_event(BOOKINGS, BOOKING_CONFIRMED)
    def record_confirmed_booking(self, payload: dict) -> None:
        self.record_booking_change(payload)

    @handle_event(BOOKINGS, BOOKING_CANCELLED)
    def record_cancelled_booking(self, payload: dict) -> None:
        self.record_booking_change(payload)

    @handle_event(BOOKINGS, BOOKING_COMPLETED)
    def record_completed_booking(self, payload: dict) -> None:
        self.record_booking_change(payload)

    @handle_event(BOOKINGS, BOOKING_RESCHEDULED)
    def record_rescheduled_booking(self, payload: dict) -> None:
        self.record_booking_change(payload)

    @rpc(expected_exceptions=DomainError)
    def list_reports(self, actor: dict, query: dict | None = None) -> dict:
        viewer = viewer_of(actor)
        return reports.list_reports(self.db, viewer, load(ReportQuery(), query or {}))

    @rpc(expected_exceptions=DomainError)
    def get_report(self, report_id: str, actor: dict) -> dict:
        return reports.get_report(self.db, viewer_of(actor), report_id)

    @rpc(expected_exceptions=DomainError)
    def get_report_file(self, report_id: str, file_format: str, actor: dict) -> dict:
        viewer = viewer_of(actor)
        link = reports.report_file_link(
            self.db,
            self.storage,
            viewer,
            report_id,
            file_format,
            self.settings.report_file_link_seconds,
        )
        audit_read(self.outbox, viewer, "report_file_read", self.clock.now(), report_id=report_id)
        return link

    @rpc(expected_exceptions=DomainError)
    def preview_report(self, query: dict, actor: dict) -> dict:
        viewer = viewer_of(actor)
        draft = reports.preview_report(self.db, viewer, load(DraftQuery(), query))
        audit_read(
            self.outbox,
            viewer,
            "report_draft_read",
            self.clock.now(),
            subscriber_id=draft["subscriber_id"],
            period=draft["period"],
        )
        return draft

    @rpc(expected_exceptions=DomainError)
    def reissue_report(self, report_id: str, request: dict, actor: dict) -> dict:
        viewer = require_admin_viewer(actor)
        reason = load(ReissueRequest(), request)["reason"]
        return reissue.reissue_report(self.work(), viewer, report_id, reason)

    @rpc(expected_exceptions=DomainError)
    def publish_reports(self, period: str) -> dict:
        try:
            month = parse_period(period)
        except ValueError as exc:
            raise InvalidInput(str(exc), {"period": [str(exc)]}) from None
        return publishing.publish_period(self.work(), month)

    @timer(interval=PUBLISH_CHECK_SECONDS)
    def publish_due_reports(self) -> None:
        publishing.publish_due_reports(self.work())

    @timer(interval=MAIL_SEND_SECONDS)
    def send_report_mails(self) -> None:
        report_mail_sender.send_due_report_mails(
            self.db, self.mailer, self.settings.report_link_base_url, self.clock.now()
        )

    @timer(interval=ABANDONED_FILES_SECONDS)
    def purge_abandoned_report_files(self) -> int:
        return report_uploads.purge_abandoned(self.work())

    @timer(interval=VOUCHER_RETENTION_SECONDS)
    def delete_expired_vouchers(self) -> dict:
        return voucher_retention.delete_expired_vouchers(self.work())

    @rpc
    def export_personal_data(self, subject_id: str, page: int = 1) -> dict:
        return personal_data.export_personal_data(self.db, subject_id, page)

    @rpc
    def erase_personal_data(
        self, subject_id: str, request_id: str, dry_run: bool = False, page: int = 1
    ) -> dict:
        return run_erasure(
            self.db,
            request_id,
            dry_run,
            lambda session: personal_data.erase_personal_data(session, subject_id),
        )
