"""The outbox, once-per-event handling, retry/park and queue declaration, on the real broker."""

import uuid

import pytest
from amqp.exceptions import ChannelError
from kombu import Connection
from nameko.amqp.publish import Publisher
from nameko.events import get_event_exchange
from nameko.standalone.rpc import ServiceRpcProxy
from sqlalchemy import delete, insert, select

from services.infra.outbox import Outbox
from services.infra.tables import outbox, parked_events
from tests.conftest import wait_for
from tests.infra.sample_services import SinkService, SourceService, blocked_texts, notes

pytestmark = pytest.mark.usefixtures("sample_queues")


def seen_by_sink(config) -> list[str]:
    with ServiceRpcProxy("sample_sink", config) as sink:
        return sink.seen_texts()


def start(container_factory, service_cls, config):
    container = container_factory(service_cls, config)
    container.start()
    return container


def pending_outbox_rows(engine) -> int:
    with engine.connect() as connection:
        rows = connection.execute(select(outbox.c.id).where(outbox.c.published_at.is_(None)))
        return len(rows.all())


def test_committed_note_event_reaches_the_handler(container_factory, sample_config):
    start(container_factory, SourceService, sample_config("sample_source"))
    start(container_factory, SinkService, sample_config("sample_sink"))

    with ServiceRpcProxy("sample_source", sample_config("sample_source")) as source:
        source.write_note("hello")

    assert wait_for(lambda: seen_by_sink(sample_config("sample_sink")) == ["hello"])


def test_failed_worker_leaves_neither_change_nor_event(
    container_factory, sample_config, sample_engines
):
    start(container_factory, SourceService, sample_config("sample_source"))

    with (
        ServiceRpcProxy("sample_source", sample_config("sample_source")) as source,
        pytest.raises(Exception, match="failed after dispatching"),
    ):
        source.write_note_then_fail("never")

    with sample_engines["sample_source"].connect() as connection:
        assert connection.execute(select(notes)).all() == []
        assert connection.execute(select(outbox)).all() == []


def test_event_dispatched_regardless_survives_the_workers_rollback(
    container_factory, sample_config, sample_engines
):
    start(container_factory, SourceService, sample_config("sample_source"))
    start(container_factory, SinkService, sample_config("sample_sink"))

    with (
        ServiceRpcProxy("sample_source", sample_config("sample_source")) as source,
        pytest.raises(Exception, match="refused"),
    ):
        source.refuse_but_record("refusal")

    assert wait_for(lambda: seen_by_sink(sample_config("sample_sink")) == ["refusal"])
    with sample_engines["sample_source"].connect() as connection:
        assert connection.execute(select(notes)).all() == []


class OutboxThatNeverRelays(Outbox):
    """An outbox whose service dies after committing and before publishing."""

    def start(self):
        pass

    def worker_result(self, worker_ctx, result=None, exc_info=None):
        pass


class SourceKilledBeforePublishing(SourceService):
    outbox = OutboxThatNeverRelays()


def test_service_killed_between_commit_and_publish_sends_the_event_after_restart(
    container_factory, sample_config, sample_engines
):
    source_config = sample_config("sample_source")
    doomed = start(container_factory, SourceKilledBeforePublishing, source_config)
    with ServiceRpcProxy("sample_source", source_config) as source:
        source.write_note("survives a crash")
    doomed.kill()
    assert pending_outbox_rows(sample_engines["sample_source"]) == 1

    start(container_factory, SinkService, sample_config("sample_sink"))
    start(container_factory, SourceService, source_config)

    assert wait_for(lambda: seen_by_sink(sample_config("sample_sink")) == ["survives a crash"])
    assert pending_outbox_rows(sample_engines["sample_source"]) == 0


class PublisherThatFailsSecondTime:
    """Publishes one event, then finds the broker gone."""

    def __init__(self):
        self.published = 0

    def publish(self, *args, **kwargs):
        if self.published:
            raise ConnectionError("broker gone")
        self.published += 1


class SourceWhoseBrokerGoes(SourceService):
    outbox = OutboxThatNeverRelays()


def test_a_batch_whose_publishing_fails_stays_pending_whole_and_goes_out_later(
    container_factory, sample_config, sample_engines
):
    """Claiming marks the batch published in the same transaction: a failure part way rolls every
    mark back, so the whole batch is relayed again."""
    source_config = sample_config("sample_source")
    broken = start(container_factory, SourceWhoseBrokerGoes, source_config)
    with ServiceRpcProxy("sample_source", source_config) as source:
        source.write_note("first")
        source.write_note("second")
    relay = next(ext for ext in broken.extensions if isinstance(ext, Outbox))
    relay.publisher = PublisherThatFailsSecondTime()
    with pytest.raises(ConnectionError):
        relay.relay_pending()
    broken.kill()
    assert pending_outbox_rows(sample_engines["sample_source"]) == 2

    start(container_factory, SinkService, sample_config("sample_sink"))
    start(container_factory, SourceService, source_config)

    # The sink handles the two events in concurrent workers, so either may be stored first.
    assert wait_for(
        lambda: sorted(seen_by_sink(sample_config("sample_sink"))) == ["first", "second"]
    )
    assert pending_outbox_rows(sample_engines["sample_source"]) == 0


