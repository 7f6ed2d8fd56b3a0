"""The privacy service: data-subject requests run as sagas, retention and the audit log.

Entrypoints only; the contract is in README.md beside this file.
"""

from nameko.rpc import RpcProxy
from nameko.timer import timer

from services.contracts.accounts import ACCESS_AUDITED, ERASURE_REQUESTED
from services.contracts.accounts import PRIVACY as PRIVACY_STAFF
from services.contracts.errors import DomainError
from services.contracts.names import ACCOUNTS, BILLING, BOOKINGS, MEDIA, PRIVACY
from services.contracts.privacy import (
    AuditQuery,
    BreachReport,
    BreachUpdate,
    Rectification,
    RequestFilter,
    RequestRegistration,
)
from services.infra.events import handle_event
from services.infra.permissions import require_role
from services.infra.rpc import rpc
from services.infra.service_base import ServiceBase
from services.infra.storage import Storage
from services.infra.validation import actor_of, load
from services.privacy import (
    audit,
    breaches,
    erasure_preview,
    intake,
    own_data,
    rectification,
    request_views,
    results,
    retention_run,
    saga,
)
from services.privacy.access import parsed_id
from services.privacy.participants import Participants
from services.privacy.settings import Settings
from services.privacy.work import Work

GATEWAY = "gateway"
SAGA_TICK_SECONDS = 1
RETENTION_TICK_SECONDS = 3600
ANSWER_EXPIRY_TICK_SECONDS = 600


class PrivacyService(ServiceBase):
    name = PRIVACY
    settings = Settings()
    storage = Storage()
    accounts = RpcProxy(ACCOUNTS)
    bookings = RpcProxy(BOOKINGS)
    media = RpcProxy(MEDIA)
    billing = RpcProxy(BILLING)

    def work(self) -> Work:
        proxies = {
            ACCOUNTS: self.accounts,
            BOOKINGS: self.bookings,
            MEDIA: self.media,
            BILLING: self.billing,
        }
        return Work(
            db=self.db,
            now=self.clock.now(),
            settings=self.settings,
            storage=self.storage,
            participants=Participants(proxies, self.settings.participant_timeout_seconds),
            accounts=self.accounts,
        )

    @rpc(expected_exceptions=DomainError)
    def register_request(self, data: dict, actor: dict | None) -> dict:
        registration = load(RequestRegistration, data)
        return intake.register_request(self.work(), registration, actor_of(actor))

    @rpc(expected_exceptions=DomainError)
    def request_own_export(self, account_id: str, username: str) -> dict:
        return intake.request_own_export(
            self.work(), str(parsed_id(account_id, "account")), username
        )

    @rpc(expected_exceptions=DomainError)
    def list_subject_requests(self, subject_id: str) -> dict:
        """The person's own requests; the gateway passes the logged-in coachee's account id."""
        subject = parsed_id(subject_id, "account")
        return request_views.list_subject_requests(self.db, subject)

    @rpc(expected_exceptions=DomainError)
    def list_requests(self, filters: dict | None, actor: dict | None) -> dict:
        require_role(self.work(), actor_of(actor), PRIVACY_STAFF, services_allowed=True)
        loaded = load(RequestFilter, filters or {})
        return request_views.list_requests(self.db, loaded, self.clock.now())

    @rpc(expected_exceptions=DomainError)
    def get_request(self, request_id: str, actor: dict | None) -> dict:
        return request_views.get_request(self.db, request_id, actor_of(actor), self.clock.now())

    @rpc(expected_exceptions=DomainError)
    def record_rectification(self, request_id: str, change: dict, actor: dict | None) -> dict:
        link = load(Rectification, change)["change_link"]
        return rectification.record_rectification(self.work(), request_id, link, actor_of(actor))

    @rpc(expected_exceptions=DomainError)
    def fetch_result(self, request_id: str, kind: str, actor: dict | None) -> dict:
        return results.fetch_answer(self.work(), request_id, kind, actor_of(actor))

    @rpc(expected_exceptions=DomainError)
    def preview_erasure(self, username: str, actor: dict | None) -> dict:
        return erasure_preview.preview_erasure(self.work(), username, actor_of(actor))

    @rpc(expected_exceptions=DomainError)
    def retention_preview(self, actor: dict | None, limit: int = 100, cursor=None) -> dict:
        return retention_run.retention_preview(self.work(), actor_of(actor), limit, cursor)

    @rpc
    def run_retention(self) -> dict:
        """The operator's `valmennus retention`: the daily job, now."""
        return retention_run.run_retention(self.work())

    @rpc(expected_exceptions=DomainError)
    def search_audit_log(self, query: dict | None, actor: dict | None) -> dict:
        require_role(self.work(), actor_of(actor), PRIVACY_STAFF, services_allowed=True)
        return audit.search(self.db, load(AuditQuery, query or {}))

    @rpc(expected_exceptions=DomainError)
    def register_breach(self, report: dict, actor: dict | None) -> dict:
        loaded = load(BreachReport, report)
        return breaches.register_breach(self.work(), loaded, actor_of(actor))

    @rpc(expected_exceptions=DomainError)
    def update_breach(self, breach_id: str, update: dict, actor: dict | None) -> dict:
        loaded = load(BreachUpdate, update)
        breach = parsed_id(breach_id, "breach")
        return breaches.update_breach(self.work(), breach, loaded, actor_of(actor))

    @rpc(expected_exceptions=DomainError)
    def list_breaches(self, actor: dict | None) -> dict:
        return breaches.list_breaches(self.work(), actor_of(actor))

    def export_subject(self, subject_id: str, page: int) -> dict:
        return own_data.export_own(self.db, subject_id)

    def erase_subject(self, subject_id: str, dry_run: bool):
        return own_data.erase_own(self.work(), subject_id, dry_run)

    @handle_event(ACCOUNTS, ERASURE_REQUESTED)
    def accept_erasure_request(self, payload: dict) -> None:
        intake.accept_erasure_request(self.work(), payload["request_id"], payload["account_id"])

    @handle_event(ACCOUNTS, ACCESS_AUDITED)
    def record_accounts_access(self, payload: dict) -> None:
        audit.record_event(self.db, ACCOUNTS, payload, self.clock.now())

    @handle_event(BOOKINGS, ACCESS_AUDITED)
    def record_bookings_access(self, payload: dict) -> None:
        audit.record_event(self.db, BOOKINGS, payload, self.clock.now())

    @handle_event(BILLING, ACCESS_AUDITED)
    def record_billing_access(self, payload: dict) -> None:
        audit.record_event(self.db, BILLING, payload, self.clock.now())

    @handle_event(MEDIA, ACCESS_AUDITED)
    def record_media_access(self, payload: dict) -> None:
        audit.record_event(self.db, MEDIA, payload, self.clock.now())

    @handle_event(GATEWAY, ACCESS_AUDITED)
    def record_gateway_access(self, payload: dict) -> None:
        audit.record_event(self.db, GATEWAY, payload, self.clock.now())

    @timer(interval=SAGA_TICK_SECONDS)
    def advance_sagas(self) -> None:
        saga.advance_due_requests(self.work())

    @timer(interval=RETENTION_TICK_SECONDS)
    def apply_retention(self) -> dict:
        return retention_run.run_retention(self.work())

    @timer(interval=ANSWER_EXPIRY_TICK_SECONDS)
    def delete_expired_answers(self) -> int:
        return results.delete_expired_answers(self.work())
