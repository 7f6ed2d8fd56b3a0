"""The plan PostgreSQL makes for what a function asks: the tests of periodic queries prove with
it that the query reads through its index, not through every finished row the table keeps."""

from collections.abc import Callable

import pytest
from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool

from services.infra.migrations import upgrade


def filled_database(database_url, service: str, statements: list[str]) -> Engine:
    """A new database of `service` with the real migrations, `statements` run on it, analysed.
    `database_url` is the session's fixture, which drops it at the end."""
    url = database_url(f"{service}_plans")
    upgrade(service, url)
    engine = create_engine(url, poolclass=NullPool)
    with engine.begin() as connection:
        for statement in statements:
            connection.execute(text(statement))
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("ANALYZE"))
    return engine


def filled_database_fixture(service: str, statements: list[str]):
    """A module's `engine` fixture: `filled_database(...)` made once for the module's tests."""

    @pytest.fixture(scope="module")
    def engine(database_url):
        engine = filled_database(database_url, service, statements)
        yield engine
        engine.dispose()

    return engine


def plan_of(engine: Engine, run: Callable[[Session], object]) -> str:
    """EXPLAIN of the one statement `run(session)` sends, with its parameters; what the
    statement changed is rolled back."""
    sent = []

    def note(connection, cursor, statement, parameters, context, executemany):
        sent.append((statement, parameters))

    with engine.connect() as connection:
        event.listen(connection, "before_cursor_execute", note)
        with Session(connection) as session:
            run(session)
            session.rollback()
        event.remove(connection, "before_cursor_execute", note)
        assert len(sent) == 1, sent
        statement, parameters = sent[0]
        lines = connection.exec_driver_sql(f"EXPLAIN {statement}", parameters).scalars()
        plan = "\n".join(lines)
        connection.rollback()
    return plan


def assert_reads_through(engine: Engine, run: Callable[[Session], object], index: str, table: str):
    """The statement `run(session)` sends reads `table` through `index`, never row by row."""
    plan = plan_of(engine, run)
    assert index in plan, plan
    assert f"Seq Scan on {table}" not in plan, plan
