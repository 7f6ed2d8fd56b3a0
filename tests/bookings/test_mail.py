"""Booking mails: composed in Helsinki time with a valid .ics, sent through SMTP, retried."""

import itertools
import uuid
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from nameko.standalone.rpc import ServiceRpcProxy
from sqlalchemy import create_engine, insert, select
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool

from services.accounts.service import AccountsService
from services.bookings import repository as repo
from services.bookings.mail import BookingMail, compose, helsinki_time
from services.bookings.mail_sender import queue_reminders, reason_not_to_send, send_due_mails
from services.bookings.models import (
    bookings,
    catalogue_services,
    coaches,
    mail_jobs,
    specifications,
)
from services.bookings.notifications import (
    CANCELLATION,
    CONFIRMATION,
    FEEDBACK_REQUEST,
    REMINDER,
    queue_mail,
)
from services.bookings.settings import rules_from
from services.bookings.work import Work
from services.contracts.bookings import CANCELLED, COMPLETED, CONFIRMED
from services.contracts.names import ACCOUNTS
from services.infra.icalendar_text import fold
from services.infra.mailer import (
    RetryPolicy,
    SmtpMailer,
    batch_size_from,
    retry_policy_from,
    smtp_settings_from,
)
from tests.bookings.conftest import booking_request, coachee_form
from tests.bookings.strict_ical import Component, instant, parse_calendar, unescaped
from tests.conftest import free_port, run_now, wait_for
from tests.servers import scripted_smtp_server

SENDER = "Valmennuskalenteri <noreply@valmennus.example>"
NOW = datetime(2027, 6, 1, 6, 0, tzinfo=UTC)


# Composition


def booking_mail(kind=CONFIRMATION, starts_at=datetime(2027, 3, 2, 7, 0, tzinfo=UTC), **changes):
    values = {
        "kind": kind,
        "job_id": uuid.uuid4(),
        "booking_id": uuid.uuid4(),
        "sequence": 0,
        "starts_at": starts_at,
        "ends_at": starts_at + timedelta(hours=1),
        "service_name": "Uravalmennus",
        "specification_name": "Työnhaku",
        "delivery_method": "video",
        "coach_name": "Kaisa Valmentaja",
        "recipient_name": "Maija Meikäläinen",
        "recipient_email": "maija@example.fi",
        "link_base_url": "https://valmennus.example",
    }
    return BookingMail(**{**values, **changes})


def attachment(message, filename: str):
    found = [part for part in message.iter_attachments() if part.get_filename() == filename]
    assert len(found) == 1, f"{len(found)} attachments named {filename}"
    return found[0]


def calendar_in(message, filename: str) -> Component:
    return parse_calendar(attachment(message, filename).get_payload(decode=True))


def test_helsinki_time_reads_like_a_finnish_calendar():
    assert helsinki_time(datetime(2027, 3, 2, 7, 0, tzinfo=UTC)) == "ti 2.3.2027 klo 9.00"
    assert helsinki_time(datetime(2027, 7, 4, 12, 5, tzinfo=UTC)) == "su 4.7.2027 klo 15.05"


@pytest.mark.parametrize(
    ("starts_at", "shown", "dtstart"),
    [
        (datetime(2027, 3, 26, 7, 0, tzinfo=UTC), "pe 26.3.2027 klo 9.00", "20270326T090000"),
        (datetime(2027, 3, 30, 6, 0, tzinfo=UTC), "ti 30.3.2027 klo 9.00", "20270330T090000"),
        (datetime(2027, 10, 29, 6, 0, tzinfo=UTC), "pe 29.10.2027 klo 9.00", "20271029T090000"),
        (datetime(2027, 11, 2, 7, 0, tzinfo=UTC), "ti 2.11.2027 klo 9.00", "20271102T090000"),
    ],
    ids=["winter-before-march-change", "summer-after", "summer-before-october-change", "winter"],
)
def test_confirmation_shows_helsinki_time_on_both_sides_of_daylight_saving(
    starts_at, shown, dtstart
):
    message = compose(booking_mail(starts_at=starts_at), SENDER, NOW)

    assert shown in message["Subject"]
    assert f"Aika: {shown}–10.00 (Suomen aikaa)" in message.get_body().get_content()
    event = calendar_in(message, "invite.ics").child("VEVENT")
    assert event.one("DTSTART").value == dtstart
    assert event.one("DTSTART").params["TZID"] == "Europe/Helsinki"
    assert instant(event.one("DTSTART")) == starts_at
    assert instant(event.one("DTEND")) == starts_at + timedelta(hours=1)


