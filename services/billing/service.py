"""The billing service. Subscribers, eligibility rosters, billable lines and monthly reports."""

from services.contracts.names import BILLING
from services.infra.service_base import ServiceBase


class BillingService(ServiceBase):
    name = BILLING