def test_same_event_delivered_twice_is_handled_once(container_factory, sample_config):
    config = sample_config("sample_sink")
    start(container_factory, SinkService, config)
    payload = {"event_id": str(uuid.uuid4()), "text": "only once"}
    publisher = Publisher(config["AMQP_URI"])
    exchange = get_event_exchange("sample_source", config)
    for _ in range(3):
        publisher.publish(payload, exchange=exchange, routing_key="note_written")
    publisher.publish(
        {"event_id": str(uuid.uuid4()), "text": "marker"},
        exchange=exchange,
        routing_key="note_written",
    )

    assert wait_for(lambda: "marker" in seen_by_sink(config))
    assert seen_by_sink(config).count("only once") == 1


def block(engine, text: str) -> None:
    with engine.begin() as connection:
        connection.execute(insert(blocked_texts).values(text=text))


def unblock(engine, text: str) -> None:
    with engine.begin() as connection:
        connection.execute(delete(blocked_texts).where(blocked_texts.c.text == text))


def parked_rows(engine) -> list:
    with engine.connect() as connection:
        return connection.execute(select(parked_events)).mappings().all()


def messages_waiting(config, queue_name: str) -> int:
    with Connection(config["AMQP_URI"]) as connection:
        try:
            return connection.default_channel.queue_declare(queue_name, passive=True).message_count
        except ChannelError:
            return 0


def test_failing_handler_is_retried_and_succeeds_when_the_cause_goes(
    container_factory, sample_config, sample_engines
):
    sink_engine = sample_engines["sample_sink"]
    sink_config = dict(sample_config("sample_sink"), EVENT_RETRY_DELAYS_MS="2000,2000")
    block(sink_engine, "flaky")
    start(container_factory, SinkService, sink_config)
    start(container_factory, SourceService, sample_config("sample_source"))

    with ServiceRpcProxy("sample_source", sample_config("sample_source")) as source:
        source.write_note("flaky")
    retry_queue_name = "evt-sample_source-note_written--sample_sink.on_note_written.retry-2000"
    wait_for(lambda: messages_waiting(sink_config, retry_queue_name) == 1)
    unblock(sink_engine, "flaky")

    assert wait_for(lambda: seen_by_sink(sink_config) == ["flaky"])
    assert parked_rows(sink_engine) == []


def test_handler_failing_every_retry_is_parked_then_replayed(
    container_factory, sample_config, sample_engines
):
    sink_engine = sample_engines["sample_sink"]
    sink_config = sample_config("sample_sink")
    block(sink_engine, "poison")
    start(container_factory, SinkService, sink_config)
    start(container_factory, SourceService, sample_config("sample_source"))
    request = {"request_id": "poisoned-request"}

    with ServiceRpcProxy(
        "sample_source", sample_config("sample_source"), context_data=request
    ) as source:
        source.write_note("poison")

    parked = wait_for(lambda: parked_rows(sink_engine))
    assert parked[0]["attempts"] == 3
    assert "cannot be handled yet" in parked[0]["error"]
    assert parked[0]["headers"] == {"nameko.request_id": "poisoned-request"}
    assert seen_by_sink(sink_config) == []

    unblock(sink_engine, "poison")
    with ServiceRpcProxy("sample_sink", sink_config) as sink:
        listed = sink.list_parked_events()
        assert [item["payload"]["text"] for item in listed] == ["poison"]
        assert listed[0]["headers"] == {"nameko.request_id": "poisoned-request"}
        assert sink.replay_parked_event(listed[0]["id"]) is True
        assert sink.replay_parked_event(listed[0]["id"]) is False

    assert wait_for(lambda: seen_by_sink(sink_config) == ["poison"])
    with ServiceRpcProxy("sample_sink", sink_config) as sink:
        assert sink.list_parked_events() == []


def test_event_sent_before_its_consumer_ever_ran_is_handled_when_it_starts(
    container_factory, sample_config, sample_engines
):
    source = start(container_factory, SourceService, sample_config("sample_source"))
    with ServiceRpcProxy("sample_source", sample_config("sample_source")) as proxy:
        proxy.write_note("early bird")
    wait_for(lambda: pending_outbox_rows(sample_engines["sample_source"]) == 0)
    source.stop()

    start(container_factory, SinkService, sample_config("sample_sink"))

    assert wait_for(lambda: seen_by_sink(sample_config("sample_sink")) == ["early bird"])
