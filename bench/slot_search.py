"""Free-slot search for "any coach": 20 coaches over 8 weeks, timed in-process.

Run with `python -m bench.slot_search`. Each coach works weekdays 08-16 Helsinki time and has about
three one-hour bookings a day, placed at random with a fixed seed. One run searches every coach's
free slots and merges them with `any_coach_slots`, as the slot-search RPC does; the size of the
RPC's answer for them is shown too. The weeks span the change to summer time on 28 March 2027.
Prints figures only and asserts nothing, since they depend on the machine.
"""

import json
import random
import statistics
import time as timer
import uuid
from datetime import date, datetime, time, timedelta

from services.bookings.slots import (
    HELSINKI,
    Interval,
    OpenSlot,
    Slot,
    WeeklyHours,
    any_coach_slots,
    coach_free_slots,
)
from services.bookings.views import slot_view

COACHES = 20
WEEKS = 8
BOOKINGS_PER_DAY = 3
RUNS = 50
FIRST_DAY = date(2027, 3, 1)
LAST_DAY = FIRST_DAY + timedelta(weeks=WEEKS) - timedelta(days=1)
NOW = datetime(2027, 3, 1, 9, 17, tzinfo=HELSINKI)
DURATION = timedelta(hours=1)
BUFFER = timedelta(minutes=15)
STEP = timedelta(minutes=30)
WEEKDAYS_8_TO_16 = [WeeklyHours(weekday, time(8), time(16)) for weekday in range(5)]


def random_bookings(rng: random.Random) -> list[Interval]:
    """About three one-hour bookings on each working day, on whole hours, never overlapping."""
    bookings = []
    day = FIRST_DAY
    while day <= LAST_DAY:
        if day.weekday() < 5:
            for hour in rng.sample(range(8, 16), BOOKINGS_PER_DAY):
                start = datetime.combine(day, time(hour), tzinfo=HELSINKI)
                bookings.append(Interval(start, start + DURATION))
        day += timedelta(days=1)
    rng.shuffle(bookings)
    return bookings


def search_all(
    busy_by_coach: dict[str, list[Interval]],
) -> tuple[dict[str, list[Slot]], list[OpenSlot]]:
    slots_by_coach = {
        coach_id: coach_free_slots(
            first_day=FIRST_DAY,
            last_day=LAST_DAY,
            duration=DURATION,
            weekly_hours=WEEKDAYS_8_TO_16,
            changes=[],
            busy=busy,
            buffer=BUFFER,
            earliest_start=NOW + timedelta(hours=24),
            latest_start=NOW + timedelta(weeks=WEEKS),
            step=STEP,
        )
        for coach_id, busy in busy_by_coach.items()
    }
    return slots_by_coach, any_coach_slots(slots_by_coach)


def answer_kilobytes(open_slots: list[OpenSlot]) -> float:
    """The slot search's answer as JSON, as the gateway sends it; every coach is "Bench Coach"."""
    answer = {"items": [slot_view(slot, "Bench Coach") for slot in open_slots]}
    return len(json.dumps(answer, ensure_ascii=False).encode()) / 1000


def milliseconds(run) -> float:
    started = timer.perf_counter()
    run()
    return (timer.perf_counter() - started) * 1000


def p95(timings: list[float]) -> float:
    return statistics.quantiles(timings, n=20)[-1]


def main() -> None:
    rng = random.Random(2027)
    coach_ids = [str(uuid.UUID(int=n)) for n in range(COACHES)]
    busy_by_coach = {coach_id: random_bookings(rng) for coach_id in coach_ids}
    slots_by_coach, open_slots = search_all(busy_by_coach)
    timings = [milliseconds(lambda: search_all(busy_by_coach)) for _ in range(RUNS)]
    single_coach = {coach_ids[0]: busy_by_coach[coach_ids[0]]}
    single_timings = [milliseconds(lambda: search_all(single_coach)) for _ in range(RUNS)]

    bookings = sum(len(busy) for busy in busy_by_coach.values())
    print(f"{COACHES} coaches, {WEEKS} weeks, {bookings} bookings, {RUNS} runs")
    print(
        f"all coaches + merge: median {statistics.median(timings):.2f} ms, "
        f"p95 {p95(timings):.2f} ms"
    )
    print(
        f"one coach:           median {statistics.median(single_timings):.2f} ms, "
        f"p95 {p95(single_timings):.2f} ms"
    )
    print(
        f"free slots: {sum(map(len, slots_by_coach.values()))} over all coaches, "
        f"{len(open_slots)} any-coach start times"
    )
    print(f"answer: {len(open_slots)} slots in {answer_kilobytes(open_slots):.0f} kB")


if __name__ == "__main__":
    main()
