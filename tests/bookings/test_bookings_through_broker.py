"""Bookings over RPC with the real accounts and billing services, broker and database."""

import uuid
from datetime import datetime, timedelta

import eventlet
import pytest
from nameko.standalone.rpc import ClusterRpcProxy

from services.contracts.bookings import NotEligible, SlotTaken, TooLate
from services.contracts.errors import InvalidInput, NotFound
from tests.bookings.conftest import (
    add_coach,
    booking_request,
    coachee_form,
    logged_in_actor,
    unique,
)
from tests.conftest import run_now

TUESDAY_9 = "2027-03-02T09:00:00+02:00"
TUESDAY_10 = "2027-03-02T10:00:00+02:00"


def test_slots_are_in_helsinki_time_after_the_minimum_notice(rpc, catalogue):
    slots = rpc.bookings.find_slots(
        {"service_id": catalogue["service"]["id"], "from": "2027-03-01", "to": "2027-03-02"}
    )["items"]

    assert slots[0]["starts_at"] == "2027-03-02T08:00:00+02:00"
    assert slots[0]["coach_name"] == "Kaisa Valmentaja"
    assert slots[-1]["starts_at"] == "2027-03-02T15:00:00+02:00"
    assert all(slot["starts_at"].startswith("2027-03-02") for slot in slots)


def tuesday_slots(rpc, catalogue) -> dict[str, dict]:
    """Tuesday 2 March 2027's slots for any coach, by start."""
    query = {"service_id": catalogue["service"]["id"], "from": "2027-03-02", "to": "2027-03-02"}
    return {slot["starts_at"]: slot for slot in rpc.bookings.find_slots(query)["items"]}


def test_any_coach_slots_name_the_first_free_coach_and_count_the_free_ones(
    rpc, admin, catalogue, subscribers
):
    aino = add_coach(rpc, admin, catalogue["service"]["id"], name="Aino Valmentaja")
    coachee = coachee_form(subscribers["roster"]["id"])
    rpc.bookings.create_booking(booking_request(catalogue, TUESDAY_9, coachee, coach_id=aino["id"]))

    slots = tuesday_slots(rpc, catalogue)

    assert slots["2027-03-02T11:00:00+02:00"] == {
        "starts_at": "2027-03-02T11:00:00+02:00",
        "ends_at": "2027-03-02T12:00:00+02:00",
        "coach_id": aino["id"],
        "coach_name": "Aino Valmentaja",
        "free_coaches": 2,
    }
    assert slots[TUESDAY_9]["coach_id"] == catalogue["coach"]["id"]
    assert slots[TUESDAY_9]["free_coaches"] == 1


def test_a_booking_without_a_coach_takes_the_first_free_one_and_the_count_drops(
    rpc, admin, catalogue, subscribers
):
    aino = add_coach(rpc, admin, catalogue["service"]["id"], name="Aino Valmentaja")
    coachee = coachee_form(subscribers["roster"]["id"])

    answer = rpc.bookings.create_booking(
        booking_request(catalogue, TUESDAY_9, coachee, coach_id=None)
    )

    assert answer["booking"]["coach_id"] == aino["id"]
    slot = tuesday_slots(rpc, catalogue)[TUESDAY_9]
    assert (slot["coach_name"], slot["free_coaches"]) == ("Kaisa Valmentaja", 1)


@pytest.mark.parametrize(
    ("first_day", "last_day"),
    [("2027-03-01", "2027-05-02"), ("2027-03-02", "2027-03-01")],
)
def test_a_slot_search_over_62_days_or_backwards_is_refused_naming_to(
    rpc, catalogue, first_day, last_day
):
    query = {"service_id": catalogue["service"]["id"], "from": first_day, "to": last_day}

    with pytest.raises(InvalidInput) as refused:
        rpc.bookings.find_slots(query)

    assert list(refused.value.fields) == ["to"]


def test_a_slot_search_of_exactly_62_days_is_answered(rpc, catalogue):
    query = {"service_id": catalogue["service"]["id"], "from": "2027-03-01", "to": "2027-05-01"}

    slots = rpc.bookings.find_slots(query)["items"]

    assert slots[-1]["starts_at"] == "2027-04-30T15:00:00+03:00"