def test_confirmation_tells_what_where_who_and_which_booking_in_finnish_and_english():
    mail = booking_mail(delivery_method="phone")
    message = compose(mail, SENDER, NOW)
    text = message.get_body().get_content()

    assert message["Subject"] == "Varausvahvistus: Uravalmennus, ti 2.3.2027 klo 9.00"
    assert message["To"].addresses[0].addr_spec == "maija@example.fi"
    assert message["From"] == SENDER
    for line in (
        "Hei Maija Meikäläinen,",
        "Varauksesi on vahvistettu.",
        "Palvelu: Uravalmennus",
        "Tarkennus: Työnhaku",
        "Toteutustapa: Puhelin",
        "Valmentaja: Kaisa Valmentaja",
        f"Varaustunnus: {mail.booking_id}",
        "Your booking is confirmed",
    ):
        assert line in text


def test_invitation_is_a_request_with_the_booking_uid_a_utc_stamp_and_both_zone_rules():
    mail = booking_mail(sequence=7)
    invite = attachment(compose(mail, SENDER, NOW), "invite.ics")

    assert invite.get_content_type() == "text/calendar"
    assert invite.get_param("method") == "REQUEST"
    calendar = parse_calendar(invite.get_payload(decode=True))
    assert calendar.one("METHOD").value == "REQUEST"
    event = calendar.child("VEVENT")
    assert event.one("UID").value == f"{mail.booking_id}@valmennus.example"
    assert event.one("DTSTAMP").value == "20270601T060000Z"
    assert event.one("SEQUENCE").value == "7"
    assert event.one("STATUS").value == "CONFIRMED"
    assert event.one("ORGANIZER").value == "mailto:noreply@valmennus.example"
    assert event.one("ATTENDEE").value == "mailto:maija@example.fi"
    zone = calendar.child("VTIMEZONE")
    assert zone.one("TZID").value == "Europe/Helsinki"
    assert zone.child("STANDARD").one("TZOFFSETTO").value == "+0200"
    assert zone.child("DAYLIGHT").one("TZOFFSETTO").value == "+0300"


def last_sunday(year: int, month: int) -> date:
    day = date(year, month + 1, 1) - timedelta(days=1)
    return day - timedelta(days=(day.weekday() - 6) % 7)


def offset_hours(text: str) -> int:
    return int(text[:3])


def helsinki_offset_hours(moment: datetime) -> int:
    return moment.astimezone(ZoneInfo("Europe/Helsinki")).utcoffset() // timedelta(hours=1)


@pytest.mark.parametrize("year", range(2026, 2032))
def test_zone_rules_in_the_invitation_agree_with_the_tz_database(year):
    zone = calendar_in(compose(booking_mail(), SENDER, NOW), "invite.ics").child("VTIMEZONE")
    for part in ("DAYLIGHT", "STANDARD"):
        rule = zone.child(part)
        fields = dict(item.split("=") for item in rule.one("RRULE").value.split(";"))
        assert fields["FREQ"] == "YEARLY" and fields["BYDAY"] == "-1SU"
        onset = datetime.strptime(rule.one("DTSTART").value, "%Y%m%dT%H%M%S").time()
        before = offset_hours(rule.one("TZOFFSETFROM").value)
        after = offset_hours(rule.one("TZOFFSETTO").value)
        local_change = datetime.combine(last_sunday(year, int(fields["BYMONTH"])), onset)
        change = local_change.replace(tzinfo=UTC) - timedelta(hours=before)
        assert helsinki_offset_hours(change - timedelta(seconds=1)) == before
        assert helsinki_offset_hours(change) == after


