"""The booking rules and the site's address for links in mails, read once from the config."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from nameko.extensions import DependencyProvider


@dataclass(frozen=True)
class BookingRules:
    buffer: timedelta
    minimum_notice: timedelta
    horizon: timedelta
    slot_step: timedelta
    coachee_change_notice: timedelta
    eligibility_hold: timedelta
    reminder_before: timedelta
    max_search_days: int
    feedback_window: timedelta
    link_base_url: str
    registration_timeout: timedelta

    def coachee_changes_until(self, starts_at: datetime) -> datetime:
        """The last moment a coachee may cancel or move a session that starts at `starts_at`."""
        return starts_at - self.coachee_change_notice

    def feedback_until(self, starts_at: datetime) -> datetime:
        return feedback_closes(starts_at, self.feedback_window)


def feedback_closes(starts_at: datetime, window: timedelta) -> datetime:
    """When feedback on a session that starts at `starts_at` can no longer be given or changed."""
    return starts_at + window


def rules_from(config: dict) -> BookingRules:
    def minutes(key: str, default: float) -> timedelta:
        return timedelta(minutes=float(config.get(key, default)))

    def hours(key: str, default: float) -> timedelta:
        return timedelta(hours=float(config.get(key, default)))

    return BookingRules(
        buffer=minutes("BOOKING_BUFFER_MINUTES", 15),
        minimum_notice=hours("BOOKING_MIN_NOTICE_HOURS", 12),
        horizon=timedelta(days=float(config.get("BOOKING_HORIZON_DAYS", 120))),
        slot_step=minutes("SLOT_STEP_MINUTES", 30),
        coachee_change_notice=hours("COACHEE_CHANGE_NOTICE_HOURS", 24),
        eligibility_hold=hours("ELIGIBILITY_HOLD_HOURS", 72),
        reminder_before=hours("REMINDER_HOURS_BEFORE", 24),
        max_search_days=int(config.get("SLOT_SEARCH_MAX_DAYS", 62)),
        feedback_window=timedelta(days=float(config.get("FEEDBACK_WINDOW_DAYS", 30))),
        link_base_url=str(
            config.get("BOOKING_LINK_BASE_URL", "https://valmennuskalenteri.local")
        ).rstrip("/"),
        registration_timeout=timedelta(
            seconds=float(config.get("REGISTRATION_TIMEOUT_SECONDS", 120))
        ),
    )


class Rules(DependencyProvider):
    def setup(self):
        self.rules = rules_from(self.container.config)

    def get_dependency(self, worker_ctx) -> BookingRules:
        return self.rules
