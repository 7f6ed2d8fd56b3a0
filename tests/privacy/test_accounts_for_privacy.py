"""What accounts offers the privacy saga: finding coachees, listing them by age, ending a login,
and confirming a re-entered password."""

import uuid
from datetime import timedelta

import pytest

from services.contracts.errors import NotFound, Throttled, Unauthenticated
from tests.bookings.conftest import coachee_form


def register(rpc) -> dict:
    form = coachee_form(str(uuid.uuid4()))
    registered = rpc.accounts.register_coachee(form)
    return {**registered, "password": form["password"]}


def log_in(rpc, coachee: dict, address: str = "test") -> dict:
    return rpc.accounts.log_in(
        {
            "username": coachee["username"],
            "password": coachee["password"],
            "client_address": address,
        }
    )


def test_coachee_is_found_by_username_but_staff_and_erased_accounts_are_not(rpc, admin):
    coachee = register(rpc)
    found = rpc.accounts.find_coachee(coachee["username"].upper())
    assert found["account_id"] == coachee["account_id"]

    admin_name = rpc.accounts.get_account(admin["account_id"], None)["username"]
    rpc.accounts.erase_personal_data(coachee["account_id"], str(uuid.uuid4()))
    for username in (admin_name, coachee["username"], "eiketaan0000"):
        with pytest.raises(NotFound):
            rpc.accounts.find_coachee(username)


def test_coachees_created_before_an_instant_are_listed_in_pages_without_erased_ones(rpc, clock):
    clock.set(clock.now() - timedelta(days=4000))
    old = [register(rpc) for _ in range(3)]
    clock.set(clock.now() + timedelta(days=10))
    newer = register(rpc)
    rpc.accounts.erase_personal_data(old[0]["account_id"], str(uuid.uuid4()))

    before = (clock.now() - timedelta(days=1)).isoformat()
    seen, cursor = [], None
    while True:
        page = rpc.accounts.coachees_created_before(before, 1, cursor)
        seen += [item["account_id"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break

    assert {c["account_id"] for c in old[1:]} <= set(seen)
    assert old[0]["account_id"] not in seen and newer["account_id"] not in seen
    assert seen == sorted(seen)


def test_disabling_a_login_for_erasure_ends_its_sessions_and_refuses_logins(rpc):
    coachee = register(rpc)
    session = log_in(rpc, coachee)

    first = rpc.accounts.disable_login(coachee["account_id"])
    again = rpc.accounts.disable_login(coachee["account_id"])

    assert first["messages"] == ["The login is disabled for good; 1 open sessions ended."]
    assert again["messages"] == ["The login is disabled for good; 0 open sessions ended."]
    with pytest.raises(Unauthenticated):
        rpc.accounts.resolve_session(session["token"])
    with pytest.raises(Unauthenticated):
        log_in(rpc, coachee, address="another")


def test_confirming_the_password_is_throttled_like_a_login(rpc):
    coachee = register(rpc)
    address = str(uuid.uuid4())

    assert (
        rpc.accounts.confirm_password(coachee["account_id"], coachee["password"], address) is None
    )
    for _ in range(10):
        with pytest.raises(Unauthenticated):
            rpc.accounts.confirm_password(coachee["account_id"], "väärä-salasana", address)
    with pytest.raises(Throttled):
        rpc.accounts.confirm_password(coachee["account_id"], coachee["password"], address)
