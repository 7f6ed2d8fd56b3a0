"""The accounts service: coachee profiles, staff accounts and roles, usernames, login sessions.

Entrypoints only: each loads its arguments with the contract's schemas and calls the domain
module that does the work. The contract is in README.md beside this file.
"""

from nameko.rpc import RpcProxy, rpc
from nameko.timer import timer

from services.accounts import logins, personal_data, profiles, staff, subjects
from services.accounts.settings import Settings
from services.accounts.work import Work
from services.contracts.accounts import (
    AccountChanges,
    CoacheeRegistration,
    CreatedBefore,
    Credentials,
    Disabling,
    StaffChanges,
    StaffCreation,
)
from services.contracts.errors import DomainError, InvalidInput
from services.contracts.names import ACCOUNTS, BILLING
from services.infra.erasure import run_erasure
from services.infra.service_base import ServiceBase
from services.infra.validation import actor_of, load, page_size

USERNAME_IS_FIXED = "The username cannot be changed."
FAILURE_CLEANUP_SECONDS = 300


class AccountsService(ServiceBase):
    name = ACCOUNTS
    settings = Settings()
    billing = RpcProxy(BILLING)

    def work(self) -> Work:
        return Work(
            db=self.db,
            outbox=self.outbox,
            now=self.clock.now(),
            settings=self.settings,
            billing=self.billing,
        )

    @rpc(expected_exceptions=DomainError)
    def check_coachee_registration(self, registration: dict) -> dict:
        details = profiles.checked_registration(load(CoacheeRegistration(), registration))
        details.pop("password")
        return {**details, "subscriber_id": str(details["subscriber_id"])}

    @rpc(expected_exceptions=DomainError)
    def register_coachee(self, registration: dict, registration_key: str | None = None) -> dict:
        data = load(CoacheeRegistration(), registration)
        return profiles.register_coachee(self.work(), data, registration_key)

    @rpc(expected_exceptions=DomainError)
    def discard_registration(self, account_id: str) -> None:
        profiles.discard_registration(self.work(), account_id)

    @rpc(expected_exceptions=DomainError)
    def log_in(self, credentials: dict) -> dict:
        return logins.log_in(self.work(), load(Credentials(), credentials))

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
    def get_account(self, account_id: str, actor: dict | None) -> dict:
        return profiles.get_account(self.work(), account_id, actor_of(actor))

    @rpc(expected_exceptions=DomainError)
    def update_account(self, account_id: str, changes: dict, actor: dict | None) -> dict:
        if isinstance(changes, dict) and "username" in changes:
            raise InvalidInput(USERNAME_IS_FIXED, {"username": [USERNAME_IS_FIXED]})
        data = load(AccountChanges(), changes)
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
        return staff.create_staff(self.work(), load(StaffCreation(), data), actor_of(actor))

    @rpc(expected_exceptions=DomainError)
    def update_staff(self, account_id: str, changes: dict, actor: dict) -> dict:
        data = load(StaffChanges(), changes)
        return staff.update_staff(self.work(), account_id, data, actor_of(actor))

    @rpc(expected_exceptions=DomainError)
    def set_disabled(self, account_id: str, disabling: dict, actor: dict) -> dict:
        data = load(Disabling(), disabling)
        return staff.set_disabled(self.work(), account_id, data, actor_of(actor))

    @rpc(expected_exceptions=DomainError)
    def request_erasure(
        self, account_id: str, password: str, client_address: str = "unknown"
    ) -> dict:
        return personal_data.request_erasure(self.work(), account_id, password, client_address)

    @rpc(expected_exceptions=DomainError)
    def create_admin(self, username: str, password: str) -> dict:
        load(StaffCreation(only=("username",)), {"username": username})
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
        instant = load(CreatedBefore(), {"before": before})["before"]
        return subjects.coachees_created_before(self.work(), instant, page_size(limit), cursor)

    @rpc
    def disable_login(self, subject_id: str) -> dict:
        return subjects.disable_login(self.work(), subject_id)

    @rpc
    def export_personal_data(self, subject_id: str, page: int = 1) -> dict:
        return personal_data.export_personal_data(self.work(), subject_id)

    @rpc
    def erase_personal_data(
        self, subject_id: str, request_id: str, dry_run: bool = False, page: int = 1
    ) -> dict:
        work = self.work()
        return run_erasure(
            self.db, request_id, dry_run, lambda _: personal_data.erase_account(work, subject_id)
        )
