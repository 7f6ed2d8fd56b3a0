"""The billing service: subscribers, eligibility rosters, billable lines and monthly reports.

Entrypoints only: each checks who may call, loads its arguments with the contract's schemas and
calls the domain module that does the work. The contract is in README.md beside this file.
"""

from nameko.rpc import rpc

from services.billing import eligibility, personal_data, subscribers
from services.billing.settings import Settings
from services.contracts.billing import EligibilityQuestion, SubscriberChanges, SubscriberCreation
from services.contracts.errors import DomainError, InvalidInput
from services.contracts.names import BILLING
from services.infra.erasure import run_erasure
from services.infra.service_base import ServiceBase
from services.infra.validation import load

MAX_PAGE = 200


def page_size(limit) -> int:
    try:
        return max(1, min(int(limit), MAX_PAGE))
    except (TypeError, ValueError) as exc:
        raise InvalidInput("Not a number.", {"limit": ["Not a number."]}) from exc


class BillingService(ServiceBase):
    name = BILLING
    settings = Settings()

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

    @rpc
    def export_personal_data(self, subject_id: str, page: int = 1) -> dict:
        return personal_data.export_personal_data()

    @rpc
    def erase_personal_data(
        self, subject_id: str, request_id: str, dry_run: bool = False, page: int = 1
    ) -> dict:
        return run_erasure(self.db, request_id, dry_run, personal_data.erase_personal_data)
