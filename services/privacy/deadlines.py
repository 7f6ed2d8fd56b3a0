"""When a request must be answered, and when a breach must be notified.

A data-subject request is answered within one month of receipt (GDPR Art. 12(3)): the same day of
the next month in Helsinki, or that month's last day when it is shorter (31 January → 28/29
February). A breach is notified to the authority within 72 hours of discovery (Art. 33).
"""

import calendar
from datetime import date, datetime, timedelta

from services.infra.clock import HELSINKI

BREACH_NOTIFICATION_WINDOW = timedelta(hours=72)


def add_months(day: date, months: int) -> date:
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def request_due_at(received_at: datetime) -> datetime:
    """The end of the due day (Helsinki), as the instant after which a request is overdue."""
    received = received_at.astimezone(HELSINKI)
    due_day = add_months(received.date(), 1)
    return datetime.combine(due_day + timedelta(days=1), datetime.min.time(), HELSINKI)


def is_overdue(due_at: datetime, completed: bool, now: datetime) -> bool:
    return not completed and now >= due_at


def breach_notify_by(discovered_at: datetime) -> datetime:
    return discovered_at + BREACH_NOTIFICATION_WINDOW
