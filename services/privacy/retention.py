"""The retention rule (R-RET-1), in Helsinki time.

A coachee account created in calendar year Y is kept through Y+1 and anonymised from 1 January
of Y+2, by the end of that January: created in 2018 → gone by 31 January 2020.
"""

from datetime import datetime

from services.infra.clock import HELSINKI
from services.privacy.deadlines import add_months

YEARS_KEPT = 2


def start_of_year(year: int) -> datetime:
    return datetime(year, 1, 1, tzinfo=HELSINKI)


def cohort_year(created_at: datetime) -> int:
    return created_at.astimezone(HELSINKI).year


def erasure_due_from(created_at: datetime) -> datetime:
    return start_of_year(cohort_year(created_at) + YEARS_KEPT)


def erasure_deadline(created_at: datetime) -> datetime:
    """The instant the retention erasure must be finished by: the end of January of Y+2."""
    return datetime(cohort_year(created_at) + YEARS_KEPT, 2, 1, tzinfo=HELSINKI)


def created_before(now: datetime) -> datetime:
    """Accounts created before this instant are due for erasure at `now`."""
    return start_of_year(now.astimezone(HELSINKI).year - YEARS_KEPT + 1)


def preview_cutoff(now: datetime) -> datetime:
    """What the run a month from now will take: accounts created before this instant."""
    today = now.astimezone(HELSINKI).date()
    month_ahead = add_months(today, 1)
    return created_before(datetime.combine(month_ahead, datetime.min.time(), HELSINKI))