def test_first_booking_creates_the_username_and_confirms(rpc, catalogue, subscribers):
    answer = rpc.bookings.create_booking(
        booking_request(catalogue, TUESDAY_9, coachee_form(subscribers["roster"]["id"]))
    )

    assert answer["booking"]["status"] == "confirmed"
    assert answer["booking"]["eligibility_rule"] == "roster"
    account = rpc.accounts.get_account(answer["booking"]["coachee_id"], None)
    assert account["username"] == answer["username"]


def test_a_booking_keeps_the_members_name_subscriber_and_number_for_billing(
    rpc, catalogue, subscribers
):
    """A first booking takes them from the form, a logged-in one from the actor the gateway
    made of the session (no RPC to accounts); erasure empties the name and the number."""
    roster = subscribers["roster"]["id"]
    form = coachee_form(roster)
    first = rpc.bookings.create_booking(booking_request(catalogue, TUESDAY_9, form))
    actor = logged_in_actor(rpc, first)
    again = rpc.bookings.create_booking(
        booking_request(catalogue, "2027-03-03T09:00:00+02:00"), actor
    )

    member = (form["name"], roster, form["member_number"])
    unknown = str(uuid.uuid4())
    asked = [first["booking"]["id"], unknown, again["booking"]["id"]]
    snapshots = rpc.bookings.get_billing_snapshots(asked)
    assert {s["booking_id"] for s in snapshots} == {first["booking"]["id"], again["booking"]["id"]}
    for snapshot in [*snapshots, rpc.bookings.get_billing_snapshot(first["booking"]["id"])]:
        assert (
            snapshot["member_name"],
            snapshot["subscriber_id"],
            snapshot["member_number"],
        ) == member
    exported = rpc.bookings.export_personal_data(first["booking"]["coachee_id"])["items"]
    assert {item["data"]["member_name"] for item in exported} == {form["name"]}
    rpc.bookings.erase_personal_data(first["booking"]["coachee_id"], str(uuid.uuid4()))
    erased = rpc.bookings.get_billing_snapshot(first["booking"]["id"])
    assert (erased["member_name"], erased["member_number"]) == (None, None)


def test_a_booked_slot_and_its_buffer_are_refused(rpc, catalogue, subscribers):
    roster = subscribers["roster"]["id"]
    rpc.bookings.create_booking(booking_request(catalogue, TUESDAY_9, coachee_form(roster)))

    with pytest.raises(SlotTaken):
        rpc.bookings.create_booking(booking_request(catalogue, TUESDAY_9, coachee_form(roster)))
    with pytest.raises(SlotTaken):
        rpc.bookings.create_booking(booking_request(catalogue, TUESDAY_10, coachee_form(roster)))


def test_retry_with_the_same_key_returns_the_same_booking(rpc, catalogue, subscribers):
    request = booking_request(catalogue, TUESDAY_9, coachee_form(subscribers["roster"]["id"]))
    key = unique("key-")

    first = rpc.bookings.create_booking(request, None, key)
    again = rpc.bookings.create_booking(request, None, key)

    assert again == first
    assert "username" in first


def test_not_eligible_member_is_refused_and_leaves_no_account(rpc, catalogue, subscribers, admin):
    form = coachee_form(subscribers["roster"]["id"], member_number=unique("X-"))

    with pytest.raises(NotEligible):
        rpc.bookings.create_booking(booking_request(catalogue, TUESDAY_9, form))

    assert rpc.accounts.search_coachees(form["member_number"], admin)["items"] == []
    listed = rpc.bookings.list_bookings(admin, {"from": "2027-03-02T00:00:00+02:00"})["items"]
    assert TUESDAY_9 not in [
        b["starts_at"] for b in listed if b["coach_id"] == catalogue["coach"]["id"]
    ]


def test_bookings_are_listed_by_coach_and_a_coach_sees_only_their_own(
    rpc, admin, catalogue, subscribers
):
    aino = add_coach(rpc, admin, catalogue["service"]["id"], name="Aino Valmentaja")
    coachee = coachee_form(subscribers["roster"]["id"])
    kaisa = catalogue["coach"]
    rpc.bookings.create_booking(
        booking_request(catalogue, TUESDAY_9, coachee, coach_id=kaisa["id"])
    )
    rpc.bookings.create_booking(booking_request(catalogue, TUESDAY_9, coachee, coach_id=aino["id"]))
    tuesday = {"from": "2027-03-02T00:00:00+02:00", "to": "2027-03-03T00:00:00+02:00"}

    by_aino = rpc.bookings.list_bookings(admin, {**tuesday, "coach_id": aino["id"]})["items"]
    asked_of_kaisa = rpc.bookings.list_bookings(kaisa["actor"], {"coach_id": aino["id"]})

    assert [booking["coach_id"] for booking in by_aino] == [aino["id"]]
    assert asked_of_kaisa["items"] == []