def test_text_is_escaped_and_long_lines_fold_without_splitting_characters():
    service = "Ura- ja työelämävalmennus; jatkojakso, osa 2 \\ äöå " * 3
    mail = booking_mail(service_name=service)
    event = calendar_in(compose(mail, SENDER, NOW), "invite.ics").child("VEVENT")

    assert unescaped(event.one("SUMMARY").value) == f"{service} (Työnhaku)"
    assert unescaped(event.one("DESCRIPTION").value).splitlines()[0] == f"Palvelu: {service}"


@pytest.mark.parametrize(
    "broken",
    [
        b"BEGIN:VCALENDAR\nVERSION:2.0\nEND:VCALENDAR\n",
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:" + b"x" * 70 + b"\r\nEND:VCALENDAR\r\n",
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nEND:VCALENDAR\r\n",
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nMETHOD:REQUEST\r\nBEGIN:VEVENT\r\n"
        b"UID:1\r\nDTSTAMP:20270101T000000Z\r\nSUMMARY:x\r\n"
        b"DTSTART;TZID=Europe/Helsinki:20270101T090000\r\n"
        b"DTEND;TZID=Europe/Helsinki:20270101T100000\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
    ],
    ids=["bare-line-feeds", "line-over-75-octets", "unclosed-component", "undefined-tzid"],
)
def test_the_strict_reader_refuses_what_calendars_would(broken):
    with pytest.raises(AssertionError):
        parse_calendar(broken)


def test_folding_counts_octets_not_characters():
    folded = fold("SUMMARY:" + "ä" * 80)
    lines = folded.split("\r\n")
    assert [len(line.encode()) for line in lines] == [74, 75, 21]
    assert "".join(line.removeprefix(" ") for line in lines) == "SUMMARY:" + "ä" * 80


def test_a_line_of_75_octets_stays_whole_and_one_more_folds():
    assert fold("X" * 73 + "ä") == "X" * 73 + "ä"
    assert fold("X" * 74 + "ä").split("\r\n") == ["X" * 74, " ä"]


def test_cancellation_cancels_the_same_event_with_a_later_sequence():
    mail = booking_mail(kind=CANCELLATION, sequence=3600)
    message = compose(mail, SENDER, NOW)

    assert message["Subject"].startswith("Varaus peruttu: Uravalmennus")
    assert "Varauksesi on peruttu." in message.get_body().get_content()
    cancel = attachment(message, "cancel.ics")
    assert cancel.get_param("method") == "CANCEL"
    calendar = parse_calendar(cancel.get_payload(decode=True))
    assert calendar.one("METHOD").value == "CANCEL"
    event = calendar.child("VEVENT")
    assert event.one("UID").value == f"{mail.booking_id}@valmennus.example"
    assert event.one("STATUS").value == "CANCELLED"
    assert event.one("SEQUENCE").value == "3600"


def test_reminder_is_text_only():
    message = compose(booking_mail(kind=REMINDER), SENDER, NOW)

    assert message["Subject"].startswith("Muistutus: Uravalmennus, ti 2.3.2027 klo 9.00")
    assert list(message.iter_attachments()) == []


def test_feedback_request_greets_and_links_to_the_booking_without_telling_about_the_session():
    mail = booking_mail(kind=FEEDBACK_REQUEST)
    message = compose(mail, SENDER, NOW)
    text = message.get_body().get_content()

    assert message["Subject"] == "Palautepyyntö"
    assert text.startswith("Hei Maija Meikäläinen,\n\nKiitos valmennuksesta!")
    assert f"\nhttps://valmennus.example/api/bookings/{mail.booking_id}\n" in text
    assert "rate it from 1 to 5" in text
    for detail in ("Uravalmennus", "Työnhaku", "Kaisa Valmentaja", "2.3.2027", "Videoyhteys"):
        assert detail not in message.as_string()
    assert list(message.iter_attachments()) == []


