"""The bookings service: catalogue, coaches' availability, slot search, bookings, coach notes."""

from services.contracts.names import BOOKINGS
from services.infra.service_base import ServiceBase


class BookingsService(ServiceBase):
    name = BOOKINGS