def test_personal_identity_code_in_the_message_is_refused(rpc, catalogue, subscribers):
    form = coachee_form(subscribers["roster"]["id"])
    with pytest.raises(InvalidInput) as caught:
        rpc.bookings.create_booking(
            booking_request(catalogue, TUESDAY_9, form, message="hetu 131052-308T")
        )
    assert "message" in caught.value.fields


def test_manual_eligibility_holds_the_slot_until_an_admin_approves(
    rpc, catalogue, subscribers, admin
):
    answer = rpc.bookings.create_booking(
        booking_request(catalogue, TUESDAY_9, coachee_form(subscribers["manual"]["id"]))
    )
    booking = answer["booking"]
    assert booking["status"] == "pending_eligibility"
    with pytest.raises(SlotTaken):
        rpc.bookings.create_booking(
            booking_request(catalogue, TUESDAY_9, coachee_form(subscribers["roster"]["id"]))
        )

    approved = rpc.bookings.decide_eligibility(booking["id"], True, admin)
    assert approved["status"] == "confirmed"


def test_an_undecided_hold_expires_and_frees_the_slot(
    rpc, catalogue, subscribers, clock, containers
):
    first = rpc.bookings.create_booking(
        booking_request(
            catalogue, "2027-03-05T09:00:00+02:00", coachee_form(subscribers["manual"]["id"])
        )
    )["booking"]
    clock.advance(timedelta(hours=73))

    run_now(containers["bookings"], "release_expired_holds")

    again = rpc.bookings.create_booking(
        booking_request(
            catalogue, "2027-03-05T09:00:00+02:00", coachee_form(subscribers["roster"]["id"])
        )
    )["booking"]
    assert again["status"] == "confirmed"
    assert first["id"] != again["id"]


def test_coachee_may_cancel_only_until_24_hours_before(rpc, catalogue, subscribers):
    form = coachee_form(subscribers["roster"]["id"])
    first = rpc.bookings.create_booking(
        booking_request(catalogue, "2027-03-03T09:00:00+02:00", form)
    )
    in_two_days = first["booking"]
    coachee = logged_in_actor(rpc, first)
    tomorrow = rpc.bookings.create_booking(booking_request(catalogue, TUESDAY_9), coachee)[
        "booking"
    ]

    with pytest.raises(TooLate):
        rpc.bookings.cancel_booking(tomorrow["id"], coachee)
    cancelled_by_coach = rpc.bookings.cancel_booking(tomorrow["id"], catalogue["coach"]["actor"])
    assert cancelled_by_coach["status"] == "cancelled"
    assert rpc.bookings.cancel_booking(in_two_days["id"], coachee)["status"] == "cancelled"


def test_reschedule_moves_the_booking_and_frees_the_old_time(rpc, catalogue, subscribers):
    form = coachee_form(subscribers["roster"]["id"])
    booking = rpc.bookings.create_booking(
        booking_request(catalogue, "2027-03-04T09:00:00+02:00", form)
    )["booking"]
    coachee = {"account_id": booking["coachee_id"], "role": "coachee"}

    moved = rpc.bookings.reschedule_booking(
        booking["id"], {"starts_at": "2027-03-04T13:00:00+02:00"}, coachee
    )

    assert moved["starts_at"] == "2027-03-04T11:00:00+00:00"
    again = rpc.bookings.create_booking(
        booking_request(catalogue, "2027-03-04T09:00:00+02:00", coachee_form(form["subscriber_id"]))
    )
    assert again["booking"]["status"] == "confirmed"


