"""The accounts service over RPC on the real broker and database."""

import uuid
from datetime import timedelta

import pytest
from sqlalchemy import create_engine, func, select
from sqlalchemy.pool import NullPool

from services.contracts.accounts import ERASURE_REQUESTED
from services.contracts.errors import (
    Conflict,
    Forbidden,
    InvalidInput,
    NotFound,
    Throttled,
    Unauthenticated,
)
from services.infra.tables import outbox
from tests.accounts.conftest import PASSWORD, log_in, unique


def test_registration_normalises_details_and_gives_a_username(accounts, registration):
    created = accounts.register_coachee(registration)

    account = accounts.get_account(created["account_id"], None)
    assert account["username"] == created["username"]
    assert account["role"] == "coachee"
    assert account["phone"] == "+358401234567"
    assert account["email"].endswith("@example.fi")
    assert "password" not in account and "password_hash" not in account


def test_registration_with_an_identity_code_is_refused_naming_the_field(accounts, registration):
    with pytest.raises(InvalidInput) as caught:
        accounts.register_coachee(dict(registration, member_number="131052-308T"))
    assert "henkilötunnus" in caught.value.fields["member_number"][0]


def test_registration_retried_with_the_same_key_returns_the_same_account(accounts, registration):
    key = str(uuid.uuid4())
    first = accounts.register_coachee(registration, key)
    assert accounts.register_coachee(registration, key) == first


def test_concurrent_registrations_with_the_same_key_make_one_account(accounts, registration):
    key = str(uuid.uuid4())
    racing = [accounts.register_coachee.call_async(registration, key) for _ in range(4)]
    answers = [reply.result() for reply in racing]
    assert all(answer == answers[0] for answer in answers)


def test_discarded_registration_leaves_no_account(accounts, registration):
    key = str(uuid.uuid4())
    created = accounts.register_coachee(registration, key)
    accounts.discard_registration(key)
    accounts.discard_registration(key)
    with pytest.raises(NotFound):
        accounts.get_account(created["account_id"], None)


def test_login_session_lasts_48_hours(accounts, registration, clock):
    username = accounts.register_coachee(registration)["username"]
    token = log_in(accounts, username)["token"]

    clock.advance(timedelta(hours=48) - timedelta(seconds=1))
    assert accounts.resolve_session(token)["username"] == username
    clock.advance(timedelta(seconds=2))
    with pytest.raises(Unauthenticated):
        accounts.resolve_session(token)


def test_remember_me_session_lasts_14_days(accounts, registration, clock):
    username = accounts.register_coachee(registration)["username"]
    token = log_in(accounts, username, remember_me=True)["token"]

    clock.advance(timedelta(days=14) - timedelta(seconds=1))
    assert accounts.resolve_session(token)["username"] == username
    clock.advance(timedelta(seconds=2))
    with pytest.raises(Unauthenticated):
        accounts.resolve_session(token)


def test_every_login_gets_a_new_token_and_logout_revokes_only_its_own(accounts, registration):
    username = accounts.register_coachee(registration)["username"]
    first = log_in(accounts, username)
    second = log_in(accounts, username)
    assert first["token"] != second["token"]
    assert first["principal"]["csrf_token"] != second["principal"]["csrf_token"]

    accounts.log_out(first["token"])

    with pytest.raises(Unauthenticated):
        accounts.resolve_session(first["token"])
    assert accounts.resolve_session(second["token"])["username"] == username


def test_wrong_password_and_unknown_user_get_the_same_answer(accounts, registration):
    username = accounts.register_coachee(registration)["username"]
    with pytest.raises(Unauthenticated) as wrong_password:
        log_in(accounts, username, password="väärä-salasana-1")
    with pytest.raises(Unauthenticated) as unknown_user:
        log_in(accounts, unique("nobody"))
    assert wrong_password.value.message == unknown_user.value.message


def test_failed_logins_are_throttled_per_account_then_released(accounts, registration, clock):
    username = accounts.register_coachee(registration)["username"]
    for _ in range(3):
        with pytest.raises(Unauthenticated):
            log_in(accounts, username, password="väärä-salasana-1")

    with pytest.raises(Throttled) as caught:
        log_in(accounts, username)
    assert 0 < caught.value.retry_after <= 15 * 60

    clock.advance(timedelta(minutes=15, seconds=1))
    assert log_in(accounts, username)["principal"]["username"] == username


def test_failed_logins_are_throttled_per_client_address(accounts):
    address = unique("10.2.")
    for _ in range(3):
        with pytest.raises(Unauthenticated):
            log_in(accounts, unique("nobody"), address=address)
    with pytest.raises(Throttled):
        log_in(accounts, unique("somebody"), address=address)


