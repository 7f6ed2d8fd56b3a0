"""Which steps a request's saga has, in which order, and how long a failed step waits.

Erasure order: the login is disabled and its sessions revoked first, so the person cannot add
data while it is being erased; the account itself goes last, so the saga can always find who it
is erasing; the privacy service's own copies (answer files, notes) go after every other service.
"""

from dataclasses import dataclass
from datetime import timedelta

from services.contracts.names import ACCOUNTS, BILLING, BOOKINGS, MEDIA, PRIVACY
from services.contracts.privacy import ERASURE, EXPORT, INSPECTION

EXPORT_ACTION = "export"
ERASE_ACTION = "erase"
DISABLE_LOGIN_ACTION = "disable_login"

COLLECTING = ((ACCOUNTS, EXPORT_ACTION), (BOOKINGS, EXPORT_ACTION), (MEDIA, EXPORT_ACTION))
COLLECTING += ((BILLING, EXPORT_ACTION), (PRIVACY, EXPORT_ACTION))

PLANS = {
    EXPORT: COLLECTING,
    INSPECTION: COLLECTING,
    ERASURE: (
        (ACCOUNTS, DISABLE_LOGIN_ACTION),
        (BOOKINGS, ERASE_ACTION),
        (MEDIA, ERASE_ACTION),
        (BILLING, ERASE_ACTION),
        (ACCOUNTS, ERASE_ACTION),
        (PRIVACY, ERASE_ACTION),
    ),
}


def steps_of(kind: str) -> tuple[tuple[str, str], ...]:
    """(participant, action) in the order they run; empty for requests staff complete by hand."""
    return PLANS.get(kind, ())


@dataclass(frozen=True)
class Backoff:
    base: timedelta
    cap: timedelta

    def delay_after(self, attempts: int) -> timedelta:
        """The wait after the `attempts`-th failed try: doubling from `base`, at most `cap`."""
        return min(self.base * 2 ** max(attempts - 1, 0), self.cap)
