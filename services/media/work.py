"""What one media operation works with: transaction, outbox, storage, cleaning, bookings, time."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from services.infra.audit import Audited
from services.media.cleaned import Cleaned
from services.media.settings import MediaSettings
from services.media.storage import MediaStore


@dataclass
class Work(Audited):
    db: object
    outbox: object
    store: MediaStore
    clean: Callable[[bytes, str], Cleaned]
    bookings: object
    settings: MediaSettings
    now: datetime
