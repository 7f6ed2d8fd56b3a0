"""A coachee's own requests as `list_subject_requests` answers them: only theirs, newest first,
without staff notes or saga steps."""

from datetime import timedelta

import pytest

from services.contracts.errors import NotFound
from tests.bookings.conftest import booking_request, coachee_form
from tests.privacy.conftest import booked_coachee, completed

TUESDAY_11 = "2027-03-02T11:00:00+02:00"


def another_coachee(rpc, catalogue, subscriber_id: str) -> dict:
    form = coachee_form(subscriber_id, member_number="M-2")
    answer = rpc.bookings.create_booking(booking_request(catalogue, TUESDAY_11, form))
    return {"account_id": answer["booking"]["coachee_id"], "username": answer["username"]}


def test_a_coachee_sees_their_own_requests_newest_first_and_no_one_elses(
    rpc, catalogue, subscribers, clock
):
    coachee = booked_coachee(rpc, catalogue, subscribers["roster"]["id"])
    other = another_coachee(rpc, catalogue, subscribers["roster"]["id"])
    rectification = rpc.privacy.register_request(
        {
            "kind": "rectification",
            "username": coachee["username"],
            "received_at": (clock.now() - timedelta(days=3)).isoformat(),
            "description": "Sähköposti väärin",
        },
        None,
    )
    export = rpc.privacy.request_own_export(coachee["account_id"], coachee["username"])
    others = rpc.privacy.register_request(
        {"kind": "inspection", "username": other["username"]}, None
    )
    completed(rpc, export["id"])

    own = rpc.privacy.list_subject_requests(coachee["account_id"])["items"]

    assert [item["id"] for item in own] == [export["id"], rectification["id"]]
    newest, oldest = own
    assert newest["kind"] == "export" and newest["origin"] == "subject"
    assert newest["status"] == "completed" and newest["result_available"] is True
    assert newest["completed_at"] and newest["result_expires_at"]
    assert oldest["kind"] == "rectification" and oldest["status"] == "open"
    assert oldest["result_available"] is False and oldest["completed_at"] is None
    assert "description" not in oldest and "steps" not in oldest
    assert others["id"] not in {item["id"] for item in own}
    other_own = rpc.privacy.list_subject_requests(other["account_id"])["items"]
    assert [item["id"] for item in other_own] == [others["id"]]


def test_an_own_export_sent_twice_is_one_request_until_it_is_made(rpc, catalogue, subscribers):
    coachee = another_coachee(rpc, catalogue, subscribers["roster"]["id"])
    both = [
        rpc.privacy.request_own_export.call_async(coachee["account_id"], coachee["username"])
        for _ in range(2)
    ]
    first, second = (call.result() for call in both)

    assert first["id"] == second["id"]
    completed(rpc, first["id"])
    later = rpc.privacy.request_own_export(coachee["account_id"], coachee["username"])
    assert later["id"] != first["id"]


def test_an_id_that_is_not_an_account_is_not_found(rpc):
    with pytest.raises(NotFound):
        rpc.privacy.list_subject_requests("not-an-id")
