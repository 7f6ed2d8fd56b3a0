"""The first booking's account and idempotency keys: scoped to their caller, and no account
outlives a booking that was never made."""

from datetime import timedelta

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from services.contracts.bookings import IdempotencyKeyReused, NotEligible, SlotTaken
from tests.bookings.conftest import booking_request, coachee_form, logged_in_actor, unique
from tests.conftest import run_now

TUESDAY_9 = "2027-03-02T09:00:00+02:00"
TUESDAY_11 = "2027-03-02T11:00:00+02:00"
WEDNESDAY_9 = "2027-03-03T09:00:00+02:00"
TIMEOUT = timedelta(seconds=120)


@pytest.fixture
def bookings_engine(service_config):
    engine = create_engine(service_config("bookings")["DATABASE_URL"], poolclass=NullPool)
    yield engine
    engine.dispose()


def open_registrations(engine) -> int:
    with engine.connect() as connection:
        query = "SELECT count(*) FROM registrations WHERE state <> 'booked'"
        return connection.execute(text(query)).scalar_one()


def test_the_same_key_with_another_form_is_refused_and_shows_nothing(rpc, catalogue, subscribers):
    roster = subscribers["roster"]["id"]
    key = unique("key-")
    first = rpc.bookings.create_booking(
        booking_request(catalogue, TUESDAY_9, coachee_form(roster)), None, key
    )

    with pytest.raises(IdempotencyKeyReused) as refused:
        rpc.bookings.create_booking(
            booking_request(catalogue, TUESDAY_11, coachee_form(roster)), None, key
        )

    assert refused.value.code == "idempotency_key_reused"
    assert first["username"] not in str(refused.value.args)


def test_the_same_form_with_another_password_is_refused(rpc, catalogue, subscribers):
    form = coachee_form(subscribers["roster"]["id"])
    key = unique("key-")
    rpc.bookings.create_booking(booking_request(catalogue, TUESDAY_9, form), None, key)

    guessed = dict(form, password="toinen-salasana-2027")
    with pytest.raises(IdempotencyKeyReused):
        rpc.bookings.create_booking(booking_request(catalogue, TUESDAY_9, guessed), None, key)


def test_a_logged_in_coachees_key_is_their_own(rpc, catalogue, subscribers):
    roster = subscribers["roster"]["id"]
    coachees = [
        rpc.bookings.create_booking(booking_request(catalogue, start, coachee_form(roster)))
        for start in (TUESDAY_9, TUESDAY_11)
    ]
    actors = [logged_in_actor(rpc, coachee) for coachee in coachees]
    key = unique("key-")
    wednesday = booking_request(catalogue, WEDNESDAY_9)
    thursday = booking_request(catalogue, "2027-03-04T09:00:00+02:00")

    mine = rpc.bookings.create_booking(wednesday, actors[0], key)
    theirs = rpc.bookings.create_booking(thursday, actors[1], key)

    assert mine["booking"]["id"] != theirs["booking"]["id"]
    assert rpc.bookings.create_booking(wednesday, actors[0], key) == mine
    with pytest.raises(IdempotencyKeyReused):
        rpc.bookings.create_booking(thursday, actors[0], key)


def test_an_account_whose_booking_was_never_made_is_discarded_after_the_timeout(
    rpc, containers, subscribers, clock, bookings_engine, admin
):
    """What a bookings instance that died after registering leaves: an open registration and
    its account. The timer gives the registration up and the account goes."""
    form = coachee_form(subscribers["roster"]["id"])
    key = unique("registration-")
    with bookings_engine.begin() as connection:
        connection.execute(
            text("INSERT INTO registrations VALUES (:key, 'open', :now, NULL)"),
            {"key": key, "now": clock.now()},
        )
    rpc.accounts.register_coachee(form, key)

    clock.advance(TIMEOUT - timedelta(seconds=1))
    run_now(containers["bookings"], "settle_registrations")
    assert len(rpc.accounts.search_coachees(form["email"], admin)["items"]) == 1

    clock.advance(timedelta(seconds=2))
    run_now(containers["bookings"], "settle_registrations")

    assert rpc.accounts.search_coachees(form["email"], admin)["items"] == []
    assert open_registrations(bookings_engine) == 0


def test_a_failed_first_booking_makes_no_account(rpc, catalogue, subscribers, admin):
    roster = subscribers["roster"]["id"]
    rpc.bookings.create_booking(booking_request(catalogue, TUESDAY_9, coachee_form(roster)))
    loser = coachee_form(roster)
    with pytest.raises(SlotTaken):
        rpc.bookings.create_booking(booking_request(catalogue, TUESDAY_9, loser))
    assert rpc.accounts.search_coachees(loser["email"], admin)["items"] == []


def test_a_booked_registration_is_never_discarded(rpc, containers, catalogue, subscribers, clock):
    answer = rpc.bookings.create_booking(
        booking_request(catalogue, TUESDAY_9, coachee_form(subscribers["roster"]["id"]))
    )
    clock.advance(TIMEOUT * 2)
    run_now(containers["bookings"], "settle_registrations")

    account = rpc.accounts.get_account(answer["booking"]["coachee_id"], None)
    assert account["username"] == answer["username"]


def refusals_audited(engine, action: str) -> int:
    with engine.connect() as connection:
        query = "SELECT count(*) FROM outbox WHERE payload->>'action' = :action"
        return connection.execute(text(query), {"action": action}).scalar_one()


def test_a_repeat_gets_its_answer_after_the_member_left_the_roster_and_a_new_request_is_refused(
    rpc, catalogue, subscribers, admin, bookings_engine
):
    roster = subscribers["roster"]["id"]
    first = rpc.bookings.create_booking(booking_request(catalogue, TUESDAY_9, coachee_form(roster)))
    actor = logged_in_actor(rpc, first)
    request, key = booking_request(catalogue, TUESDAY_11), unique("key-")
    booked = rpc.bookings.create_booking(request, actor, key)
    rpc.billing.replace_roster(roster, "member_number\nM-2\n", admin)
    audited_before = refusals_audited(bookings_engine, "booking_refused_not_eligible")

    assert rpc.bookings.create_booking(request, actor, key) == booked
    assert refusals_audited(bookings_engine, "booking_refused_not_eligible") == audited_before
    with pytest.raises(NotEligible):
        rpc.bookings.create_booking(booking_request(catalogue, WEDNESDAY_9), actor, unique("key-"))
    assert refusals_audited(bookings_engine, "booking_refused_not_eligible") == audited_before + 1
