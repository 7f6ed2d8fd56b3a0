"""The billing service's tunables, read once from its configuration."""

from dataclasses import dataclass

from nameko.extensions import DependencyProvider

DEVELOPMENT_ROSTER_HASH_KEY = "development-roster-hash-key"


@dataclass(frozen=True)
class BillingSettings:
    roster_hash_key: bytes
    roster_max_rows: int


def settings_from(config: dict) -> BillingSettings:
    key = str(config.get("ROSTER_HASH_KEY", DEVELOPMENT_ROSTER_HASH_KEY))
    if not key:
        raise ValueError("ROSTER_HASH_KEY must not be empty")
    return BillingSettings(
        roster_hash_key=key.encode("utf-8"),
        roster_max_rows=int(config.get("ROSTER_MAX_ROWS", 200_000)),
    )


class Settings(DependencyProvider):
    def setup(self):
        self.settings = settings_from(self.container.config)

    def get_dependency(self, worker_ctx) -> BillingSettings:
        return self.settings
