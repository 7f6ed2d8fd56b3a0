"""The privacy service: data-subject requests run as sagas, retention and the audit log."""

from services.contracts.names import PRIVACY
from services.infra.service_base import ServiceBase


class PrivacyService(ServiceBase):
    name = PRIVACY
