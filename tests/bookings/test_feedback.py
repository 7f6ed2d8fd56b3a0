"""Feedback on completed sessions over RPC, with accounts, billing and bookings running on the test
broker, database and SMTP sink: who gives and reads it, the 30-day window on the settable clock,
the request mail, the admins' summary, export and erasure."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.pool import NullPool

from services.bookings.models import feedback, mail_jobs
from services.bookings.notifications import FEEDBACK_REQUEST
from services.contracts.accounts import ACCESS_AUDITED
from services.contracts.bookings import TooLate
from services.contracts.errors import Conflict, Forbidden, InvalidInput, NotFound
from services.infra.tables import outbox
from tests.bookings.conftest import add_coach, booking_request, coachee_form
from tests.conftest import run_now, wait_for

TUESDAY_9 = "2027-03-02T09:00:00+02:00"
SESSION_START = datetime(2027, 3, 2, 7, 0, tzinfo=UTC)
AFTER_THE_SESSION = datetime(2027, 3, 2, 12, 0, tzinfo=UTC)
WINDOW = timedelta(days=30)


@pytest.fixture
def bookings_db(service_databases):
    engine = create_engine(service_databases["bookings"], poolclass=NullPool)
    yield engine
    engine.dispose()


def book(rpc, catalogue, subscribers, starts_at: str = TUESDAY_9, coach=None) -> dict:
    """A confirmed booking of a new coachee, with the coachee's actor and email."""
    form = coachee_form(subscribers["roster"]["id"])
    coach = coach or catalogue["coach"]
    request = booking_request(catalogue, starts_at, form, coach_id=coach["id"])
    booking = rpc.bookings.create_booking(request)["booking"]
    coachee = {"account_id": booking["coachee_id"], "role": "coachee"}
    return {**booking, "coachee": coachee, "email": form["email"], "coach": coach["actor"]}


def completed(rpc, booking: dict) -> dict:
    rpc.bookings.record_outcome(booking["id"], "completed", booking["coach"])
    return booking


@pytest.fixture
def session(rpc, catalogue, subscribers, clock) -> dict:
    """Tuesday's booking, completed after the session."""
    booking = book(rpc, catalogue, subscribers)
    clock.set(AFTER_THE_SESSION)
    return completed(rpc, booking)


def test_completing_a_session_mails_the_coachee_a_feedback_request(
    rpc, containers, catalogue, subscribers, clock, smtp_sink
):
    booking = book(rpc, catalogue, subscribers)
    run_now(containers["bookings"], "send_mails")
    wait_for(lambda: smtp_sink.received(to=booking["email"]))
    clock.set(AFTER_THE_SESSION)

    completed(rpc, booking)
    run_now(containers["bookings"], "send_mails")

    wait_for(lambda: len(smtp_sink.received(to=booking["email"])) == 2)
    by_subject = {mail["Subject"]: mail for mail in smtp_sink.received(to=booking["email"])}
    request = by_subject["Palautepyyntö"]
    text = request.get_body().get_content()
    assert text.startswith("Hei Maija Meikäläinen,")
    assert f"https://valmennuskalenteri.local/api/bookings/{booking['id']}" in text.splitlines()
    for detail in (catalogue["service"]["name"], "Kaisa Valmentaja", "Haluan", "M-1", "2.3.2027"):
        assert detail not in text
    assert list(request.iter_attachments()) == []


def test_a_no_show_gets_no_feedback_request(rpc, catalogue, subscribers, clock, bookings_db):
    booking = book(rpc, catalogue, subscribers)
    clock.set(AFTER_THE_SESSION)

    rpc.bookings.record_outcome(booking["id"], "no_show", booking["coach"])

    with bookings_db.connect() as connection:
        kinds = connection.execute(
            select(mail_jobs.c.kind).where(mail_jobs.c.booking_id == booking["id"])
        ).scalars()
        assert FEEDBACK_REQUEST not in list(kinds)


