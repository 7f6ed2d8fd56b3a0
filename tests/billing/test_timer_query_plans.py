"""The billing timers' queries read through their partial indexes: what they look for stays a
handful of rows while sent report mails and published months pile up."""

from datetime import UTC, date, datetime

from services.billing import lines_repository as lines_repo
from services.billing.models import report_mails
from services.infra import mail_queue
from services.infra.mailer import retry_policy_from
from tests.plans import assert_reads_through, filled_database_fixture

NOW = datetime(2027, 3, 1, 8, 0, tzinfo=UTC)
SUBSCRIBERS = 40
MONTHS = 84

FILL = [
    "INSERT INTO subscribers (id, name, business_id, billing_contact_emails,"
    " member_number_in_report, eligibility_method, identifier_label, active, created_at,"
    " updated_at) SELECT gen_random_uuid(), 'Liitto ' || i, '0112038-9', '{}', true, 'roster',"
    f" 'Jäsennumero', true, now(), now() FROM generate_series(1, {SUBSCRIBERS}) i",
    # Seven years of months, published but for the last two.
    "INSERT INTO report_periods SELECT s.id, (date '2027-03-01' - make_interval(months => m)),"
    f" CASE WHEN m > 1 THEN '{NOW}'::timestamptz - make_interval(months => m - 1) END"
    f" FROM subscribers s, generate_series(0, {MONTHS - 1}) m",
    "INSERT INTO reports SELECT gen_random_uuid(), subscriber_id, period, 1, NULL, NULL,"
    " locked_at, 0, 0, '{}', true, 'csv', 'pdf' FROM report_periods WHERE locked_at IS NOT NULL",
    "INSERT INTO report_mails SELECT gen_random_uuid(), id, 'laskutus@liitto.fi', 1, issued_at,"
    " NULL, issued_at FROM reports",
    "INSERT INTO report_mails SELECT gen_random_uuid(), id, 'uusi@liitto.fi', 0,"
    f" '{NOW}'::timestamptz - interval '1 minute', NULL, NULL FROM reports LIMIT 3",
]


engine = filled_database_fixture("billing", FILL)


def test_claiming_due_report_mails_reads_only_unsent_ones(engine):
    assert_reads_through(
        engine,
        lambda db: mail_queue.claim_due(db, report_mails, NOW, retry_policy_from({}), 50),
        index="report_mails_unsent_due",
        table="report_mails",
    )


def test_finding_reports_to_publish_reads_only_unpublished_months(engine):
    assert_reads_through(
        engine,
        lambda db: lines_repo.open_periods(db, until=date(2027, 2, 1)),
        index="report_periods_open",
        table="report_periods",
    )
