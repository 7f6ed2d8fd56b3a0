"""The gateway: the only thing outside clients talk to. No data of its own; routes call services."""

from nameko.dependency_providers import Config
from nameko.rpc import RpcProxy

from gateway.routes.health import HealthRoutes
from gateway.routes.meta import MetaRoutes
from services.contracts.names import ACCOUNTS, BILLING, BOOKINGS, MEDIA, PRIVACY


class GatewayService(HealthRoutes, MetaRoutes):
    name = "gateway"

    config = Config()
    accounts = RpcProxy(ACCOUNTS)
    bookings = RpcProxy(BOOKINGS)
    billing = RpcProxy(BILLING)
    privacy = RpcProxy(PRIVACY)
    media = RpcProxy(MEDIA)