def test_retry_delay_doubles_up_to_the_cap():
    policy = RetryPolicy(timedelta(seconds=60), timedelta(seconds=300), max_attempts=5)
    assert [policy.delay_after(n).total_seconds() for n in range(1, 6)] == [60, 120, 240, 300, 300]


START = NOW + timedelta(days=2)


MOVED = START + timedelta(hours=1)
FEEDBACK_WINDOW = timedelta(days=30)


@pytest.mark.parametrize(
    ("kind", "status", "starts_at", "reason"),
    [
        (CONFIRMATION, CONFIRMED, START, None),
        (CONFIRMATION, CANCELLED, START, "the booking is cancelled"),
        (CONFIRMATION, CONFIRMED, MOVED, "the booking has moved"),
        (CANCELLATION, CANCELLED, START, None),
        (CANCELLATION, CONFIRMED, START, "the booking is confirmed"),
        (REMINDER, CONFIRMED, START, None),
        (REMINDER, CONFIRMED, MOVED, "the booking has moved"),
        (REMINDER, CANCELLED, START, "the booking is cancelled"),
        (REMINDER, COMPLETED, START, "the booking is completed"),
        (FEEDBACK_REQUEST, COMPLETED, START, None),
        (FEEDBACK_REQUEST, CONFIRMED, START, "the booking is confirmed"),
    ],
)
def test_a_job_is_sent_only_while_the_booking_is_as_its_mail_says(kind, status, starts_at, reason):
    job = {"kind": kind, "starts_at": START}
    booking = {"status": status, "starts_at": starts_at}
    assert reason_not_to_send(job, booking, NOW, FEEDBACK_WINDOW) == reason


def test_reminder_for_a_session_already_started_is_not_sent():
    job = {"kind": REMINDER, "starts_at": START}
    booking = {"status": CONFIRMED, "starts_at": START}
    assert reason_not_to_send(job, booking, START, FEEDBACK_WINDOW) == "the session has started"


def test_a_feedback_request_is_sent_until_the_feedback_window_closes():
    job = {"kind": FEEDBACK_REQUEST, "starts_at": START}
    booking = {"status": COMPLETED, "starts_at": START}
    closes = START + FEEDBACK_WINDOW
    assert reason_not_to_send(job, booking, closes, FEEDBACK_WINDOW) is None
    late = closes + timedelta(seconds=1)
    assert (
        reason_not_to_send(job, booking, late, FEEDBACK_WINDOW) == "the feedback window has closed"
    )


# Sending through the real database, accounts service and SMTP sink


@pytest.fixture
def accounts(container_factory, service_config):
    config = service_config(ACCOUNTS)
    container_factory(AccountsService, config).start()
    with ServiceRpcProxy(ACCOUNTS, config) as proxy:
        yield proxy


def register_coachee(accounts) -> dict:
    email = f"maija.{uuid.uuid4().hex[:8]}@example.fi"
    registration = {
        "name": "Maija Meikäläinen",
        "email": email,
        "phone": "040 123 4567",
        "subscriber_id": str(uuid.uuid4()),
        "member_number": f"M-{uuid.uuid4().hex[:6]}",
        "password": "kesäinen-aamu-2027",
    }
    return {"id": accounts.register_coachee(registration)["account_id"], "email": email}


@pytest.fixture
def coachee(accounts):
    return register_coachee(accounts)


@pytest.fixture
def db(service_databases):
    engine = create_engine(service_databases["bookings"], poolclass=NullPool)
    with Session(engine) as session:
        yield session
    engine.dispose()


def mailer_for(config: dict, **changes) -> SmtpMailer:
    settings = {**config, "SMTP_FROM": SENDER, **changes}
    return SmtpMailer(
        smtp_settings_from(settings), retry_policy_from(settings), batch_size_from(settings)
    )


