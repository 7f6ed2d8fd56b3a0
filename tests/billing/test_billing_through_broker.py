"""The billing service over RPC on the real broker and database."""

import uuid
from datetime import timedelta

import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.pool import NullPool

from services.billing.models import roster_members
from services.billing.rosters import member_number_hash
from services.contracts.errors import Conflict, Forbidden, InvalidInput, NotFound
from tests.billing.conftest import ROSTER_MAX_ROWS, unique

COACH = {"account_id": str(uuid.uuid4()), "role": "coach"}
COACHEE = {"account_id": str(uuid.uuid4()), "role": "coachee"}


@pytest.fixture
def roster_subscriber(billing, admin, subscriber_data):
    subscriber = billing.create_subscriber(subscriber_data, admin)
    billing.replace_roster(subscriber["id"], "jäsennumero\n10001\nAB-2002\n", admin)
    return subscriber


def test_admin_creates_a_subscriber_with_normalised_contacts(billing, admin, subscriber_data):
    data = dict(
        subscriber_data, billing_contact_emails=["laskutus@Liitto.FI", "laskutus@liitto.fi"]
    )

    created = billing.create_subscriber(data, admin)

    assert created["name"] == subscriber_data["name"]
    assert created["business_id"] == "0112038-9"
    assert created["billing_contact_emails"] == ["laskutus@liitto.fi"]
    assert created["member_number_in_report"] is True
    assert created["eligibility_method"] == "roster"
    assert created["identifier_label"] == "Jäsennumero"
    assert created["active"] is True
    assert created["roster_members"] == 0
    assert billing.get_subscriber(created["id"]) == created


def test_subscriber_defaults_keep_the_member_number_out_of_reports(billing, admin):
    data = {
        "name": unique("Työnantaja "),
        "business_id": "0737546-2",
        "billing_contact_emails": ["hr@example.fi"],
        "eligibility_method": "manual",
    }
    created = billing.create_subscriber(data, admin)
    assert created["member_number_in_report"] is False
    assert created["identifier_label"] == "Jäsennumero"
    assert created["active"] is True


def test_business_id_with_a_wrong_check_digit_is_refused(billing, admin, subscriber_data):
    with pytest.raises(InvalidInput) as caught:
        billing.create_subscriber(dict(subscriber_data, business_id="0112038-8"), admin)
    assert list(caught.value.fields) == ["business_id"]
    assert "y-tunnus" in caught.value.fields["business_id"][0]


def test_invalid_contact_email_and_unknown_method_are_named(billing, admin, subscriber_data):
    data = dict(subscriber_data, billing_contact_emails=["ei-osoite"], eligibility_method="kysy")
    with pytest.raises(InvalidInput) as caught:
        billing.create_subscriber(data, admin)
    assert set(caught.value.fields) == {"billing_contact_emails", "eligibility_method"}


def test_a_second_subscriber_with_the_same_name_is_a_conflict(billing, admin, subscriber_data):
    billing.create_subscriber(subscriber_data, admin)
    with pytest.raises(Conflict) as caught:
        billing.create_subscriber(dict(subscriber_data, business_id="0737546-2"), admin)
    assert list(caught.value.fields) == ["name"]


def test_admin_updates_a_subscriber_and_the_change_is_dated(billing, admin, subscriber_data, clock):
    created = billing.create_subscriber(subscriber_data, admin)
    clock.advance(timedelta(days=1))

    updated = billing.update_subscriber(
        created["id"],
        {
            "eligibility_method": "manual",
            "member_number_in_report": False,
            "business_id": "2617416-4",
        },
        admin,
    )

    assert updated["eligibility_method"] == "manual"
    assert updated["member_number_in_report"] is False
    assert updated["business_id"] == "2617416-4"
    assert updated["name"] == created["name"]
    assert updated["updated_at"] > created["updated_at"]
    assert billing.get_subscriber(created["id"]) == updated


def test_renaming_to_a_taken_name_is_a_conflict(billing, admin, subscriber_data):
    first = billing.create_subscriber(subscriber_data, admin)
    second = billing.create_subscriber(dict(subscriber_data, name=unique("Toinen ")), admin)
    with pytest.raises(Conflict):
        billing.update_subscriber(second["id"], {"name": first["name"]}, admin)


def test_an_empty_change_is_refused(billing, admin, subscriber_data):
    created = billing.create_subscriber(subscriber_data, admin)
    with pytest.raises(InvalidInput):
        billing.update_subscriber(created["id"], {}, admin)


