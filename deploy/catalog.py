"""Where each service's class lives; what `declare-queues`, `migrate` and `run-local` walk over."""

import importlib

from services.contracts.names import ALL_SERVICES

SERVICE_CLASSES = {
    "accounts": "services.accounts.service:AccountsService",
    "bookings": "services.bookings.service:BookingsService",
    "billing": "services.billing.service:BillingService",
    "privacy": "services.privacy.service:PrivacyService",
    "media": "services.media.service:MediaService",
}
GATEWAY_CLASS = "gateway.service:GatewayService"

assert tuple(SERVICE_CLASSES) == ALL_SERVICES


def load_class(path: str):
    module_name, class_name = path.split(":")
    return getattr(importlib.import_module(module_name), class_name)


def service_classes() -> list:
    return [load_class(path) for path in SERVICE_CLASSES.values()]
