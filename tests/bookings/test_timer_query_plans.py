"""The bookings timers' queries read through their partial indexes: what they look for stays a
handful of rows while past bookings, sent mails and booked registrations pile up."""

from datetime import UTC, datetime, timedelta

from services.bookings import repository as repo
from services.bookings.models import mail_jobs
from services.bookings.notifications import REMINDER
from services.infra import mail_queue
from services.infra.mailer import retry_policy_from
from tests.plans import assert_reads_through, filled_database_fixture

NOW = datetime(2027, 3, 1, 8, 0, tzinfo=UTC)
PAST = 3000
COACH = "00000000-0000-0000-0000-00000000000c"
SERVICE = "00000000-0000-0000-0000-00000000000a"
SPECIFICATION = "00000000-0000-0000-0000-00000000000b"
BOOKING_COLUMNS = (
    "id, coachee_id, coach_id, service_id, specification_id, delivery_method, starts_at,"
    " ends_at, blocks_until, status, message, eligibility_rule, hold_expires_at,"
    " registered_coachee, created_at, updated_at"
)


def bookings_at(times: str, status: str, hold: str = "NULL") -> str:
    """Hour-long bookings of the one coach, starting at each `t` of `times` (a FROM item)."""
    return (
        f"INSERT INTO bookings ({BOOKING_COLUMNS}) SELECT gen_random_uuid(), gen_random_uuid(),"
        f" '{COACH}', '{SERVICE}', '{SPECIFICATION}', 'video', t, t + interval '1 hour',"
        f" t + interval '75 minutes', {status}, '', 'roster', {hold}, false, t, t FROM {times}"
    )


FILL = [
    f"INSERT INTO catalogue_services VALUES ('{SERVICE}', 's', 'd', 60, '{{video}}', true)",
    f"INSERT INTO specifications VALUES ('{SPECIFICATION}', '{SERVICE}', 'sp', 1)",
    f"INSERT INTO coaches VALUES ('{COACH}', gen_random_uuid(), 'Kaisa', true)",
    # Past bookings: mostly completed, some cancelled after their hold ran out, a few never
    # marked completed.
    bookings_at(
        f"generate_series(1, {PAST}) i, LATERAL (SELECT '{NOW}'::timestamptz"
        " - i * interval '2 hours' AS t) past",
        "CASE WHEN i % 50 = 0 THEN 'confirmed' WHEN i % 20 = 0 THEN 'cancelled'"
        " ELSE 'completed' END",
        hold="CASE WHEN i % 20 = 0 THEN t - interval '1 day' END",
    ),
    bookings_at(
        f"generate_series(1, 60) i, LATERAL (SELECT '{NOW}'::timestamptz"
        " + i * interval '2 hours' AS t) future",
        "CASE WHEN i <= 3 THEN 'pending_eligibility' ELSE 'confirmed' END",
        hold=f"CASE WHEN i <= 2 THEN '{NOW}'::timestamptz - interval '1 minute' END",
    ),
    "INSERT INTO mail_jobs SELECT gen_random_uuid(), id, kind, starts_at, 1,"
    " starts_at - interval '1 day', NULL, starts_at - interval '1 day' FROM bookings,"
    " (VALUES ('confirmation'), ('reminder')) kinds(kind)"
    f" WHERE starts_at < '{NOW}'",
    "INSERT INTO mail_jobs SELECT gen_random_uuid(), id, 'confirmation', starts_at, 0,"
    f" '{NOW}'::timestamptz - interval '1 minute', NULL, NULL FROM bookings"
    f" WHERE starts_at > '{NOW}' ORDER BY starts_at LIMIT 3",
    "INSERT INTO registrations SELECT 'key' || i, 'booked',"
    f" '{NOW}'::timestamptz - i * interval '1 hour', gen_random_uuid()"
    f" FROM generate_series(1, {PAST}) i",
    f"INSERT INTO registrations VALUES ('stale', 'open', '{NOW}'::timestamptz - interval '1 hour',"
    f" NULL), ('fresh', 'open', '{NOW}', NULL), ('gone1', 'abandoned', '{NOW}', NULL),"
    f" ('gone2', 'abandoned', '{NOW}', NULL)",
]


engine = filled_database_fixture("bookings", FILL)


def test_claiming_due_mails_reads_only_unsent_jobs(engine):
    assert_reads_through(
        engine,
        lambda db: mail_queue.claim_due(db, mail_jobs, NOW, retry_policy_from({}), 50),
        index="mail_jobs_unsent_due",
        table="mail_jobs",
    )


def test_expiring_holds_reads_only_pending_bookings(engine):
    assert_reads_through(
        engine,
        lambda db: repo.expired_holds(db, NOW),
        index="bookings_hold_expiry",
        table="bookings",
    )


def test_queueing_reminders_reads_only_confirmed_bookings_of_the_period(engine):
    assert_reads_through(
        engine,
        lambda db: repo.confirmed_without_mail(db, REMINDER, NOW, NOW + timedelta(days=1)),
        index="bookings_confirmed_start",
        table="bookings",
    )


def test_abandoning_registrations_reads_only_open_ones(engine):
    assert_reads_through(
        engine,
        lambda db: repo.abandon_registrations_opened_before(db, NOW - timedelta(minutes=2), 100),
        index="registrations_open_since",
        table="registrations",
    )


def test_settling_abandoned_registrations_reads_only_abandoned_ones(engine):
    assert_reads_through(
        engine,
        lambda db: repo.abandoned_registrations(db, 100),
        index="registrations_abandoned",
        table="registrations",
    )