@pytest.fixture
def mailer(smtp_config):
    return mailer_for(smtp_config)


def work_at(db, now: datetime, accounts=None) -> Work:
    return Work(db=db, outbox=None, now=now, rules=rules_from({}), accounts=accounts, billing=None)


def add_booking(db, coachee_id, starts_at: datetime = START, status: str = CONFIRMED):
    """A booking with a service, specification and coach of its own, created a day before NOW."""
    service_id, specification_id, coach_id = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    db.execute(
        insert(catalogue_services).values(
            id=service_id,
            name="Uravalmennus",
            description="",
            duration_minutes=60,
            delivery_methods=["video"],
            active=True,
        )
    )
    db.execute(
        insert(specifications).values(
            id=specification_id, service_id=service_id, name="Työnhaku", position=0
        )
    )
    db.execute(
        insert(coaches).values(
            id=coach_id, account_id=uuid.uuid4(), name="Kaisa Valmentaja", active=True
        )
    )
    created = NOW - timedelta(days=1)
    booking = repo.insert_booking(
        db,
        {
            "id": uuid.uuid4(),
            "coachee_id": coachee_id,
            "coach_id": coach_id,
            "service_id": service_id,
            "specification_id": specification_id,
            "delivery_method": "video",
            "starts_at": starts_at,
            "ends_at": starts_at + timedelta(hours=1),
            "blocks_until": starts_at + timedelta(hours=1),
            "status": status,
            "message": "Haluan päivittää CV:ni.",
            "eligibility_rule": "roster",
            "registered_coachee": True,
            "created_at": created,
            "updated_at": created,
        },
    )
    db.commit()
    return booking


def queue(db, booking, kind: str, now: datetime = NOW) -> None:
    queue_mail(work_at(db, now), booking, kind)
    db.commit()


def job_of(db, booking, kind: str):
    query = select(mail_jobs).where(
        mail_jobs.c.booking_id == booking["id"], mail_jobs.c.kind == kind
    )
    return db.execute(query).mappings().one()


def booking_row(db, booking):
    return db.execute(select(bookings).where(bookings.c.id == booking["id"])).mappings().one()


def test_confirmation_arrives_with_its_invitation_and_the_job_is_done(
    db, accounts, coachee, mailer, smtp_sink
):
    booking = add_booking(db, coachee["id"])
    queue(db, booking, CONFIRMATION)

    send_due_mails(work_at(db, NOW, accounts), mailer)

    [message] = smtp_sink.received(to=coachee["email"])
    assert message["Subject"] == "Varausvahvistus: Uravalmennus, to 3.6.2027 klo 9.00"
    assert "Hei Maija Meikäläinen," in message.get_body().get_content()
    event = calendar_in(message, "invite.ics").child("VEVENT")
    assert event.one("UID").value == f"{booking['id']}@valmennus.example"
    assert instant(event.one("DTSTART")) == START
    job = job_of(db, booking, CONFIRMATION)
    assert job["sent_at"] == NOW
    assert (job["attempts"], job["last_error"]) == (1, None)


def test_a_failing_smtp_server_leaves_the_job_for_a_retry_and_the_booking_untouched(
    db, accounts, coachee, smtp_config, smtp_sink
):
    booking = add_booking(db, coachee["id"])
    queue(db, booking, CONFIRMATION)
    closed_port = mailer_for(smtp_config, SMTP_PORT=free_port(), MAIL_RETRY_BASE_SECONDS=30)

    send_due_mails(work_at(db, NOW, accounts), closed_port)

    job = job_of(db, booking, CONFIRMATION)
    assert job["attempts"] == 1
    assert job["sent_at"] is None
    assert "ConnectionRefusedError" in job["last_error"]
    assert job["next_attempt_at"] == NOW + timedelta(seconds=30)
    assert dict(booking_row(db, booking)) == dict(booking)
    assert smtp_sink.received(to=coachee["email"]) == []

    send_due_mails(work_at(db, NOW + timedelta(seconds=29), accounts), mailer_for(smtp_config))
    assert smtp_sink.received(to=coachee["email"]) == []

    later = NOW + timedelta(seconds=30)
    send_due_mails(work_at(db, later, accounts), mailer_for(smtp_config))
    assert len(smtp_sink.received(to=coachee["email"])) == 1
    job = job_of(db, booking, CONFIRMATION)
    assert (job["attempts"], job["sent_at"], job["last_error"]) == (2, later, None)


