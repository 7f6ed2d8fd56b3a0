"""Free-slot search: working hours, exceptions, buffers, booking window, DST, any coach."""

import random
from datetime import UTC, date, datetime, time, timedelta

import pytest

from services.bookings.slots import (
    HELSINKI,
    DatedChange,
    Interval,
    OpenSlot,
    Slot,
    WeeklyHours,
    any_coach_slots,
    coach_free_slots,
)
from services.contracts.bookings import EXTRA, TIME_OFF

HOUR = timedelta(hours=1)
HALF_HOUR = timedelta(minutes=30)
MONDAY = date(2027, 3, 1)
WEEKDAYS_8_TO_16 = [WeeklyHours(weekday, time(8), time(16)) for weekday in range(5)]
SLOTS_IN_8_TO_16 = 15  # one-hour slots every half hour: 08:00 ... 15:00


def helsinki(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=HELSINKI)


def search(
    first_day=MONDAY,
    last_day=None,
    *,
    duration=HOUR,
    weekly_hours=WEEKDAYS_8_TO_16,
    changes=(),
    busy=(),
    buffer=timedelta(0),
    earliest_start=None,
    latest_start=None,
    step=HALF_HOUR,
):
    """Search with an open booking window unless a test narrows it."""
    last_day = last_day or first_day
    return coach_free_slots(
        first_day=first_day,
        last_day=last_day,
        duration=duration,
        weekly_hours=weekly_hours,
        changes=changes,
        busy=busy,
        buffer=buffer,
        earliest_start=earliest_start or helsinki(first_day, 0) - 7 * timedelta(days=1),
        latest_start=latest_start or helsinki(last_day, 0) + 7 * timedelta(days=1),
        step=step,
    )


def local_starts(slots: list[Slot]) -> list[str]:
    return [slot.starts_at.astimezone(HELSINKI).strftime("%a %H:%M") for slot in slots]


def test_normal_week_offers_grid_slots_on_working_days_only():
    slots = search(MONDAY, MONDAY + timedelta(days=6))

    assert len(slots) == 5 * SLOTS_IN_8_TO_16
    assert local_starts(slots)[:3] == ["Mon 08:00", "Mon 08:30", "Mon 09:00"]
    assert local_starts(slots)[-1] == "Fri 15:00"
    assert all(slot.ends_at - slot.starts_at == HOUR for slot in slots)


def test_slots_are_sorted_and_in_utc():
    slots = search(MONDAY, MONDAY + timedelta(days=6))

    assert slots == sorted(slots, key=lambda slot: slot.starts_at)
    assert {slot.starts_at.tzinfo for slot in slots} == {UTC}
    assert slots[0].starts_at == datetime(2027, 3, 1, 6, 0, tzinfo=UTC)


def test_slot_before_a_booking_must_end_a_buffer_earlier():
    booking = Interval(helsinki(MONDAY, 10), helsinki(MONDAY, 11))

    slots = search(busy=[booking], buffer=timedelta(minutes=15))

    assert "Mon 08:30" in local_starts(slots)  # ends 09:30, 30 minutes before
    assert "Mon 09:00" not in local_starts(slots)  # ends 10:00, no room for the buffer


def test_slot_after_a_booking_must_start_a_buffer_later():
    booking = Interval(helsinki(MONDAY, 10), helsinki(MONDAY, 11))

    slots = search(busy=[booking], buffer=timedelta(minutes=15))

    assert "Mon 11:00" not in local_starts(slots)
    assert "Mon 11:30" in local_starts(slots)


def test_without_buffer_slots_may_touch_a_booking():
    booking = Interval(helsinki(MONDAY, 10), helsinki(MONDAY, 11))

    starts = local_starts(search(busy=[booking]))

    assert "Mon 09:00" in starts
    assert "Mon 11:00" in starts
    assert "Mon 09:30" not in starts
    assert "Mon 10:30" not in starts


def test_buffer_of_a_booking_outside_working_hours_still_counts():
    late_booking = Interval(helsinki(MONDAY, 16), helsinki(MONDAY, 17))

    starts = local_starts(search(busy=[late_booking], buffer=HALF_HOUR))

    assert starts[-1] == "Mon 14:30"


def test_busy_intervals_may_come_in_any_order_and_time_zone():
    bookings = [
        Interval(datetime(2027, 3, 1, 12, tzinfo=UTC), datetime(2027, 3, 1, 13, tzinfo=UTC)),
        Interval(helsinki(MONDAY, 9), helsinki(MONDAY, 10)),
    ]

    starts = local_starts(search(busy=bookings))

    assert starts == [
        "Mon 08:00",
        "Mon 10:00",
        "Mon 10:30",
        "Mon 11:00",
        "Mon 11:30",
        "Mon 12:00",
        "Mon 12:30",
        "Mon 13:00",
        "Mon 15:00",
    ]