def test_notes_are_for_the_assigned_coach_and_admins_only(rpc, catalogue, subscribers, admin):
    from tests.bookings.conftest import add_coach

    booking = rpc.bookings.create_booking(
        booking_request(catalogue, TUESDAY_9, coachee_form(subscribers["roster"]["id"]))
    )["booking"]
    coach = catalogue["coach"]["actor"]
    other_coach = add_coach(rpc, admin, catalogue["service"]["id"], "Olli Ohjaaja")["actor"]
    coachee = {"account_id": booking["coachee_id"], "role": "coachee"}

    rpc.bookings.add_note(booking["id"], {"body": "Tavoite: CV valmiiksi."}, coach)

    assert [n["body"] for n in rpc.bookings.list_notes(booking["id"], admin)["items"]] == [
        "Tavoite: CV valmiiksi."
    ]
    for outsider in (other_coach, coachee):
        with pytest.raises(NotFound):
            rpc.bookings.list_notes(booking["id"], outsider)
    with pytest.raises(NotFound):
        rpc.bookings.get_booking(booking["id"], other_coach)


def test_fifty_concurrent_requests_for_one_slot_book_it_once(
    rpc, catalogue, subscribers, service_config
):
    roster = subscribers["roster"]["id"]
    request = booking_request(catalogue, "2027-03-08T09:00:00+02:00")

    def attempt(_):
        with ClusterRpcProxy(service_config("bookings"), timeout=60) as own:
            try:
                own.bookings.create_booking(dict(request, coachee=coachee_form(roster)))
                return "booked"
            except SlotTaken:
                return "taken"

    outcomes = list(eventlet.GreenPool(50).imap(attempt, range(50)))

    assert outcomes.count("booked") == 1
    assert outcomes.count("taken") == 49


def test_concurrent_bookings_each_get_their_own_members_eligibility(
    rpc, catalogue, subscribers, service_config
):
    """Bookings checking eligibility at the same time share calls to billing; each booking still
    gets the answer for its own member: M-1 and M-2 are on the roster, the others are not."""
    roster = subscribers["roster"]["id"]
    members = ["M-1", "X-1", "M-2", "X-2", "X-3", "M-1", "X-4", "M-2", "X-5", "M-1"]
    monday = datetime.fromisoformat("2027-03-08T08:00:00+02:00")

    def attempt(n):
        starts_at = (monday + timedelta(days=n // 5, hours=n % 5)).isoformat()
        form = coachee_form(roster, member_number=members[n])
        with ClusterRpcProxy(service_config("bookings"), timeout=60) as own:
            try:
                own.bookings.create_booking(booking_request(catalogue, starts_at, form))
                return "booked"
            except NotEligible:
                return "not eligible"

    outcomes = list(eventlet.GreenPool(len(members)).imap(attempt, range(len(members))))

    expected = ["booked" if member.startswith("M-") else "not eligible" for member in members]
    assert outcomes == expected


@pytest.mark.parametrize(
    ("now", "day", "first_slot"),
    [
        ("2027-03-25T08:00:00+00:00", "2027-03-26", "2027-03-26T08:00:00+02:00"),
        ("2027-03-25T08:00:00+00:00", "2027-03-29", "2027-03-29T08:00:00+03:00"),
        ("2027-10-28T08:00:00+00:00", "2027-10-29", "2027-10-29T08:00:00+03:00"),
        ("2027-10-28T08:00:00+00:00", "2027-11-01", "2027-11-01T08:00:00+02:00"),
    ],
)
def test_slots_keep_helsinki_wall_time_across_daylight_saving_changes(
    rpc, catalogue, clock, now, day, first_slot
):
    clock.set(datetime.fromisoformat(now))

    slots = rpc.bookings.find_slots(
        {"service_id": catalogue["service"]["id"], "from": day, "to": day}
    )["items"]

    assert slots[0]["starts_at"] == first_slot
    assert len(slots) == 15


@pytest.mark.parametrize("asked", [[], ["not-an-id"], [str(uuid.uuid4())] * 101, "kirja"])
def test_snapshots_are_asked_for_by_1_to_100_booking_ids(rpc, asked):
    with pytest.raises(InvalidInput) as refused:
        rpc.bookings.get_billing_snapshots(asked)
    assert "booking_ids" in refused.value.fields


def test_an_unknown_or_malformed_booking_has_no_snapshot(rpc):
    for booking_id in (str(uuid.uuid4()), "kirja"):
        with pytest.raises(NotFound):
            rpc.bookings.get_billing_snapshot(booking_id)