def test_unknown_subscriber_is_not_found(billing, admin):
    with pytest.raises(NotFound):
        billing.get_subscriber(str(uuid.uuid4()))
    with pytest.raises(NotFound):
        billing.get_subscriber("not-an-id")
    with pytest.raises(NotFound):
        billing.update_subscriber(str(uuid.uuid4()), {"active": False}, admin)


def test_list_pages_through_every_subscriber_by_name(billing, admin, subscriber_data):
    created = {
        billing.create_subscriber(dict(subscriber_data, name=unique("Sivutus ")), admin)["id"]
        for _ in range(3)
    }
    seen, cursor = [], None
    while True:
        page = billing.list_subscribers(admin, limit=2, cursor=cursor)
        seen += page["items"]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    names = [item["name"] for item in seen]
    assert names == sorted(names)
    assert created <= {item["id"] for item in seen}


def test_choices_offer_only_active_subscribers_with_their_label(billing, admin, subscriber_data):
    shown = billing.create_subscriber(
        dict(subscriber_data, identifier_label="Henkilöstönumero"), admin
    )
    hidden = billing.create_subscriber(
        dict(subscriber_data, name=unique("Lopettanut "), active=False), admin
    )

    choices = billing.subscriber_choices()["items"]

    assert {"id": shown["id"], "name": shown["name"], "identifier_label": "Henkilöstönumero"} in (
        choices
    )
    assert hidden["id"] not in {choice["id"] for choice in choices}
    assert all(set(choice) == {"id", "name", "identifier_label"} for choice in choices)


@pytest.mark.parametrize("actor", [COACH, COACHEE, None], ids=["coach", "coachee", "no actor"])
def test_only_admins_manage_subscribers(billing, admin, subscriber_data, actor):
    created = billing.create_subscriber(subscriber_data, admin)
    with pytest.raises(Forbidden):
        billing.create_subscriber(dict(subscriber_data, name=unique("Luvaton ")), actor)
    with pytest.raises(Forbidden):
        billing.update_subscriber(created["id"], {"active": False}, actor)
    with pytest.raises(Forbidden):
        billing.list_subscribers(actor)
    with pytest.raises(Forbidden):
        billing.replace_roster(created["id"], "10001\n", actor)
    assert billing.get_subscriber(created["id"]) == created


def test_member_on_the_roster_is_eligible_however_the_number_is_typed(billing, roster_subscriber):
    answer = billing.check_eligibility(roster_subscriber["id"], " ab-2002 ")
    assert answer["decision"] == "eligible"
    assert answer["rule"] == "roster"


def test_member_not_on_the_roster_is_not_eligible_with_a_reason(billing, roster_subscriber):
    answer = billing.check_eligibility(roster_subscriber["id"], "99999")
    assert answer["decision"] == "not_eligible"
    assert answer["rule"] == "roster"
    assert roster_subscriber["name"] in answer["reason"]


def test_manual_subscriber_answers_pending(billing, admin, subscriber_data):
    created = billing.create_subscriber(dict(subscriber_data, eligibility_method="manual"), admin)
    answer = billing.check_eligibility(created["id"], "10001")
    assert answer["decision"] == "pending"
    assert answer["rule"] == "manual"


def test_eligibility_of_an_unknown_or_inactive_subscriber_is_not_found(
    billing, admin, roster_subscriber
):
    with pytest.raises(NotFound):
        billing.check_eligibility(str(uuid.uuid4()), "10001")
    billing.update_subscriber(roster_subscriber["id"], {"active": False}, admin)
    with pytest.raises(NotFound):
        billing.check_eligibility(roster_subscriber["id"], "10001")


def test_eligibilities_are_answered_in_the_questions_order_with_null_for_no_subscriber(
    billing, admin, roster_subscriber, subscriber_data
):
    inactive = billing.create_subscriber(dict(subscriber_data, name=unique("Lopettanut ")), admin)
    billing.update_subscriber(inactive["id"], {"active": False}, admin)
    roster = roster_subscriber["id"]
    asked = [
        {"subscriber_id": roster, "member_number": "99999"},
        {"subscriber_id": str(uuid.uuid4()), "member_number": "10001"},
        {"subscriber_id": roster, "member_number": " ab-2002 "},
        {"subscriber_id": inactive["id"], "member_number": "10001"},
        {"subscriber_id": roster, "member_number": "99999"},
    ]

    answers = billing.check_eligibilities(asked)

    decisions = [answer and answer["decision"] for answer in answers]
    assert decisions == ["not_eligible", None, "eligible", None, "not_eligible"]
    assert answers[2] == billing.check_eligibility(roster, " ab-2002 ")


