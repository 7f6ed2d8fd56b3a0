"""Billing periods: calendar months in Helsinki time, each named by its first day.

A month's report is finalised a grace period after the month ends (on the 6th at midnight with
the default five days), so late outcomes of its last sessions still make it in.
"""

import re
from datetime import date, datetime, timedelta

from services.contracts.billing import PERIOD_PATTERN, PERIOD_PROBLEM
from services.infra.clock import HELSINKI


def period_of(instant: datetime) -> date:
    local = instant.astimezone(HELSINKI)
    return date(local.year, local.month, 1)


def next_period(period: date) -> date:
    if period.month == 12:
        return date(period.year + 1, 1, 1)
    return date(period.year, period.month + 1, 1)


def previous_period(period: date) -> date:
    if period.month == 1:
        return date(period.year - 1, 12, 1)
    return date(period.year, period.month - 1, 1)


def period_start(period: date) -> datetime:
    return datetime(period.year, period.month, 1, tzinfo=HELSINKI)


def period_end(period: date) -> datetime:
    return period_start(next_period(period))


def finalisation_due(period: date, grace: timedelta) -> datetime:
    """Local midnight `grace` days into the next month (wall-clock days, also across DST)."""
    return period_end(period) + grace


def latest_due_period(now: datetime, grace: timedelta) -> date:
    """The last month whose report is due for finalisation at `now` (grace under a month)."""
    last_month = previous_period(period_of(now))
    if now >= finalisation_due(last_month, grace):
        return last_month
    return previous_period(last_month)


def first_open_period(now: datetime, grace: timedelta) -> date:
    """The earliest month whose report is not due yet: where corrections are billed."""
    return next_period(latest_due_period(now, grace))


def period_label(period: date) -> str:
    return f"{period.year:04d}-{period.month:02d}"


def parse_period(label: str) -> date:
    """`YYYY-MM` as a period; ValueError for anything else."""
    if not isinstance(label, str) or not re.fullmatch(PERIOD_PATTERN, label):
        raise ValueError(PERIOD_PROBLEM)
    return date(int(label[:4]), int(label[5:]), 1)
