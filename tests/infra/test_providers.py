"""The infrastructure providers' own behaviour, each against the real server it wraps."""

import uuid
from datetime import UTC, datetime, timedelta

import eventlet
import pytest
import requests
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool

from services.infra.clock import SettableClock, SystemClock
from services.infra.erasure import ErasureResult, run_erasure
from services.infra.events import claim_event, retry_delays_ms
from services.infra.outbox import OutboxWriter
from services.infra.storage import MAX_PRESIGN_SECONDS, ObjectStore, make_s3_client
from services.infra.tables import outbox


def test_settable_clock_moves_only_when_told():
    start = datetime(2027, 3, 1, 8, 0, tzinfo=UTC)
    clock = SettableClock(start)
    assert clock.now() == start
    clock.advance(timedelta(hours=2))
    assert clock.now() == start + timedelta(hours=2)
    with pytest.raises(ValueError):
        clock.set(datetime(2027, 3, 1))


def test_system_clock_is_aware_utc():
    assert SystemClock().now().utcoffset() == timedelta(0)


def test_retry_delays_come_from_config():
    assert retry_delays_ms({"EVENT_RETRY_DELAYS_MS": "100, 2000"}) == [100, 2000]
    assert retry_delays_ms({}) == [1000, 10000, 60000, 300000]


@pytest.fixture
def sink_session(sample_databases, sample_engines):
    engine = create_engine(sample_databases["sample_sink"], poolclass=NullPool)
    with Session(engine) as session:
        yield session
        session.rollback()
    engine.dispose()


def test_claiming_an_event_twice_says_it_was_handled(sink_session):
    event_id = str(uuid.uuid4())
    assert claim_event(sink_session, "sample.note_written:on_note", event_id) is True
    assert claim_event(sink_session, "sample.note_written:on_note", event_id) is False
    assert claim_event(sink_session, "other.note_written:on_note", event_id) is True


def test_dispatch_writes_the_event_with_its_id_into_the_transaction(sink_session):
    dispatched = []
    writer = OutboxWriter(sink_session, lambda: dispatched.append(True))
    event_id = writer.dispatch("note_written", {"note_id": 7})
    row = sink_session.execute(select(outbox).where(outbox.c.event_id == event_id)).one()
    assert row.event_type == "note_written"
    assert row.payload == {"note_id": 7, "event_id": str(event_id)}
    assert row.published_at is None
    assert dispatched == [True]


@pytest.fixture
def object_store(s3_config):
    return ObjectStore(make_s3_client(s3_config), s3_config["S3_BUCKET"])


def test_every_object_is_stored_with_server_side_encryption(object_store):
    key = f"test/{uuid.uuid4()}"
    object_store.put(key, b"secret cv", "application/pdf")
    head = object_store._client.head_object(Bucket=object_store.bucket, Key=key)
    assert head["ServerSideEncryption"] == "AES256"
    assert object_store.read(key) == b"secret cv"


def test_presigned_download_is_an_attachment_and_lives_at_most_300_s(object_store):
    key = f"test/{uuid.uuid4()}"
    object_store.put(key, b"%PDF-1.4", "application/pdf")
    url = object_store.presigned_get(key, 3600, "cv.pdf", "application/pdf")
    assert f"X-Amz-Expires={MAX_PRESIGN_SECONDS}" in url
    response = requests.get(url, timeout=5)
    assert response.content == b"%PDF-1.4"
    assert response.headers["Content-Disposition"] == 'attachment; filename="cv.pdf"'


def test_delete_everywhere_removes_every_version(object_store):
    key = f"test/{uuid.uuid4()}"
    object_store.put(key, b"first", "text/plain")
    object_store.put(key, b"second", "text/plain")
    object_store.put(f"{key}-neighbour", b"keep me", "text/plain")

    assert object_store.delete_everywhere(key) == 2

    listing = object_store._client.list_object_versions(Bucket=object_store.bucket, Prefix=key)
    remaining = {entry["Key"] for entry in listing.get("Versions", [])}
    assert remaining == {f"{key}-neighbour"}


def test_a_concurrent_repeat_of_an_erasure_waits_and_answers_with_the_stored_result(
    sample_databases, sample_engines
):
    engine = create_engine(sample_databases["sample_sink"], poolclass=NullPool)
    request_id = str(uuid.uuid4())
    erased = []

    def erase(_session):
        erased.append(True)
        return ErasureResult(items_removed=len(erased))

    with Session(engine) as first, Session(engine) as second:
        first_answer = run_erasure(first, request_id, False, erase)
        repeat = eventlet.spawn(run_erasure, second, request_id, False, erase)
        eventlet.sleep(0.2)
        first.commit()
        second_answer = repeat.wait()
        second.commit()
    engine.dispose()

    assert erased == [True]
    assert second_answer == first_answer
