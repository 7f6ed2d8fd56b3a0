"""The billing service's tunables, read once from its configuration."""

from dataclasses import dataclass
from datetime import timedelta

from nameko.extensions import DependencyProvider

DEVELOPMENT_ROSTER_HASH_KEY = "development-roster-hash-key"
MAX_GRACE_DAYS = 27
MAX_FILE_LINK_SECONDS = 300


@dataclass(frozen=True)
class BillingSettings:
    roster_hash_key: bytes
    roster_max_rows: int
    report_grace: timedelta
    report_page_size: int
    report_link_base_url: str
    report_file_link_seconds: int


def settings_from(config: dict) -> BillingSettings:
    key = str(config.get("ROSTER_HASH_KEY", DEVELOPMENT_ROSTER_HASH_KEY))
    if not key:
        raise ValueError("ROSTER_HASH_KEY must not be empty")
    grace_days = int(config.get("REPORT_GRACE_DAYS", 5))
    if not 0 <= grace_days <= MAX_GRACE_DAYS:
        raise ValueError(f"REPORT_GRACE_DAYS must be 0 to {MAX_GRACE_DAYS}")
    return BillingSettings(
        roster_hash_key=key.encode("utf-8"),
        roster_max_rows=int(config.get("ROSTER_MAX_ROWS", 200_000)),
        report_grace=timedelta(days=grace_days),
        report_page_size=max(1, int(config.get("REPORT_PAGE_SIZE", 1000))),
        report_link_base_url=str(
            config.get("REPORT_LINK_BASE_URL", "https://valmennuskalenteri.local")
        ).rstrip("/"),
        report_file_link_seconds=min(
            int(config.get("REPORT_FILE_LINK_SECONDS", 60)), MAX_FILE_LINK_SECONDS
        ),
    )


class Settings(DependencyProvider):
    def setup(self):
        self.settings = settings_from(self.container.config)

    def get_dependency(self, worker_ctx) -> BillingSettings:
        return self.settings
