"""The gateway: the only thing outside clients talk to. No data of its own; routes call services."""

from nameko.dependency_providers import Config
from nameko.events import EventDispatcher

from gateway.auth import Authentication
from gateway.observed import RouteNames
from gateway.routes.accounts import AccountRoutes
from gateway.routes.billing import BillingRoutes
from gateway.routes.bookings import BookingRoutes
from gateway.routes.health import HealthRoutes
from gateway.routes.media import MediaRoutes
from gateway.routes.meta import MetaRoutes
from gateway.routes.password_reset import PasswordResetRoutes
from gateway.routes.preferences import PreferenceRoutes
from gateway.routes.privacy import PrivacyRoutes
from gateway.service_calls import TimedRpcProxy
from services.contracts.names import ACCOUNTS, BILLING, BOOKINGS, MEDIA, PRIVACY
from services.infra.clock import Clock
from services.infra.metrics import Metrics
from services.infra.tracing import RequestTracing


class GatewayService(
    Authentication,
    AccountRoutes,
    BillingRoutes,
    BookingRoutes,
    HealthRoutes,
    MediaRoutes,
    MetaRoutes,
    PasswordResetRoutes,
    PreferenceRoutes,
    PrivacyRoutes,
):
    name = "gateway"

    config = Config()
    clock = Clock()
    dispatch = EventDispatcher()
    accounts = TimedRpcProxy(ACCOUNTS)
    bookings = TimedRpcProxy(BOOKINGS)
    billing = TimedRpcProxy(BILLING)
    privacy = TimedRpcProxy(PRIVACY)
    media = TimedRpcProxy(MEDIA)
    metrics = Metrics()
    tracing = RequestTracing()
    route_names = RouteNames()
