"""Login sessions: opaque random tokens, stored only as their SHA-256 (`services.infra.tokens`)."""

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta


def new_token() -> str:
    return secrets.token_urlsafe(32)


@dataclass(frozen=True)
class SessionLifetimes:
    """Login cookies end within 2 days, or 14 with "remember me" (R-COOKIE-2)."""

    normal: timedelta
    remembered: timedelta

    def expiry(self, now: datetime, remember_me: bool) -> datetime:
        return now + (self.remembered if remember_me else self.normal)