def test_the_coachee_gives_feedback_once_and_changes_it(rpc, session, clock):
    coachee = session["coachee"]
    with pytest.raises(NotFound):
        rpc.bookings.get_feedback(session["id"], coachee)

    given = rpc.bookings.give_feedback(
        session["id"], {"rating": 4, "comment": "Sain hyviä vinkkejä."}, coachee
    )
    clock.advance(timedelta(days=1))
    changed = rpc.bookings.give_feedback(session["id"], {"rating": 5}, coachee)

    assert given["rating"] == 4 and given["comment"] == "Sain hyviä vinkkejä."
    assert changed == {
        "booking_id": session["id"],
        "rating": 5,
        "comment": None,
        "created_at": AFTER_THE_SESSION.isoformat(),
        "updated_at": (AFTER_THE_SESSION + timedelta(days=1)).isoformat(),
        "changeable_until": (SESSION_START + WINDOW).isoformat(),
    }
    assert rpc.bookings.get_feedback(session["id"], coachee) == changed
    longest = rpc.bookings.give_feedback(
        session["id"], {"rating": 3, "comment": "x" * 2000}, coachee
    )
    assert len(longest["comment"]) == 2000


def test_feedback_can_be_changed_until_30_days_after_the_session_then_409(rpc, session, clock):
    coachee = session["coachee"]
    rpc.bookings.give_feedback(session["id"], {"rating": 2}, coachee)

    clock.set(SESSION_START + WINDOW)
    last_change = rpc.bookings.give_feedback(session["id"], {"rating": 3}, coachee)
    clock.advance(timedelta(seconds=1))
    with pytest.raises(TooLate) as refused:
        rpc.bookings.give_feedback(session["id"], {"rating": 4}, coachee)

    assert isinstance(refused.value, Conflict)
    assert last_change["rating"] == 3
    assert rpc.bookings.get_feedback(session["id"], coachee)["rating"] == 3


def test_feedback_first_given_after_the_30_days_is_409(rpc, session, clock):
    clock.set(SESSION_START + WINDOW + timedelta(seconds=1))

    with pytest.raises(TooLate):
        rpc.bookings.give_feedback(session["id"], {"rating": 4}, session["coachee"])


@pytest.mark.parametrize("outcome", ["confirmed", "no_show", "cancelled"])
def test_feedback_on_a_session_not_completed_is_409(rpc, catalogue, subscribers, clock, outcome):
    booking = book(rpc, catalogue, subscribers)
    clock.set(AFTER_THE_SESSION)
    if outcome == "no_show":
        rpc.bookings.record_outcome(booking["id"], outcome, booking["coach"])
    if outcome == "cancelled":
        rpc.bookings.cancel_booking(booking["id"], booking["coach"])

    with pytest.raises(Conflict):
        rpc.bookings.give_feedback(booking["id"], {"rating": 5}, booking["coachee"])


def test_only_the_sessions_coachee_gives_feedback(rpc, catalogue, subscribers, clock, admin):
    booking = book(rpc, catalogue, subscribers)
    another = book(rpc, catalogue, subscribers, starts_at="2027-03-02T11:00:00+02:00")
    clock.set(AFTER_THE_SESSION)
    completed(rpc, booking)

    with pytest.raises(NotFound):
        rpc.bookings.give_feedback(booking["id"], {"rating": 1}, another["coachee"])
    for staff in (booking["coach"], admin):
        with pytest.raises(Forbidden):
            rpc.bookings.give_feedback(booking["id"], {"rating": 1}, staff)
    with pytest.raises(NotFound):
        rpc.bookings.get_feedback(booking["id"], booking["coachee"])


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "rating"),
        ({"rating": 0}, "rating"),
        ({"rating": 6}, "rating"),
        ({"rating": 4.5}, "rating"),
        ({"rating": "5"}, "rating"),
        ({"rating": 3, "comment": "x" * 2001}, "comment"),
        ({"rating": 3, "comment": "Hetuni on 131052-308T."}, "comment"),
    ],
    ids=["no-rating", "zero", "six", "fraction", "text", "long-comment", "identity-code"],
)
def test_invalid_feedback_is_refused_naming_the_field(rpc, session, body, field):
    with pytest.raises(InvalidInput) as refused:
        rpc.bookings.give_feedback(session["id"], body, session["coachee"])

    assert list(refused.value.fields) == [field]
    with pytest.raises(NotFound):
        rpc.bookings.get_feedback(session["id"], session["coachee"])


