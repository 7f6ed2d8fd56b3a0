"""The accounts service: coachee profiles, staff accounts and roles, usernames, login sessions.

Entrypoints only: each loads its arguments with the contract's schemas and calls the domain
module that does the work. The contract is in README.md beside this file.
"""

from nameko.rpc import RpcProxy
from nameko.timer import timer

from services.accounts import (
    logins,
    password_resets,
    personal_data,
    profiles,
    reset_mail_sender,
    staff,
    subjects,
)
from services.accounts.settings import Settings
from services.accounts.work import Work
from services.contracts.accounts import (
    AccountChanges,
    CoacheeRegistration,
    ContactsQuery,
    CreatedBefore,
    Credentials,
    Disabling,
    PasswordResetConfirmation,
    PasswordResetRequest,
    PasswordResetToken,
    StaffChanges,
    StaffCreation,
)
from services.contracts.errors import DomainError
from services.contracts.names import ACCOUNTS, BILLING
from services.infra.mailer import Mailer
from services.infra.rpc import rpc
from services.infra.service_base import ServiceBase
from services.infra.validation import actor_of, load, page_size

FAILURE_CLEANUP_SECONDS = 300
MAIL_SEND_SECONDS = 5
RESET_CLEANUP_SECONDS = 300


class AccountsService(ServiceBase):
    name = ACCOUNTS
    settings = Settings()
    billing = RpcProxy(BILLING)
    mailer = Mailer()

    def work(self) -> Work:
        return Work(
            db=self.db,
            outbox=self.outbox,
            now=self.clock.now(),
            settings=self.settings,
            billing=self.billing,
        )

    @rpc(expected_exceptions=DomainError)
    def register_coachee(self, registration: dict, registration_key: str | None = None) -> dict:
        data = load(CoacheeRegistration, registration)
        return profiles.register_coachee(self.work(), data, registration_key)

    @rpc(expected_exceptions=DomainError)
    def discard_registration(self, registration_key: str) -> None:
        profiles.discard_registration(self.work(), registration_key)

    @rpc(expected_exceptions=DomainError)
    def log_in(self, credentials: dict) -> dict:
        return logins.log_in(self.work(), load(Credentials, credentials))

    @rpc(expected_exceptions=DomainError)
    def resolve_session(self, token: str) -> dict:
        return logins.resolve_session(self.work(), token)

    @rpc(expected_exceptions=DomainError)
    def log_out(self, token: str) -> None:
        logins.log_out(self.work(), token)

    @rpc(expected_exceptions=DomainError)
    def change_password(
        self,
        account_id: str,
        current_password: str,
        new_password: str,
        client_address: str = "unknown",
    ) -> None:
        logins.change_password(
            self.work(), account_id, current_password, new_password, client_address
        )

    @timer(interval=FAILURE_CLEANUP_SECONDS)
    def delete_expired_login_failures(self) -> int:
        return logins.delete_expired_failures(self.work())

    @rpc(expected_exceptions=DomainError)
    def request_password_reset(self, request: dict) -> None:
        password_resets.request_reset(self.work(), load(PasswordResetRequest, request))

    @rpc(expected_exceptions=DomainError)
    def check_password_reset(self, token: dict) -> dict:
        return password_resets.check_token(self.work(), load(PasswordResetToken, token)["token"])

    @rpc(expected_exceptions=DomainError)
    def reset_password(self, confirmation: dict) -> None:
        data = load(PasswordResetConfirmation, confirmation)
        password_resets.reset_password(self.work(), data)

    @timer(interval=MAIL_SEND_SECONDS)
    def send_password_reset_mails(self) -> int:
        return reset_mail_sender.send_due_reset_mails(self.work(), self.mailer)

    @timer(interval=RESET_CLEANUP_SECONDS)
    def delete_expired_password_resets(self) -> int:
        return password_resets.delete_expired_resets(self.work())

    @rpc(expected_exceptions=DomainError)
    def get_account(self, account_id: str, actor: dict | None) -> dict:
        return profiles.get_account(self.work(), account_id, actor_of(actor))

    @rpc(expected_exceptions=DomainError)
    def get_contacts(self, account_ids: list) -> list[dict]:
        ids = load(ContactsQuery, {"account_ids": account_ids})["account_ids"]
        return profiles.get_contacts(self.work(), ids)

    @rpc(expected_exceptions=DomainError)
    def get_coachee_contact(self, account_id: str, actor: dict) -> dict:
        return profiles.get_coachee_contact(self.work(), account_id, actor_of(actor))

    @rpc(expected_exceptions=DomainError)
    def update_account(self, account_id: str, changes: dict, actor: dict | None) -> dict:
        data = load(AccountChanges, changes)
        return profiles.update_account(self.work(), account_id, data, actor_of(actor))

    @rpc(expected_exceptions=DomainError)
    def search_coachees(self, query: str, actor: dict, limit=50, cursor=None) -> dict:
        return profiles.search_coachees(
            self.work(), query or "", actor_of(actor), page_size(limit), cursor
        )

    @rpc(expected_exceptions=DomainError)
    def list_staff(self, actor: dict, limit=50, cursor=None) -> dict:
        return staff.list_staff(self.work(), actor_of(actor), page_size(limit), cursor)

    @rpc(expected_exceptions=DomainError)
    def create_staff(self, data: dict, actor: dict) -> dict:
        return staff.create_staff(self.work(), load(StaffCreation, data), actor_of(actor))

    @rpc(expected_exceptions=DomainError)
    def update_staff(self, account_id: str, changes: dict, actor: dict) -> dict:
        data = load(StaffChanges, changes)
        return staff.update_staff(self.work(), account_id, data, actor_of(actor))

    @rpc(expected_exceptions=DomainError)
    def set_disabled(self, account_id: str, disabling: dict, actor: dict) -> dict:
        data = load(Disabling, disabling)
        return staff.set_disabled(self.work(), account_id, data, actor_of(actor))

    @rpc(expected_exceptions=DomainError)
    def request_erasure(
        self, account_id: str, password: str, client_address: str = "unknown"
    ) -> dict:
        return personal_data.request_erasure(self.work(), account_id, password, client_address)

    @rpc(expected_exceptions=DomainError)
    def create_admin(self, username: str, password: str) -> dict:
        load(StaffCreation, {"username": username}, partial=True)
        return staff.create_admin(self.work(), username, password)

    @rpc(expected_exceptions=DomainError)
    def confirm_password(
        self, account_id: str, password: str, client_address: str = "unknown"
    ) -> None:
        subjects.confirm_own_password(self.work(), account_id, password, client_address)

    @rpc(expected_exceptions=DomainError)
    def find_coachee(self, username: str) -> dict:
        return subjects.find_coachee(self.work(), username)

    @rpc(expected_exceptions=DomainError)
    def coachees_created_before(self, before: str, limit=200, cursor=None) -> dict:
        instant = load(CreatedBefore, {"before": before})["before"]
        return subjects.coachees_created_before(self.work(), instant, page_size(limit), cursor)

    @rpc
    def disable_login(self, subject_id: str) -> dict:
        return subjects.disable_login(self.work(), subject_id)

    def export_subject(self, subject_id: str, page: int) -> dict:
        return personal_data.export_personal_data(self.work(), subject_id)

    def erase_subject(self, subject_id: str, dry_run: bool):
        return personal_data.erase_account(self.work(), subject_id)