def test_after_the_last_attempt_the_job_stays_unsent_with_its_error(
    db, accounts, coachee, smtp_config
):
    booking = add_booking(db, coachee["id"])
    queue(db, booking, CONFIRMATION)
    failing = mailer_for(
        smtp_config, SMTP_PORT=free_port(), MAIL_RETRY_BASE_SECONDS=10, MAIL_MAX_ATTEMPTS=2
    )

    for minutes in range(4):
        send_due_mails(work_at(db, NOW + timedelta(minutes=minutes), accounts), failing)

    job = job_of(db, booking, CONFIRMATION)
    assert (job["attempts"], job["sent_at"]) == (2, None)
    assert "ConnectionRefusedError" in job["last_error"]


def test_cancellation_of_a_cancelled_booking_is_sent_but_its_confirmation_is_not(
    db, accounts, coachee, mailer, smtp_sink
):
    booking = add_booking(db, coachee["id"], status=CANCELLED)
    queue(db, booking, CONFIRMATION)
    queue(db, booking, CANCELLATION)

    send_due_mails(work_at(db, NOW, accounts), mailer)

    [message] = smtp_sink.received(to=coachee["email"])
    assert message["Subject"].startswith("Varaus peruttu: ")
    calendar = calendar_in(message, "cancel.ics")
    assert calendar.one("METHOD").value == "CANCEL"
    assert calendar.child("VEVENT").one("UID").value == f"{booking['id']}@valmennus.example"
    confirmation = job_of(db, booking, CONFIRMATION)
    assert confirmation["sent_at"] == NOW
    assert confirmation["last_error"] == "not sent: the booking is cancelled"
    assert job_of(db, booking, CANCELLATION)["last_error"] is None


def test_mail_for_an_erased_or_unknown_coachee_is_closed_unsent(db, accounts, mailer):
    booking = add_booking(db, uuid.uuid4())
    queue(db, booking, CONFIRMATION)

    send_due_mails(work_at(db, NOW, accounts), mailer)

    job = job_of(db, booking, CONFIRMATION)
    assert job["sent_at"] == NOW
    assert job["last_error"] == "not sent: the coachee's account is gone"


def test_reminders_are_queued_once_for_confirmed_bookings_within_the_period(db, coachee):
    soon = add_booking(db, coachee["id"], starts_at=NOW + timedelta(hours=3))
    later = add_booking(db, coachee["id"], starts_at=NOW + timedelta(hours=30))
    cancelled = add_booking(db, coachee["id"], NOW + timedelta(hours=3), status=CANCELLED)
    started = add_booking(db, coachee["id"], starts_at=NOW - timedelta(minutes=5))

    for _ in range(2):
        queue_reminders(work_at(db, NOW))
        db.commit()

    def reminders(booking):
        query = select(mail_jobs.c.starts_at).where(
            mail_jobs.c.booking_id == booking["id"], mail_jobs.c.kind == REMINDER
        )
        return db.execute(query).scalars().all()

    assert reminders(soon) == [soon["starts_at"]]
    assert [reminders(b) for b in (later, cancelled, started)] == [[], [], []]


