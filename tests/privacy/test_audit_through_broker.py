"""The audit log gathers every service's access events append-only; the breach register."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from nameko.standalone.events import event_dispatcher
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import NullPool

from services.contracts.accounts import ACCESS_AUDITED
from services.contracts.errors import Forbidden, InvalidInput
from tests.bookings.conftest import unique
from tests.conftest import wait_for
from tests.privacy.conftest import booked_coachee


def audit_of(rpc, **query) -> list[dict]:
    return rpc.privacy.search_audit_log(query, None)["items"]


def test_logins_and_staff_reads_from_every_service_are_searchable_by_person_and_staff(
    rpc, catalogue, subscribers, privacy_config, admin
):
    coachee = booked_coachee(rpc, catalogue, subscribers["roster"]["id"])
    rpc.accounts.log_in(
        {"username": coachee["username"], "password": coachee["password"], "client_address": "a"}
    )
    rpc.accounts.get_account(coachee["account_id"], admin)
    coach = catalogue["coach"]["actor"]
    rpc.bookings.add_note(coachee["booking_id"], {"body": "Hyvä tapaaminen."}, coach)
    denial = {
        "event_id": str(uuid.uuid4()),
        "actor_id": coach["account_id"],
        "subject_id": None,
        "action": "access_denied",
        "outcome": "denied",
        "method": "GET",
        "route": "/api/staff",
        "occurred_at": datetime.now(UTC).isoformat(),
    }
    event_dispatcher(privacy_config)("gateway", ACCESS_AUDITED, denial)

    about_coachee = wait_for(
        lambda: (
            {(e["source"], e["action"]) for e in audit_of(rpc, subject=coachee["account_id"])}
            >= {("accounts", "login_succeeded"), ("accounts", "profile_read")}
            and audit_of(rpc, subject=coachee["account_id"])
        )
    )
    by_coach = wait_for(
        lambda: (
            len({e["source"] for e in audit_of(rpc, actor=coach["account_id"])}) >= 2
            and audit_of(rpc, actor=coach["account_id"])
        )
    )

    assert {e["actor_id"] for e in about_coachee if e["action"] == "profile_read"} == {
        admin["account_id"]
    }
    sources = {(e["source"], e["action"], e["outcome"]) for e in by_coach}
    assert ("gateway", "access_denied", "denied") in sources
    assert any(source == "bookings" for source, _, _ in sources)
    gateway_entry = next(e for e in by_coach if e["source"] == "gateway")
    assert gateway_entry["detail"] == {"method": "GET", "route": "/api/staff"}


def test_audit_search_by_time_pages_newest_first(rpc, privacy_config):
    actor = str(uuid.uuid4())
    start = datetime(2027, 5, 1, 12, 0, tzinfo=UTC)
    dispatch = event_dispatcher(privacy_config)
    for hour in range(4):
        dispatch(
            "gateway",
            ACCESS_AUDITED,
            {
                "event_id": str(uuid.uuid4()),
                "actor_id": actor,
                "action": f"read_{hour}",
                "outcome": "ok",
                "occurred_at": (start + timedelta(hours=hour)).isoformat(),
            },
        )
    wait_for(lambda: len(audit_of(rpc, actor=actor)) == 4)

    window = {"actor": actor, "from": (start + timedelta(hours=1)).isoformat()}
    window["to"] = (start + timedelta(hours=3)).isoformat()
    first = rpc.privacy.search_audit_log({**window, "limit": 1}, None)
    second = rpc.privacy.search_audit_log(
        {**window, "limit": 1, "cursor": first["next_cursor"]}, None
    )

    assert [e["action"] for e in first["items"] + second["items"]] == ["read_2", "read_1"]
    assert second["next_cursor"] is None


@pytest.mark.parametrize(
    "statement",
    ["UPDATE audit_log SET action = 'nothing'", "DELETE FROM audit_log", "TRUNCATE audit_log"],
)
def test_the_services_own_connection_cannot_change_or_remove_audit_entries(
    rpc, privacy_config, statement
):
    rpc.privacy.register_breach(
        {
            "discovered_at": datetime.now(UTC).isoformat(),
            "description": "Kadonnut muistitikku",
            "personal_data_involved": "Ei tiedossa",
        },
        None,
    )
    engine = create_engine(privacy_config["DATABASE_URL"], poolclass=NullPool)
    with pytest.raises(DBAPIError, match="append-only"), engine.begin() as connection:
        connection.execute(text(statement))
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM audit_log")).scalar_one() > 0
    engine.dispose()


def test_breach_must_be_notified_within_72_hours_and_shows_when_it_is_late(rpc, clock, admin):
    discovered = clock.now() - timedelta(hours=73)
    report = {
        "discovered_at": discovered.isoformat(),
        "description": f"Lähetetty väärälle vastaanottajalle {unique('')}",
        "personal_data_involved": "Yhden valmennettavan nimi ja puhelinnumero",
    }

    breach = rpc.privacy.register_breach(report, admin)

    assert datetime.fromisoformat(breach["notify_by"]) == discovered + timedelta(hours=72)
    assert breach["notification_overdue"] is True
    notified = rpc.privacy.update_breach(
        breach["id"], {"authority_notified_at": clock.now().isoformat(), "closed": True}, admin
    )
    assert notified["notification_overdue"] is False and notified["closed_at"]
    listed = [b["id"] for b in rpc.privacy.list_breaches(None)["items"]]
    assert breach["id"] in listed


def test_breach_register_refuses_future_discoveries_and_people_who_are_not_staff(
    rpc, clock, catalogue
):
    future = {
        "discovered_at": (clock.now() + timedelta(hours=1)).isoformat(),
        "description": "Epäily",
        "personal_data_involved": "Ei tiedossa",
    }
    with pytest.raises(InvalidInput) as caught:
        rpc.privacy.register_breach(future, None)
    assert "discovered_at" in caught.value.fields
    with pytest.raises(Forbidden):
        rpc.privacy.list_breaches(catalogue["coach"]["actor"])
