"""Slot searches remembered for a moment, and forgotten at once when what they depend on is
written (services/bookings/slot_cache.py)."""

import uuid

import eventlet
import pytest
from sqlalchemy import create_engine, update
from sqlalchemy.pool import NullPool

from services.bookings.models import mail_jobs, working_hours
from services.bookings.slot_cache import SLOTS_DEPEND_ON, RememberedSearches, watch_writes
from services.contracts.bookings import TIME_OFF, SlotTaken
from services.contracts.errors import InvalidInput
from tests.bookings.conftest import booking_request, coachee_form

TUESDAY = {"from": "2027-03-02", "to": "2027-03-02"}


class Counted:
    """A search that counts how often it really ran."""

    def __init__(self):
        self.runs = 0

    def __call__(self):
        self.runs += 1
        return {"run": self.runs}


class Seconds:
    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


def test_the_same_search_is_answered_from_memory_for_the_configured_seconds():
    clock, search = Seconds(), Counted()
    searches = RememberedSearches(2, 10, clock)

    first = searches.answer("tuesday", search)
    clock.now += 1.9
    again = searches.answer("tuesday", search)
    clock.now += 0.2
    later = searches.answer("tuesday", search)

    assert (first, again, later) == ({"run": 1}, {"run": 1}, {"run": 2})


def test_a_change_ends_every_remembered_answer_and_one_computed_meanwhile_is_not_kept():
    searches, search = RememberedSearches(60, 10, Seconds()), Counted()
    searches.answer("tuesday", search)
    searches.changed()
    assert searches.answer("tuesday", search) == {"run": 2}

    def changed_meanwhile():
        searches.changed()
        return search()

    searches.answer("wednesday", changed_meanwhile)
    assert searches.answer("wednesday", search) == {"run": 4}


class Slow(Counted):
    """A search that takes a moment, in which other greenlets ask too; fails on `failing` runs."""

    def __init__(self, failing=()):
        super().__init__()
        self.failing = failing

    def __call__(self):
        answer = super().__call__()
        eventlet.sleep(0.05)
        if answer["run"] in self.failing:
            raise RuntimeError("the database went away")
        return answer


def test_a_search_asked_while_it_is_being_computed_waits_for_that_answer():
    searches, search = RememberedSearches(2, 10), Slow()

    asking = [eventlet.spawn(searches.answer, "tuesday", search) for _ in range(8)]

    assert [thread.wait() for thread in asking] == [{"run": 1}] * 8
    assert search.runs == 1


def test_when_the_computation_waited_for_fails_each_waiter_computes_its_own():
    searches, search = RememberedSearches(2, 10), Slow(failing={1})

    leader = eventlet.spawn(searches.answer, "tuesday", search)
    waiters = [eventlet.spawn(searches.answer, "tuesday", search) for _ in range(3)]

    with pytest.raises(RuntimeError):
        leader.wait()
    assert sorted(thread.wait()["run"] for thread in waiters) == [2, 3, 4]


def test_a_search_asked_after_a_change_does_not_wait_for_one_computed_before_it():
    searches, search = RememberedSearches(2, 10), Slow()

    before = eventlet.spawn(searches.answer, "tuesday", search)
    eventlet.sleep(0)
    searches.changed()
    after = eventlet.spawn(searches.answer, "tuesday", search)

    assert (before.wait(), after.wait()) == ({"run": 1}, {"run": 2})


def test_searches_are_bounded_and_zero_seconds_searches_every_time():
    bounded, search = RememberedSearches(60, 2, Seconds()), Counted()
    for day in ("mon", "tue", "wed"):
        bounded.answer(day, search)
    bounded.answer("mon", search)
    assert search.runs == 4

    never, uncached = RememberedSearches(0, 10, Seconds()), Counted()
    never.answer("tuesday", uncached)
    never.answer("tuesday", uncached)
    assert uncached.runs == 2


@pytest.fixture
def watched(service_config):
    engine = create_engine(service_config("bookings")["DATABASE_URL"], poolclass=NullPool)
    changes = []
    watch_writes(engine, SLOTS_DEPEND_ON, lambda: changes.append(1))
    yield engine, changes
    engine.dispose()


def test_a_write_to_what_slots_depend_on_is_a_change_when_made_and_when_committed(watched):
    engine, changes = watched
    with engine.begin() as connection:
        connection.execute(
            update(working_hours).where(working_hours.c.weekday == -1).values(weekday=-1)
        )
        assert len(changes) == 1
    assert len(changes) == 2

    with engine.connect() as connection:
        connection.execute(
            update(working_hours).where(working_hours.c.weekday == -1).values(weekday=-1)
        )
        connection.rollback()
    assert len(changes) == 3


def test_a_write_elsewhere_changes_nothing(watched):
    engine, changes = watched
    with engine.begin() as connection:
        connection.execute(
            update(mail_jobs).where(mail_jobs.c.id == uuid.uuid4()).values(attempts=0)
        )

    assert changes == []


def tuesday_starts(rpc, catalogue) -> set[str]:
    query = {"service_id": catalogue["service"]["id"], **TUESDAY}
    return {slot["starts_at"] for slot in rpc.bookings.find_slots(query)["items"]}


def test_a_booking_and_time_off_show_in_the_next_search_at_once(rpc, admin, catalogue, subscribers):
    before = tuesday_starts(rpc, catalogue)
    assert tuesday_starts(rpc, catalogue) == before
    booked = "2027-03-02T09:00:00+02:00"
    form = coachee_form(subscribers["roster"]["id"])
    rpc.bookings.create_booking(booking_request(catalogue, booked, form))

    after_booking = tuesday_starts(rpc, catalogue)
    rpc.bookings.add_availability_change(
        catalogue["coach"]["id"],
        {
            "starts_at": "2027-03-02T13:00:00+02:00",
            "ends_at": "2027-03-02T16:00:00+02:00",
            "kind": TIME_OFF,
        },
        admin,
    )
    after_time_off = tuesday_starts(rpc, catalogue)

    assert booked in before and booked not in after_booking
    assert "2027-03-02T14:00:00+02:00" in after_booking
    assert "2027-03-02T14:00:00+02:00" not in after_time_off


def test_the_catalogue_a_booking_reads_is_remembered_until_a_change_made_here(
    rpc, admin, catalogue, subscribers
):
    roster = subscribers["roster"]["id"]
    first = rpc.bookings.create_booking(
        booking_request(catalogue, "2027-03-02T09:00:00+02:00", coachee_form(roster))
    )
    assert first["booking"]["coach_name"] == catalogue["coach"]["name"]
    rpc.bookings.set_working_hours(
        catalogue["coach"]["id"], [{"weekday": 1, "starts": "12:00", "ends": "16:00"}], admin
    )
    with pytest.raises(SlotTaken):
        rpc.bookings.create_booking(
            booking_request(catalogue, "2027-03-02T10:00:00+02:00", coachee_form(roster))
        )

    rpc.bookings.update_service(catalogue["service"]["id"], {"active": False}, admin)
    with pytest.raises(InvalidInput) as refused:
        rpc.bookings.create_booking(
            booking_request(catalogue, "2027-03-02T13:00:00+02:00", coachee_form(roster))
        )
    assert "service_id" in refused.value.fields