def test_reminder_arrives_but_not_for_a_booking_moved_since(
    db, accounts, coachee, mailer, smtp_sink
):
    booking = add_booking(db, coachee["id"], starts_at=NOW + timedelta(hours=3))
    queue_reminders(work_at(db, NOW))
    db.commit()
    moved = add_booking(db, coachee["id"], starts_at=NOW + timedelta(hours=4))
    queue(db, moved, REMINDER)
    later = NOW + timedelta(days=3)
    repo.update_booking(
        db,
        moved["id"],
        {
            "starts_at": later,
            "ends_at": later + timedelta(hours=1),
            "blocks_until": later + timedelta(hours=1),
        },
    )
    db.commit()

    send_due_mails(work_at(db, NOW, accounts), mailer)

    [message] = smtp_sink.received(to=coachee["email"])
    assert message["Subject"] == "Muistutus: Uravalmennus, ti 1.6.2027 klo 12.00"
    assert job_of(db, booking, REMINDER)["last_error"] is None
    assert job_of(db, moved, REMINDER)["last_error"] == "not sent: the booking has moved"


# Sending in batches: one SMTP connection and one accounts RPC a batch

EARLIER = itertools.count(1)


@pytest.fixture
def quiet_moment() -> datetime:
    """A moment at which no job of another test is due: each test that asks gets one earlier
    than all the others, which queue and retry at NOW or later."""
    return NOW - timedelta(days=400 + next(EARLIER))


class CountedRpc:
    """The accounts proxy, noting the name of each method called through it."""

    def __init__(self, proxy):
        self._proxy = proxy
        self.calls: list[str] = []

    def __getattr__(self, name: str):
        self.calls.append(name)
        return getattr(self._proxy, name)


def confirmations_queued(db, coachees: list[dict], now: datetime) -> list:
    """A booking with its confirmation due at `now` for each coachee."""
    booked = [
        add_booking(db, coachee["id"], starts_at=now + timedelta(days=2)) for coachee in coachees
    ]
    for booking in booked:
        queue(db, booking, CONFIRMATION, now)
    return booked


def test_due_mails_go_a_batch_at_a_time_over_one_connection_with_one_contacts_rpc(
    db, accounts, quiet_moment
):
    coachees = [register_coachee(accounts) for _ in range(3)]
    booked = confirmations_queued(db, coachees + coachees[:2], quiet_moment)
    counted = CountedRpc(accounts)

    with scripted_smtp_server() as server:
        mailer = mailer_for(server.config, MAIL_BATCH_SIZE=2)
        sent = send_due_mails(work_at(db, quiet_moment, counted), mailer)

    assert sent == 5
    assert server.connections == 3
    assert counted.calls == ["get_contacts"] * 3
    assert [len(server.received(to=coachee["email"])) for coachee in coachees] == [2, 2, 1]
    for booking in booked:
        job = job_of(db, booking, CONFIRMATION)
        assert (job["sent_at"], job["attempts"], job["last_error"]) == (quiet_moment, 1, None)


def test_a_refused_recipient_fails_alone(db, accounts, quiet_moment):
    coachees = [register_coachee(accounts) for _ in range(3)]
    refused, *welcome = coachees
    booked = confirmations_queued(db, coachees, quiet_moment)

    with scripted_smtp_server(refused=frozenset({refused["email"]})) as server:
        send_due_mails(work_at(db, quiet_moment, accounts), mailer_for(server.config))

    assert server.connections == 1
    assert [len(server.received(to=coachee["email"])) for coachee in welcome] == [1, 1]
    failed = job_of(db, booked[0], CONFIRMATION)
    assert (failed["sent_at"], failed["attempts"]) == (None, 1)
    assert failed["last_error"] == "SMTPRecipientsRefused 550"
    assert [job_of(db, booking, CONFIRMATION)["sent_at"] for booking in booked[1:]] == [
        quiet_moment,
        quiet_moment,
    ]