def test_time_off_removes_slots_and_grid_restarts_after_it():
    time_off = DatedChange(helsinki(MONDAY, 10, 15), helsinki(MONDAY, 13, 45), TIME_OFF)

    starts = local_starts(search(changes=[time_off]))

    assert starts[:3] == ["Mon 08:00", "Mon 08:30", "Mon 09:00"]
    assert starts[3:6] == ["Mon 13:45", "Mon 14:15", "Mon 14:45"]
    assert len(starts) == 6


def test_time_off_over_whole_days_leaves_no_slots_there():
    holiday = DatedChange(helsinki(MONDAY, 0), helsinki(MONDAY + timedelta(days=2), 0), TIME_OFF)

    slots = search(MONDAY, MONDAY + timedelta(days=2), changes=[holiday])

    assert local_starts(slots)[0] == "Wed 08:00"
    assert len(slots) == SLOTS_IN_8_TO_16


def test_extra_hours_add_slots_on_a_day_off():
    saturday = MONDAY + timedelta(days=5)
    extra = DatedChange(helsinki(saturday, 10), helsinki(saturday, 12), EXTRA)

    slots = search(saturday, changes=[extra])

    assert local_starts(slots) == ["Sat 10:00", "Sat 10:30", "Sat 11:00"]


def test_extra_hours_next_to_weekly_hours_extend_the_day():
    extra = DatedChange(helsinki(MONDAY, 16), helsinki(MONDAY, 18), EXTRA)

    starts = local_starts(search(changes=[extra]))

    assert "Mon 15:30" in starts
    assert starts[-1] == "Mon 17:00"


def test_extra_hours_outside_the_searched_days_are_ignored():
    tuesday = MONDAY + timedelta(days=1)
    extra = DatedChange(helsinki(tuesday, 18), helsinki(tuesday, 20), EXTRA)

    assert len(search(MONDAY, changes=[extra])) == SLOTS_IN_8_TO_16


def test_time_off_beats_extra_hours():
    extra = DatedChange(helsinki(MONDAY, 16), helsinki(MONDAY, 18), EXTRA)
    time_off = DatedChange(helsinki(MONDAY, 12), helsinki(MONDAY, 18), TIME_OFF)

    starts = local_starts(search(changes=[extra, time_off]))

    assert starts[-1] == "Mon 11:00"


def test_slot_may_span_two_adjoining_working_periods():
    split_day = [WeeklyHours(0, time(8), time(12)), WeeklyHours(0, time(12), time(16))]

    starts = local_starts(search(weekly_hours=split_day))

    assert "Mon 11:30" in starts
    assert len(starts) == SLOTS_IN_8_TO_16


def test_minimum_notice_hides_earlier_starts():
    slots = search(earliest_start=helsinki(MONDAY, 10, 15))

    assert local_starts(slots)[0] == "Mon 10:30"


def test_horizon_is_the_last_start_offered_inclusive():
    wednesday = MONDAY + timedelta(days=2)

    slots = search(MONDAY, MONDAY + timedelta(days=6), latest_start=helsinki(wednesday, 12))

    assert local_starts(slots)[-1] == "Wed 12:00"
    assert len(slots) == 2 * SLOTS_IN_8_TO_16 + 9


def test_duration_longer_than_availability_yields_no_slot():
    one_hour_day = [WeeklyHours(0, time(8), time(9))]

    assert search(weekly_hours=one_hour_day, duration=timedelta(minutes=90)) == []


def test_duration_longer_than_the_gap_between_bookings_yields_no_slot_there():
    bookings = [
        Interval(helsinki(MONDAY, 8), helsinki(MONDAY, 10)),
        Interval(helsinki(MONDAY, 11), helsinki(MONDAY, 16)),
    ]

    assert search(busy=bookings, duration=timedelta(minutes=90)) == []


def test_empty_day_range_yields_no_slot():
    assert search(MONDAY, MONDAY - timedelta(days=1)) == []


# Daylight saving time: 28 March 2027 and 31 October 2027 are the last Sundays of those months.
SPRING_SUNDAY = date(2027, 3, 28)
AUTUMN_SUNDAY = date(2027, 10, 31)
EVERY_DAY_8_TO_16 = [WeeklyHours(weekday, time(8), time(16)) for weekday in range(7)]