@pytest.mark.parametrize("count", [0, 101])
def test_eligibilities_are_asked_1_to_100_at_a_time(billing, roster_subscriber, count):
    asked = [{"subscriber_id": roster_subscriber["id"], "member_number": "10001"}] * count
    with pytest.raises(InvalidInput) as caught:
        billing.check_eligibilities(asked)
    assert list(caught.value.fields) == ["questions"]


def test_eligibility_needs_a_member_number(billing, roster_subscriber):
    with pytest.raises(InvalidInput) as caught:
        billing.check_eligibility(roster_subscriber["id"], "")
    assert list(caught.value.fields) == ["member_number"]


def test_a_new_roster_replaces_the_old_one_whole(billing, admin, roster_subscriber, clock):
    clock.advance(timedelta(hours=1))

    answer = billing.replace_roster(roster_subscriber["id"], "\ufeff30003\n40004\n40004\n", admin)

    assert answer == {"members": 2}
    check = billing.check_eligibility
    assert check(roster_subscriber["id"], "10001")["decision"] == "not_eligible"
    assert check(roster_subscriber["id"], "30003")["decision"] == "eligible"
    subscriber = billing.get_subscriber(roster_subscriber["id"])
    assert subscriber["roster_members"] == 2
    assert subscriber["roster_replaced_at"] == clock.now().isoformat()


def test_a_malformed_roster_is_refused_naming_the_line_and_the_old_one_stays(
    billing, admin, roster_subscriber
):
    text = "member_number\n50001\n50002\n50003\n50004\n50005\n50006;60006\n50007\n"

    with pytest.raises(InvalidInput) as caught:
        billing.replace_roster(roster_subscriber["id"], text, admin)

    assert caught.value.fields == {
        "roster": ["line 7: several values; give one member number per line"]
    }
    assert billing.check_eligibility(roster_subscriber["id"], "10001")["decision"] == "eligible"
    assert billing.check_eligibility(roster_subscriber["id"], "50001")["decision"] == "not_eligible"
    assert billing.get_subscriber(roster_subscriber["id"])["roster_members"] == 2


def test_a_roster_over_the_row_limit_is_refused(billing, admin, roster_subscriber):
    text = "\n".join(str(70000 + n) for n in range(ROSTER_MAX_ROWS + 1))
    with pytest.raises(InvalidInput) as caught:
        billing.replace_roster(roster_subscriber["id"], text, admin)
    assert caught.value.fields["roster"] == [
        f"line {ROSTER_MAX_ROWS + 1}: a roster may have at most {ROSTER_MAX_ROWS} member numbers"
    ]
    assert billing.get_subscriber(roster_subscriber["id"])["roster_members"] == 2


def test_roster_of_an_unknown_subscriber_is_not_found(billing, admin):
    with pytest.raises(NotFound):
        billing.replace_roster(str(uuid.uuid4()), "10001\n", admin)


def test_the_database_holds_keyed_hashes_not_member_numbers(
    billing, roster_subscriber, billing_config
):
    engine = create_engine(billing_config["DATABASE_URL"], poolclass=NullPool)
    with engine.connect() as connection:
        stored = set(
            connection.execute(
                select(roster_members.c.member_hash).where(
                    roster_members.c.subscriber_id == uuid.UUID(roster_subscriber["id"])
                )
            ).scalars()
        )
    engine.dispose()
    key = billing_config["ROSTER_HASH_KEY"].encode()
    assert stored == {member_number_hash(key, "10001"), member_number_hash(key, "ab-2002")}
    assert not any(b"10001" in digest for digest in stored)


def test_export_holds_nothing_and_erasure_explains_the_rosters(billing):
    subject = str(uuid.uuid4())
    export = billing.export_personal_data(subject)
    assert export == {"service": "billing", "items": [], "files": [], "done": True}

    request_id = str(uuid.uuid4())
    preview = billing.erase_personal_data(subject, request_id, dry_run=True)
    erased = billing.erase_personal_data(subject, request_id)

    assert erased == preview
    assert erased["items_removed"] == erased["items_anonymised"] == 0
    assert erased["done"] is True
    assert "keyed hashes of member numbers supplied by subscribers" in erased["messages"][0]
    assert billing.erase_personal_data(subject, request_id) == erased
