"""A pooled connection that died while it lay unused is replaced unseen; one reused at once is
lent without a ping, and when it turns out dead the pool still recovers."""

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError
from sqlalchemy.pool import NullPool

from services.infra.database import make_engine, ping_after_idle
from services.infra.migrations import ensure_database


@pytest.fixture
def url(database_url):
    url = database_url("pool_pings")
    ensure_database(url)
    return url


@pytest.fixture
def engine(url):
    engine = make_engine(url, pool_size=1, max_overflow=0)
    yield engine
    engine.dispose()


@pytest.fixture
def terminate(url):
    """Ends a server process from another connection, as a database restart would."""
    admin = make_engine(url, poolclass=NullPool)

    def end(pid: int) -> None:
        with admin.begin() as connection:
            connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})

    yield end
    admin.dispose()


def backend_pid(engine) -> int:
    with engine.connect() as connection:
        return connection.execute(text("SELECT pg_backend_pid()")).scalar_one()


def test_a_connection_that_died_while_idle_is_replaced_unseen(engine, terminate):
    ping_after_idle(engine, idle_seconds=0)
    pid = backend_pid(engine)
    terminate(pid)

    assert backend_pid(engine) != pid


def test_a_connection_reused_at_once_is_not_pinged_and_the_pool_recovers(engine, terminate):
    ping_after_idle(engine, idle_seconds=60)
    pid = backend_pid(engine)
    terminate(pid)

    with pytest.raises(OperationalError):
        backend_pid(engine)
    assert backend_pid(engine) != pid
