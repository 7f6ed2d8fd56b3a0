"""The accounts service's tunables, read once from its configuration."""

from dataclasses import dataclass
from datetime import timedelta

from eventlet.semaphore import Semaphore
from nameko.extensions import DependencyProvider

from services.accounts.passwords import PasswordHashing
from services.accounts.sessions import SessionLifetimes
from services.accounts.throttle import LoginThrottle


@dataclass(frozen=True)
class ResetRules:
    """How long a password-reset link lives, and the site address its mail links to."""

    valid_for: timedelta
    link_base_url: str


@dataclass(frozen=True)
class AccountSettings:
    lifetimes: SessionLifetimes
    throttle: LoginThrottle
    hashing: PasswordHashing
    resets: ResetRules


def settings_from(config: dict) -> AccountSettings:
    return AccountSettings(
        lifetimes=SessionLifetimes(
            normal=timedelta(hours=float(config.get("SESSION_HOURS", 48))),
            remembered=timedelta(days=float(config.get("REMEMBER_ME_DAYS", 14))),
        ),
        throttle=LoginThrottle(
            limit=int(config.get("LOGIN_FAILURE_LIMIT", 10)),
            window=timedelta(seconds=float(config.get("LOGIN_FAILURE_WINDOW_SECONDS", 900))),
        ),
        hashing=PasswordHashing(
            memory_kib=int(config.get("ARGON2_MEMORY_KIB", 12288)),
            time_cost=int(config.get("ARGON2_TIME_COST", 3)),
            slots=Semaphore(int(config.get("PASSWORD_HASH_CONCURRENCY", 1))),
            wait_seconds=float(config.get("PASSWORD_HASH_WAIT_SECONDS", 10)),
        ),
        resets=ResetRules(
            valid_for=timedelta(seconds=float(config.get("PASSWORD_RESET_VALID_SECONDS", 3600))),
            link_base_url=str(
                config.get("ACCOUNT_LINK_BASE_URL") or "http://127.0.0.1:8000"
            ).rstrip("/"),
        ),
    )


class Settings(DependencyProvider):
    def setup(self):
        self.settings = settings_from(self.container.config)

    def get_dependency(self, worker_ctx) -> AccountSettings:
        return self.settings
