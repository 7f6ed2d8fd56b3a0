import pytest
from sqlalchemy import create_engine, delete
from sqlalchemy.pool import NullPool

from services.infra.migrations import create_infra_tables, ensure_database
from services.infra.tables import outbox, parked_events, processed_events
from tests.infra.sample_services import blocked_texts, notes, sample_metadata, seen


@pytest.fixture(scope="session")
def sample_databases(database_url):
    urls = {}
    for name in ("sample_source", "sample_sink"):
        urls[name] = database_url(name)
        ensure_database(urls[name])
        engine = create_engine(urls[name], poolclass=NullPool)
        with engine.begin() as connection:
            create_infra_tables(connection)
            sample_metadata.create_all(connection)
        engine.dispose()
    return urls


@pytest.fixture
def sample_engines(sample_databases):
    """Engines on the sample services' databases, emptied before each test."""
    engines = {
        name: create_engine(url, poolclass=NullPool) for name, url in sample_databases.items()
    }
    for engine in engines.values():
        with engine.begin() as connection:
            for table in (outbox, processed_events, parked_events, notes, seen, blocked_texts):
                connection.execute(delete(table))
    yield engines
    for engine in engines.values():
        engine.dispose()


@pytest.fixture
def sample_config(base_config, sample_databases, sample_engines):
    def config_of(name: str) -> dict:
        return dict(base_config, DATABASE_URL=sample_databases[name])

    return config_of


@pytest.fixture
def sample_queues(base_config):
    """Declares the sample sink's queues before a test and deletes them after it."""
    from kombu import Connection

    from services.infra.queues import declare_queues, queues_of
    from tests.infra.sample_services import SinkService

    declare_queues([SinkService], base_config)
    yield
    with Connection(base_config["AMQP_URI"]) as connection:
        channel = connection.channel()
        for queue in queues_of(SinkService, base_config):
            queue(channel).delete()
