"""Every change to what `resolve_session` answers for an account's sessions writes a
`sessions_changed` event (ids only) to accounts' outbox, in the transaction of the change."""

import uuid

import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.pool import NullPool

from services.contracts.accounts import SESSIONS_CHANGED
from services.contracts.errors import InvalidInput
from services.infra.tables import outbox
from tests.accounts.conftest import PASSWORD, log_in, unique
from tests.accounts.test_password_resets_through_broker import mailed_token

NEW_PASSWORD = "Talven-Ensilumi-Sataa-4"


@pytest.fixture
def announcements(service_databases):
    """`announcements(account_id)`: the `sessions_changed` payloads written for the account."""
    engine = create_engine(service_databases["accounts"], poolclass=NullPool)

    def of(account_id) -> list[dict]:
        query = select(outbox.c.payload).where(
            outbox.c.event_type == SESSIONS_CHANGED,
            outbox.c.payload["account_id"].astext == str(account_id),
        )
        with engine.connect() as connection:
            return list(connection.execute(query.order_by(outbox.c.id)).scalars())

    yield of
    engine.dispose()


@pytest.fixture
def coachee(accounts, registration):
    created = accounts.register_coachee(registration)
    return {
        **created,
        "email": registration["email"].lower(),
        "actor": {"account_id": created["account_id"], "role": "coachee"},
    }


def test_the_event_carries_the_account_and_an_event_id_only(accounts, coachee, announcements):
    token = log_in(accounts, coachee["username"])["token"]

    accounts.log_out(token)

    (payload,) = announcements(coachee["account_id"])
    assert set(payload) == {"account_id", "event_id"}
    assert uuid.UUID(payload["event_id"])


def test_logging_out_an_ended_or_unknown_session_announces_nothing(
    accounts, coachee, announcements
):
    token = log_in(accounts, coachee["username"])["token"]
    accounts.log_out(token)

    accounts.log_out(token)
    accounts.log_out("never-issued")

    assert len(announcements(coachee["account_id"])) == 1


def test_a_password_change_announces(accounts, coachee, announcements):
    accounts.change_password(coachee["account_id"], PASSWORD, NEW_PASSWORD)

    assert len(announcements(coachee["account_id"])) == 1


def test_a_refused_password_change_announces_nothing(accounts, coachee, announcements):
    with pytest.raises(InvalidInput):
        accounts.change_password(coachee["account_id"], PASSWORD, "password123")

    assert announcements(coachee["account_id"]) == []


def test_a_password_reset_announces(
    accounts, accounts_container, smtp_sink, coachee, announcements
):
    token = mailed_token(
        accounts, accounts_container, smtp_sink, coachee["username"], coachee["email"]
    )

    accounts.reset_password({"token": token, "password": NEW_PASSWORD})

    assert len(announcements(coachee["account_id"])) == 1


def test_disabling_and_enabling_each_announce(accounts, coachee, admin, announcements):
    accounts.set_disabled(coachee["account_id"], {"disabled": True}, admin)
    accounts.set_disabled(coachee["account_id"], {"disabled": False}, admin)

    assert len(announcements(coachee["account_id"])) == 2


def test_the_erasure_sagas_disabling_and_the_erasure_each_announce(
    accounts, coachee, announcements
):
    accounts.disable_login(coachee["account_id"])
    assert len(announcements(coachee["account_id"])) == 1

    accounts.erase_personal_data(coachee["account_id"], str(uuid.uuid4()))
    assert len(announcements(coachee["account_id"])) == 2


def test_an_erasure_dry_run_rolls_its_announcement_back_with_everything_else(
    accounts, coachee, announcements
):
    accounts.erase_personal_data(coachee["account_id"], str(uuid.uuid4()), True)

    assert announcements(coachee["account_id"]) == []


@pytest.mark.parametrize(
    ("changes", "announced"),
    [({"name": "Maija Uusi-Nimi"}, 1), ({"phone": "050 765 4321"}, 0)],
    ids=["name", "phone-only"],
)
def test_a_profile_change_announces_when_it_touches_the_principal(
    accounts, coachee, announcements, changes, announced
):
    accounts.update_account(coachee["account_id"], changes, coachee["actor"])

    assert len(announcements(coachee["account_id"])) == announced


def test_a_staff_role_change_announces_and_an_email_change_does_not(accounts, admin, announcements):
    staff = {"username": unique("coach"), "role": "coach", "name": "Kaisa", "email": "k@e.fi"}
    coach = accounts.create_staff(staff, admin)["account"]

    accounts.update_staff(coach["id"], {"email": "kaisa@e.fi"}, admin)
    assert announcements(coach["id"]) == []

    accounts.update_staff(coach["id"], {"role": "privacy"}, admin)
    assert len(announcements(coach["id"])) == 1