def audited_feedback_reads(engine, subject_id: str) -> list[tuple[str, str]]:
    with engine.connect() as connection:
        payloads = connection.execute(
            select(outbox.c.payload).where(outbox.c.event_type == ACCESS_AUDITED)
        ).scalars()
        return sorted(
            (p["actor_id"], p["outcome"])
            for p in payloads
            if p["action"] == "feedback_read" and p["subject_id"] == subject_id
        )


def test_the_assigned_coach_and_admins_read_feedback_and_their_reads_are_audited(
    rpc, session, admin, catalogue, bookings_db
):
    given = rpc.bookings.give_feedback(session["id"], {"rating": 5}, session["coachee"])
    other_coach = add_coach(rpc, admin, catalogue["service"]["id"], "Olli Ohjaaja")["actor"]
    privacy_staff = {"account_id": str(uuid.uuid4()), "role": "privacy"}

    assert rpc.bookings.get_feedback(session["id"], session["coach"]) == given
    assert rpc.bookings.get_feedback(session["id"], admin) == given
    assert rpc.bookings.get_feedback(session["id"], session["coachee"]) == given
    with pytest.raises(NotFound):
        rpc.bookings.get_feedback(session["id"], other_coach)
    with pytest.raises(Forbidden):
        rpc.bookings.get_feedback(session["id"], privacy_staff)

    assert audited_feedback_reads(bookings_db, session["coachee_id"]) == sorted(
        [(session["coach"]["account_id"], "ok"), (admin["account_id"], "ok")]
    )


def summary(rpc, actor, first: str, last: str, **filters) -> dict:
    return rpc.bookings.summarize_feedback({"from": first, "to": last, **filters}, actor)


def test_the_summary_counts_and_averages_ratings_per_coach_over_whole_months(
    rpc, admin, catalogue, subscribers, clock
):
    aino = add_coach(rpc, admin, catalogue["service"]["id"], name="Aino Valmentaja")
    march = [
        (book(rpc, catalogue, subscribers), 4),
        (book(rpc, catalogue, subscribers, starts_at="2027-03-02T11:00:00+02:00"), 5),
        (book(rpc, catalogue, subscribers, coach=aino), 2),
    ]
    april = book(rpc, catalogue, subscribers, starts_at="2027-04-06T09:00:00+03:00")
    clock.set(datetime(2027, 3, 2, 14, 0, tzinfo=UTC))
    for booking, rating in march:
        completed(rpc, booking)
        rpc.bookings.give_feedback(
            booking["id"], {"rating": rating, "comment": "Kiitos!"}, booking["coachee"]
        )
    clock.set(datetime(2027, 4, 6, 12, 0, tzinfo=UTC))
    completed(rpc, april)
    rpc.bookings.give_feedback(april["id"], {"rating": 3}, april["coachee"])
    service_id = catalogue["service"]["id"]
    kaisa_id = catalogue["coach"]["id"]

    in_march = summary(rpc, admin, "2027-03-10", "2027-03-20", service_id=service_id)
    both_months = summary(
        rpc, admin, "2027-03-31", "2027-04-01", service_id=service_id, coach_id=kaisa_id
    )

    assert (in_march["from"], in_march["to"]) == ("2027-03-01", "2027-03-31")
    assert in_march["items"] == [
        {
            "service_id": service_id,
            "service_name": catalogue["service"]["name"],
            "coach_id": aino["id"],
            "coach_name": "Aino Valmentaja",
            "count": 1,
            "average_rating": 2.0,
        },
        {
            "service_id": service_id,
            "service_name": catalogue["service"]["name"],
            "coach_id": kaisa_id,
            "coach_name": "Kaisa Valmentaja",
            "count": 2,
            "average_rating": 4.5,
        },
    ]
    assert [(i["coach_id"], i["count"], i["average_rating"]) for i in both_months["items"]] == [
        (kaisa_id, 3, 4.0)
    ]
    assert summary(rpc, admin, "2027-05-01", "2027-05-31", service_id=service_id)["items"] == []