def test_the_smtp_server_gone_mid_batch_leaves_the_unsent_jobs_for_a_later_attempt(
    db, accounts, quiet_moment, smtp_config, smtp_sink
):
    coachees = [register_coachee(accounts) for _ in range(4)]
    emails = [coachee["email"] for coachee in coachees]
    booked = dict(zip(emails, confirmations_queued(db, coachees, quiet_moment), strict=True))
    retry = {"MAIL_RETRY_BASE_SECONDS": 30}

    with scripted_smtp_server(hang_up_after=2) as server:
        sent = send_due_mails(
            work_at(db, quiet_moment, accounts), mailer_for(server.config, **retry)
        )

    assert (sent, server.connections, len(server.accepted)) == (2, 1, 2)
    accepted = {message["To"].addresses[0].addr_spec for message in server.accepted}
    for email, booking in booked.items():
        job = job_of(db, booking, CONFIRMATION)
        if email in accepted:
            assert (job["sent_at"], job["last_error"]) == (quiet_moment, None)
        else:
            assert job["sent_at"] is None
            assert job["last_error"].startswith("SMTPServerDisconnected")
            assert job["next_attempt_at"] == quiet_moment + timedelta(seconds=30)

    later = quiet_moment + timedelta(seconds=30)
    assert send_due_mails(work_at(db, later, accounts), mailer_for(smtp_config, **retry)) == 2
    for email, booking in booked.items():
        assert len(smtp_sink.received(to=email)) == (0 if email in accepted else 1)
        assert job_of(db, booking, CONFIRMATION)["sent_at"] is not None


def test_an_account_gone_closes_only_its_job(db, accounts, coachee, quiet_moment):
    [gone, kept] = confirmations_queued(db, [{"id": uuid.uuid4()}, coachee], quiet_moment)

    with scripted_smtp_server() as server:
        send_due_mails(work_at(db, quiet_moment, accounts), mailer_for(server.config))

    assert len(server.received(to=coachee["email"])) == 1
    assert job_of(db, gone, CONFIRMATION)["last_error"] == "not sent: the coachee's account is gone"
    assert job_of(db, kept, CONFIRMATION)["last_error"] is None
    assert job_of(db, kept, CONFIRMATION)["sent_at"] == quiet_moment


def test_a_batch_whose_recipients_cannot_be_asked_for_is_tried_again_later(
    db, coachee, quiet_moment, rabbit_config
):
    [booking] = confirmations_queued(db, [coachee], quiet_moment)

    with (
        ServiceRpcProxy("accounts_nowhere", rabbit_config) as absent,
        scripted_smtp_server() as server,
    ):
        send_due_mails(work_at(db, quiet_moment, absent), mailer_for(server.config))

    assert (server.connections, server.accepted) == (0, [])
    job = job_of(db, booking, CONFIRMATION)
    assert (job["sent_at"], job["attempts"], job["last_error"]) == (None, 1, "UnknownService")
    assert job["next_attempt_at"] > quiet_moment


# The service's own timer entrypoints, with every service running


def test_the_service_mails_a_booking_and_its_cancellation(
    rpc, containers, catalogue, subscribers, smtp_sink
):
    form = coachee_form(subscribers["roster"]["id"])
    answer = rpc.bookings.create_booking(
        booking_request(catalogue, "2027-03-03T09:00:00+02:00", form)
    )
    booking_id = answer["booking"]["id"]

    run_now(containers["bookings"], "send_mails")
    [confirmation] = wait_for(lambda: smtp_sink.received(to=form["email"]))
    rpc.bookings.cancel_booking(booking_id, catalogue["coach"]["actor"])
    run_now(containers["bookings"], "send_mails")
    wait_for(lambda: len(smtp_sink.received(to=form["email"])) == 2)
    cancellation = smtp_sink.received(to=form["email"])[1]

    invite = calendar_in(confirmation, "invite.ics")
    cancel = calendar_in(cancellation, "cancel.ics")
    assert invite.child("VEVENT").one("DTSTART").value == "20270303T090000"
    assert cancel.child("VEVENT").one("UID").value == invite.child("VEVENT").one("UID").value
    assert int(cancel.child("VEVENT").one("SEQUENCE").value) > int(
        invite.child("VEVENT").one("SEQUENCE").value
    )
    assert "Haluan" not in confirmation.as_string()
    assert form["member_number"] not in confirmation.as_string()
