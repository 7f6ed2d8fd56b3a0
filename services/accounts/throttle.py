"""Failed-login throttling per account and per client address; password-reset requests are
counted the same way under keys of their own, so neither uses up the other's allowance.

Keys are hashed so that mistyped usernames and addresses are not stored in the clear.
"""

import hashlib
import math
from dataclasses import dataclass
from datetime import datetime, timedelta


def account_key(username: str) -> bytes:
    return hashlib.sha256(f"user:{username.strip().lower()}".encode()).digest()


def throttle_keys(username: str, client_address: str) -> list[bytes]:
    return [account_key(username), hashlib.sha256(f"addr:{client_address}".encode()).digest()]


def reset_throttle_keys(login: str, client_address: str) -> list[bytes]:
    """Keyed by the login as given (username or email), never by the account it finds, so an
    unknown login is throttled exactly like a known one."""
    return [
        hashlib.sha256(f"reset-login:{login.strip().lower()}".encode()).digest(),
        hashlib.sha256(f"reset-addr:{client_address}".encode()).digest(),
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