def test_the_summary_is_for_admins_with_a_valid_range(rpc, session, admin):
    for outsider in (session["coach"], session["coachee"]):
        with pytest.raises(Forbidden):
            summary(rpc, outsider, "2027-03-01", "2027-03-31")
    with pytest.raises(InvalidInput) as backwards:
        summary(rpc, admin, "2027-03-02", "2027-03-01")
    with pytest.raises(InvalidInput) as missing:
        rpc.bookings.summarize_feedback({"to": "2027-03-01", "coach_id": "x"}, admin)

    assert list(backwards.value.fields) == ["to"]
    assert set(missing.value.fields) == {"from", "coach_id"}


def test_export_has_the_feedback_and_a_dry_run_erasure_changes_nothing(rpc, session, catalogue):
    given = rpc.bookings.give_feedback(
        session["id"], {"rating": 4, "comment": "Sain hyviä vinkkejä."}, session["coachee"]
    )
    before = rpc.bookings.export_personal_data(session["coachee_id"])

    preview = rpc.bookings.erase_personal_data(session["coachee_id"], str(uuid.uuid4()), True)

    assert [item["data"] for item in before["items"] if item["group"] == "feedback"] == [given]
    assert (preview["items_anonymised"], preview["items_retained"]) == (2, 2)
    assert any("Feedback ratings are kept" in reason for reason in preview["messages"])
    assert rpc.bookings.export_personal_data(session["coachee_id"]) == before
    assert rpc.bookings.get_feedback(session["id"], session["coachee"]) == given


def test_erasure_deletes_the_comment_and_keeps_only_an_anonymous_rating_for_the_summary(
    rpc, session, catalogue, admin, bookings_db
):
    rpc.bookings.give_feedback(
        session["id"], {"rating": 4, "comment": "Sain hyviä vinkkejä."}, session["coachee"]
    )
    service_id = catalogue["service"]["id"]

    erased = rpc.bookings.erase_personal_data(session["coachee_id"], str(uuid.uuid4()))

    assert any(
        "Feedback ratings are kept without their comments" in reason
        and "develop the service (R-DATA-4)" in reason
        for reason in erased["messages"]
    )
    exported = rpc.bookings.export_personal_data(session["coachee_id"])["items"]
    assert "feedback" not in [item["group"] for item in exported]
    with pytest.raises(NotFound):
        rpc.bookings.get_feedback(session["id"], admin)
    with bookings_db.connect() as connection:
        kept = connection.execute(
            select(feedback).where(feedback.c.service_id == service_id)
        ).mappings()
        assert [dict(row, id=None) for row in kept] == [
            {
                "id": None,
                "booking_id": None,
                "service_id": uuid.UUID(service_id),
                "coach_id": uuid.UUID(catalogue["coach"]["id"]),
                "session_month": SESSION_START.date().replace(day=1),
                "rating": 4,
                "comment": None,
                "created_at": None,
                "updated_at": None,
            }
        ]
    counted = summary(rpc, admin, "2027-03-01", "2027-03-31", service_id=service_id)["items"]
    assert [(item["count"], item["average_rating"]) for item in counted] == [(1, 4.0)]