def test_password_change_ends_every_session(accounts, registration):
    created = accounts.register_coachee(registration)
    tokens = [log_in(accounts, created["username"])["token"] for _ in range(2)]

    accounts.change_password(created["account_id"], PASSWORD, "uusi-pitkä-salasana-9")

    for token in tokens:
        with pytest.raises(Unauthenticated):
            accounts.resolve_session(token)
    assert log_in(accounts, created["username"], password="uusi-pitkä-salasana-9")["token"]


def test_password_change_refuses_a_common_password(accounts, registration):
    created = accounts.register_coachee(registration)
    with pytest.raises(InvalidInput) as caught:
        accounts.change_password(created["account_id"], PASSWORD, "password123")
    assert "new_password" in caught.value.fields


def test_username_cannot_be_changed(accounts, registration):
    created = accounts.register_coachee(registration)
    actor = {"account_id": created["account_id"], "role": "coachee"}
    with pytest.raises(InvalidInput) as caught:
        accounts.update_account(created["account_id"], {"username": "uusi"}, actor)
    assert caught.value.fields == {"username": ["The username cannot be changed."]}


def test_coachee_edits_own_details_but_cannot_see_another(accounts, registration):
    me = accounts.register_coachee(registration)
    other = accounts.register_coachee(dict(registration, email=f"{unique('o')}@example.fi"))
    actor = {"account_id": me["account_id"], "role": "coachee"}

    updated = accounts.update_account(me["account_id"], {"phone": "050 765 4321"}, actor)
    assert updated["phone"] == "+358507654321"
    with pytest.raises(NotFound):
        accounts.get_account(other["account_id"], actor)
    with pytest.raises(NotFound):
        accounts.update_account(other["account_id"], {"name": "X"}, actor)


def test_temporary_disabling_ends_sessions_and_ends_by_itself(accounts, registration, admin, clock):
    created = accounts.register_coachee(registration)
    token = log_in(accounts, created["username"])["token"]
    until = (clock.now() + timedelta(days=1)).isoformat()

    accounts.set_disabled(created["account_id"], {"disabled": True, "until": until}, admin)

    with pytest.raises(Unauthenticated):
        accounts.resolve_session(token)
    with pytest.raises(Unauthenticated):
        log_in(accounts, created["username"])
    clock.advance(timedelta(days=1, seconds=1))
    assert log_in(accounts, created["username"])["token"]


def test_permanent_disabling_lasts_until_an_admin_enables(accounts, registration, admin, clock):
    created = accounts.register_coachee(registration)
    accounts.set_disabled(created["account_id"], {"disabled": True}, admin)
    clock.advance(timedelta(days=365))
    with pytest.raises(Unauthenticated):
        log_in(accounts, created["username"])

    accounts.set_disabled(created["account_id"], {"disabled": False}, admin)
    assert log_in(accounts, created["username"])["token"]


def test_only_admins_manage_staff(accounts, registration, admin):
    coachee = accounts.register_coachee(registration)
    actor = {"account_id": coachee["account_id"], "role": "coachee"}
    staff = {"username": unique("coach"), "role": "coach", "name": "Kaisa", "email": "k@e.fi"}

    with pytest.raises(Forbidden):
        accounts.create_staff(staff, actor)
    created = accounts.create_staff(staff, admin)

    assert created["account"]["role"] == "coach"
    assert log_in(accounts, staff["username"], password=created["initial_password"])["token"]
    with pytest.raises(Conflict):
        accounts.create_staff(staff, admin)


def test_staff_created_at_once_under_one_username_make_one_account_and_conflicts(accounts, admin):
    staff = {"username": unique("coach"), "role": "coach", "name": "Kaisa", "email": "k@e.fi"}
    racing = [accounts.create_staff.call_async(staff, admin) for _ in range(4)]

    outcomes = []
    for reply in racing:
        try:
            outcomes.append(reply.result()["account"]["username"])
        except Conflict as refused:
            outcomes.append(refused.fields)
    assert outcomes.count(staff["username"]) == 1
    assert outcomes.count({"username": ["This username is taken."]}) == 3


def every_staff_account(accounts) -> list[dict]:
    """All of them, page by page: other tests share the database and add staff."""
    asker, found, cursor = {"account_id": str(uuid.uuid4()), "role": "admin"}, [], None
    while True:
        page = accounts.list_staff(asker, limit=200, cursor=cursor)
        found += page["items"]
        cursor = page.get("next_cursor")
        if not cursor:
            return found


def test_the_last_active_admin_cannot_be_disabled_or_demoted(accounts):
    lone = [a for a in every_staff_account(accounts) if a["role"] == "admin"]
    only_admin = accounts.create_admin(unique("lone"), "ylläpitäjän-salasana-1")
    actor = {"account_id": only_admin["id"], "role": "admin"}
    for other in lone:
        accounts.set_disabled(other["id"], {"disabled": True}, actor)

    with pytest.raises(Conflict):
        accounts.set_disabled(only_admin["id"], {"disabled": True}, actor)
    with pytest.raises(Conflict):
        accounts.update_staff(only_admin["id"], {"role": "coach"}, actor)

    for other in lone:
        accounts.set_disabled(other["id"], {"disabled": False}, actor)


