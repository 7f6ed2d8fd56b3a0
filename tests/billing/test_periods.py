"""Billing months are Helsinki calendar months, finalised a grace period into the next month."""

from datetime import UTC, date, datetime, timedelta

import pytest

from services.billing.periods import (
    finalisation_due,
    first_open_period,
    latest_due_period,
    next_period,
    parse_period,
    period_end,
    period_label,
    period_of,
    period_start,
    previous_period,
)

GRACE = timedelta(days=5)
MARCH = date(2027, 3, 1)


@pytest.mark.parametrize(
    ("instant", "period"),
    [
        (datetime(2027, 3, 31, 20, 59, tzinfo=UTC), date(2027, 3, 1)),
        (datetime(2027, 3, 31, 21, 0, tzinfo=UTC), date(2027, 4, 1)),
        (datetime(2027, 2, 28, 21, 59, tzinfo=UTC), date(2027, 2, 1)),
        (datetime(2027, 2, 28, 22, 0, tzinfo=UTC), date(2027, 3, 1)),
        (datetime(2026, 12, 31, 22, 0, tzinfo=UTC), date(2027, 1, 1)),
    ],
)
def test_a_session_belongs_to_its_helsinki_month_not_its_utc_month(instant, period):
    assert period_of(instant) == period


def test_march_spans_the_change_to_summer_time():
    assert period_start(MARCH) == datetime(2027, 2, 28, 22, 0, tzinfo=UTC)
    assert period_end(MARCH) == datetime(2027, 3, 31, 21, 0, tzinfo=UTC)


def test_a_month_is_finalised_at_helsinki_midnight_five_days_into_the_next():
    assert finalisation_due(MARCH, GRACE) == datetime(2027, 4, 5, 21, 0, tzinfo=UTC)
    assert finalisation_due(date(2027, 10, 1), GRACE) == datetime(2027, 11, 5, 22, 0, tzinfo=UTC)


def test_last_month_becomes_due_only_when_its_grace_period_has_passed():
    just_before = datetime(2027, 4, 5, 20, 59, 59, tzinfo=UTC)
    assert latest_due_period(just_before, GRACE) == date(2027, 2, 1)
    assert latest_due_period(just_before + timedelta(seconds=1), GRACE) == MARCH


def test_corrections_go_to_the_earliest_month_not_due_yet():
    assert first_open_period(datetime(2027, 4, 3, 9, 0, tzinfo=UTC), GRACE) == MARCH
    assert first_open_period(datetime(2027, 4, 6, 9, 0, tzinfo=UTC), GRACE) == date(2027, 4, 1)


def test_months_roll_over_the_year():
    assert next_period(date(2027, 12, 1)) == date(2028, 1, 1)
    assert previous_period(date(2027, 1, 1)) == date(2026, 12, 1)
    assert latest_due_period(datetime(2027, 1, 10, tzinfo=UTC), GRACE) == date(2026, 12, 1)


def test_months_are_named_and_read_as_yyyy_mm():
    assert period_label(MARCH) == "2027-03"
    assert parse_period("2027-03") == MARCH


@pytest.mark.parametrize("label", ["2027-3", "2027-13", "2027-00", "03/2027", "", None])
def test_other_month_names_are_refused(label):
    with pytest.raises(ValueError, match="YYYY-MM"):
        parse_period(label)