@pytest.mark.parametrize(
    ("day", "utc_offset"),
    [
        (SPRING_SUNDAY - timedelta(days=2), 2),  # Friday before, winter time
        (SPRING_SUNDAY, 3),
        (SPRING_SUNDAY + timedelta(days=1), 3),  # Monday after, summer time
        (AUTUMN_SUNDAY - timedelta(days=2), 3),
        (AUTUMN_SUNDAY, 2),
        (AUTUMN_SUNDAY + timedelta(days=1), 2),
    ],
)
def test_working_day_keeps_helsinki_wall_time_across_dst(day, utc_offset):
    slots = search(day, weekly_hours=EVERY_DAY_8_TO_16)

    first_start = slots[0].starts_at.astimezone(HELSINKI)
    assert (first_start.hour, first_start.minute) == (8, 0)
    assert first_start.utcoffset() == timedelta(hours=utc_offset)
    assert slots[0].starts_at.hour == 8 - utc_offset
    assert slots[-1].ends_at - slots[0].starts_at == 8 * HOUR
    assert len(slots) == SLOTS_IN_8_TO_16


def test_wall_time_skipped_in_spring_is_moved_later_by_the_gap():
    night_hours = [WeeklyHours(6, time(3, 30), time(6))]

    slots = search(SPRING_SUNDAY, weekly_hours=night_hours)

    assert slots[0].starts_at == helsinki(SPRING_SUNDAY, 4, 30)
    assert slots[0].starts_at.astimezone(HELSINKI).utcoffset() == 3 * HOUR


def test_wall_time_repeated_in_autumn_means_its_first_occurrence():
    night_hours = [WeeklyHours(6, time(3, 30), time(6))]

    slots = search(AUTUMN_SUNDAY, weekly_hours=night_hours)

    assert slots[0].starts_at == datetime(2027, 10, 31, 0, 30, tzinfo=UTC)  # 03:30 +03:00
    assert slots[-1].ends_at == datetime(2027, 10, 31, 4, 0, tzinfo=UTC)  # 06:00 +02:00
    assert len(slots) == 6  # three and a half real hours


@pytest.mark.parametrize("seed", range(20))
def test_random_bookings_every_grid_start_is_offered_exactly_when_clear(seed):
    rng = random.Random(seed)
    bookings = [
        Interval(start, start + timedelta(minutes=rng.choice([30, 45, 60, 90])))
        for start in (
            helsinki(
                MONDAY + timedelta(days=rng.randrange(5)),
                rng.randrange(7, 17),
                rng.choice([0, 10, 20, 30, 40, 50]),
            )
            for _ in range(rng.randrange(1, 15))
        )
    ]
    buffer = timedelta(minutes=rng.choice([0, 10, 15, 30]))

    offered = {
        slot.starts_at
        for slot in search(MONDAY, MONDAY + timedelta(days=4), busy=bookings, buffer=buffer)
    }

    for day in (MONDAY + timedelta(days=n) for n in range(5)):
        for start in (helsinki(day, 8) + n * HALF_HOUR for n in range(SLOTS_IN_8_TO_16)):
            clear = all(
                start + HOUR + buffer <= b.starts_at or b.ends_at + buffer <= start
                for b in bookings
            )
            assert (start in offered) == clear, start


def test_any_coach_slots_lists_every_free_coach_in_the_order_given():
    nine, ten, eleven = (helsinki(MONDAY, hour) for hour in (9, 10, 11))
    slots_by_coach = {
        "liisa": [Slot(ten, eleven)],
        "aino": [Slot(nine, ten), Slot(ten, eleven)],
        "pekka": [],
    }

    assert any_coach_slots(slots_by_coach) == [
        OpenSlot(nine, ten, ("aino",)),
        OpenSlot(ten, eleven, ("liisa", "aino")),
    ]


def test_any_coach_slots_merges_per_coach_searches_sorted_by_start():
    tuesday = MONDAY + timedelta(days=1)
    morning = [WeeklyHours(0, time(8), time(10))]
    afternoon = [WeeklyHours(0, time(14), time(16)), WeeklyHours(1, time(8), time(9))]

    merged = any_coach_slots(
        {
            "aino": search(weekly_hours=afternoon, last_day=tuesday),
            "liisa": search(weekly_hours=morning),
        }
    )

    assert [slot.coach_ids for slot in merged] == [("liisa",)] * 3 + [("aino",)] * 4
    assert local_starts(merged)[-1] == "Tue 08:00"
    assert merged == sorted(merged, key=lambda slot: slot.starts_at)


def test_any_coach_slots_of_no_coaches_is_empty():
    assert any_coach_slots({}) == []


@pytest.mark.parametrize(
    "make",
    [
        lambda: WeeklyHours(7, time(8), time(16)),
        lambda: WeeklyHours(0, time(16), time(8)),
        lambda: DatedChange(helsinki(MONDAY, 8), helsinki(MONDAY, 9), "holiday"),
        lambda: search(duration=timedelta(0)),
        lambda: search(step=timedelta(0)),
        lambda: search(buffer=-HOUR),
        lambda: search(earliest_start=datetime(2027, 3, 1, 8)),
    ],
    ids=["weekday", "hours-backwards", "change-kind", "duration", "step", "buffer", "naive-time"],
)
def test_invalid_input_is_refused(make):
    with pytest.raises(ValueError):
        make()
