"""The timer deleting expired answers reads through its partial index: the answers still kept
stay a handful while finished requests pile up."""

from datetime import UTC, datetime

from services.privacy import repository as repo
from tests.plans import assert_reads_through, filled_database_fixture

NOW = datetime(2027, 3, 1, 8, 0, tzinfo=UTC)
FINISHED = 3000

FILL = [
    # Finished requests: every other one an export whose answer was deleted when it expired.
    "INSERT INTO subject_requests (id, kind, subject_id, origin, received_at, due_at, status,"
    " completed_at, result_key, result_expires_at, result_deleted_at)"
    " SELECT gen_random_uuid(), CASE WHEN i % 2 = 0 THEN 'export' ELSE 'erasure' END,"
    " gen_random_uuid(), 'subject', t, t + interval '30 days', 'completed', t,"
    " CASE WHEN i % 2 = 0 THEN 'answers/' || i END,"
    " CASE WHEN i % 2 = 0 THEN t + interval '14 days' END,"
    " CASE WHEN i % 2 = 0 THEN t + interval '14 days' END"
    f" FROM generate_series(1, {FINISHED}) i,"
    f" LATERAL (SELECT '{NOW}'::timestamptz - interval '15 days' - i * interval '1 hour' AS t) f",
    "INSERT INTO subject_requests (id, kind, subject_id, origin, received_at, due_at, status,"
    " completed_at, result_key, result_expires_at) SELECT gen_random_uuid(), 'export',"
    f" gen_random_uuid(), 'subject', '{NOW}', '{NOW}', 'completed', '{NOW}', 'answers/kept' || i,"
    f" '{NOW}'::timestamptz + (i - 3) * interval '1 day' FROM generate_series(1, 5) i",
]


engine = filled_database_fixture("privacy", FILL)


def test_finding_expired_answers_reads_only_answers_still_kept(engine):
    assert_reads_through(
        engine,
        lambda db: repo.expired_results(db, NOW, 100),
        index="requests_result_expiry",
        table="subject_requests",
    )
