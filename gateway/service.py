"""The gateway: the only thing outside clients talk to. No data of its own; routes call services."""

from nameko.dependency_providers import Config
from nameko.events import EventDispatcher

from gateway.auth import Authentication
from gateway.pages.account import AccountPages
from gateway.pages.admin_catalogue import AdminCataloguePages
from gateway.pages.admin_people import AdminPeoplePages
from gateway.pages.booking import BookingPages
from gateway.pages.coach import CoachPages
from gateway.pages.my_bookings import MyBookingPages
from gateway.pages.privacy import PrivacyPages
from gateway.pages.routing import PageSupport
from gateway.pages.site import SitePages
from gateway.pages.staff_home import StaffHomePage
from gateway.pages.subscriber import SubscriberPages
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
from gateway.sessions import SessionRevocation, Sessions
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
    PageSupport,
    SitePages,
    StaffHomePage,
    BookingPages,
    AccountPages,
    MyBookingPages,
    CoachPages,
    SubscriberPages,
    AdminPeoplePages,
    AdminCataloguePages,
    PrivacyPages,
    SessionRevocation,
):
    name = "gateway"

    config = Config()
    clock = Clock()
    dispatch = EventDispatcher()
    accounts = TimedRpcProxy(ACCOUNTS)
    sessions = Sessions()
    bookings = TimedRpcProxy(BOOKINGS)
    billing = TimedRpcProxy(BILLING)
    privacy = TimedRpcProxy(PRIVACY)
    media = TimedRpcProxy(MEDIA)
    metrics = Metrics()
    tracing = RequestTracing()
