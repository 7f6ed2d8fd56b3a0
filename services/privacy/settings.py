"""The privacy service's tunables, read once from its configuration."""

from dataclasses import dataclass
from datetime import timedelta

from nameko.extensions import DependencyProvider

from services.privacy.plans import Backoff


@dataclass(frozen=True)
class PrivacySettings:
    participant_timeout_seconds: float
    step_backoff: Backoff
    result_lifetime: timedelta


def settings_from(config: dict) -> PrivacySettings:
    return PrivacySettings(
        participant_timeout_seconds=float(config.get("PARTICIPANT_TIMEOUT_SECONDS", 30)),
        step_backoff=Backoff(
            base=timedelta(seconds=float(config.get("STEP_RETRY_BASE_SECONDS", 30))),
            cap=timedelta(seconds=float(config.get("STEP_RETRY_MAX_SECONDS", 3600))),
        ),
        result_lifetime=timedelta(days=float(config.get("RESULT_KEEP_DAYS", 7))),
    )


class Settings(DependencyProvider):
    def setup(self):
        self.settings = settings_from(self.container.config)

    def get_dependency(self, worker_ctx) -> PrivacySettings:
        return self.settings