def test_admin_search_finds_coachees_by_any_detail(accounts, registration, admin):
    created = accounts.register_coachee(registration)
    found = accounts.search_coachees(registration["member_number"], admin)
    assert [item["id"] for item in found["items"]] == [created["account_id"]]
    with pytest.raises(Forbidden):
        accounts.search_coachees("", {"account_id": created["account_id"], "role": "coachee"})


def test_erasure_request_needs_the_password(accounts, registration):
    created = accounts.register_coachee(registration)
    with pytest.raises(Unauthenticated):
        accounts.request_erasure(created["account_id"], "väärä-salasana-1")
    assert accounts.request_erasure(created["account_id"], PASSWORD)["request_id"]


def test_an_erasure_request_sent_twice_is_one_request(accounts, registration, service_databases):
    created = accounts.register_coachee(registration)
    both = [accounts.request_erasure.call_async(created["account_id"], PASSWORD) for _ in range(2)]
    first, second = (call.result() for call in both)

    assert first == second
    assert accounts.request_erasure(created["account_id"], PASSWORD) == first
    engine = create_engine(service_databases["accounts"], poolclass=NullPool)
    announced = select(func.count()).where(
        outbox.c.event_type == ERASURE_REQUESTED,
        outbox.c.payload["account_id"].astext == created["account_id"],
    )
    with engine.connect() as connection:
        assert connection.execute(announced).scalar() == 1
    engine.dispose()


def test_export_holds_the_profile_and_login_sessions(accounts, registration):
    created = accounts.register_coachee(registration)
    log_in(accounts, created["username"])

    export = accounts.export_personal_data(created["account_id"])

    groups = [item["group"] for item in export["items"]]
    assert groups == ["account", "login_sessions"]
    assert export["items"][0]["data"]["member_number"] == registration["member_number"]
    assert export["done"] is True


def test_erasure_dry_run_changes_nothing_and_erasure_is_idempotent(accounts, registration):
    created = accounts.register_coachee(registration)
    token = log_in(accounts, created["username"])["token"]
    request_id = str(uuid.uuid4())

    preview = accounts.erase_personal_data(created["account_id"], request_id, True)
    assert accounts.resolve_session(token)["username"] == created["username"]

    result = accounts.erase_personal_data(created["account_id"], request_id)
    assert result == preview
    assert result["items_anonymised"] == 1 and result["items_retained"] == 1
    assert accounts.erase_personal_data(created["account_id"], request_id) == result

    with pytest.raises(Unauthenticated):
        accounts.resolve_session(token)
    export = accounts.export_personal_data(created["account_id"])
    assert export["items"][0]["data"]["name"] is None
    assert export["items"][0]["data"]["username"] == created["username"]


def test_contacts_are_the_name_and_address_of_each_account_still_there(accounts, registration):
    kept = accounts.register_coachee(registration)
    other = dict(registration, email=f"{unique('matti')}@example.fi", name="Matti Meikäläinen")
    also_kept = accounts.register_coachee(other)
    erased = accounts.register_coachee(dict(registration, email=f"{unique('e')}@example.fi"))
    accounts.erase_personal_data(erased["account_id"], str(uuid.uuid4()))
    asked = [kept["account_id"], erased["account_id"], str(uuid.uuid4()), also_kept["account_id"]]

    contacts = sorted(accounts.get_contacts(asked), key=lambda contact: contact["name"])

    assert contacts == [
        {
            "id": kept["account_id"],
            "name": "Maija Meikäläinen",
            "email": registration["email"].lower(),
        },
        {"id": also_kept["account_id"], "name": "Matti Meikäläinen", "email": other["email"]},
    ]
    assert accounts.get_contacts([]) == []


def test_contacts_are_asked_for_with_account_ids(accounts):
    with pytest.raises(InvalidInput) as caught:
        accounts.get_contacts(["not-an-id"])
    assert "account_ids" in caught.value.fields
    with pytest.raises(InvalidInput):
        accounts.get_contacts("not a list")


def test_admin_edits_staff_only_through_the_staff_operation(accounts, admin):
    staff = {"username": unique("coach"), "role": "coach", "name": "Kaisa", "email": "k@e.fi"}
    coach = accounts.create_staff(staff, admin)["account"]

    with pytest.raises(NotFound):
        accounts.update_account(coach["id"], {"name": "Someone Else"}, admin)
    assert accounts.update_staff(coach["id"], {"name": "Kaisa K."}, admin)["name"] == "Kaisa K."
