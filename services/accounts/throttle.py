"""Failed-login throttling per account and per client address.

Keys are hashed so that mistyped usernames and addresses are not stored in the clear.
"""

import hashlib
import math
from dataclasses import dataclass
from datetime import datetime, timedelta


def throttle_keys(username: str, client_address: str) -> list[bytes]:
    return [
        hashlib.sha256(f"user:{username.strip().lower()}".encode()).digest(),
        hashlib.sha256(f"addr:{client_address}".encode()).digest(),
    ]


@dataclass(frozen=True)
class LoginThrottle:
    limit: int
    window: timedelta

    def retry_after(self, failures: list[datetime], now: datetime) -> int | None:
        """Seconds until another attempt is allowed, given one key's failures; None if allowed."""
        recent = sorted(at for at in failures if at > now - self.window)
        if len(recent) < self.limit:
            return None
        frees_at = recent[len(recent) - self.limit] + self.window
        return max(1, math.ceil((frees_at - now).total_seconds()))
