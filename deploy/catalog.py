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

# Where each component serves its metrics under `make run` and docker compose. Elsewhere (tests,
# benchmarks) config.yaml's default, 0, serves none, so systems started side by side never collide.
METRICS_PORTS = {
    "gateway": 9100,
    "accounts": 9101,
    "bookings": 9102,
    "billing": 9103,
    "privacy": 9104,
    "media": 9105,
}

assert tuple(SERVICE_CLASSES) == ALL_SERVICES


def metrics_port_variable(component: str) -> str:
    return f"{component.upper()}_METRICS_PORT"


def load_class(path: str):
    module_name, class_name = path.split(":")
    return getattr(importlib.import_module(module_name), class_name)


def service_classes() -> list:
    return [load_class(path) for path in SERVICE_CLASSES.values()]
