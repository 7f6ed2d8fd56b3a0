"""A failed statement names no value it was given, in its error or in any log line."""

import logging

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError, StatementError
from sqlalchemy.pool import NullPool

from services.infra.database import make_engine
from services.infra.migrations import ensure_database

MARKER = "maija.merkkinen@example.fi"


@pytest.fixture
def engine(database_url):
    url = database_url("statement_values")
    ensure_database(url)
    engine = make_engine(url, poolclass=NullPool, echo=False)
    with engine.begin() as connection:
        connection.execute(text("DROP TABLE IF EXISTS people"))
        connection.execute(text("CREATE TABLE people (email text UNIQUE)"))
        connection.execute(text("INSERT INTO people VALUES (:email)"), {"email": MARKER})
    yield engine
    engine.dispose()


def test_a_unique_violation_names_its_constraint_but_not_the_value(engine, caplog):
    with (
        caplog.at_level(logging.DEBUG),
        pytest.raises(IntegrityError) as raised,
        engine.begin() as connection,
    ):
        connection.execute(text("INSERT INTO people VALUES (:email)"), {"email": MARKER})

    assert "people_email_key" in str(raised.value)
    assert raised.value.orig.diag.constraint_name == "people_email_key"
    assert MARKER not in str(raised.value)
    assert MARKER not in caplog.text


def test_a_value_the_driver_refuses_is_not_shown(engine, caplog):
    with (
        caplog.at_level(logging.DEBUG),
        pytest.raises(StatementError) as raised,
        engine.begin() as connection,
    ):
        connection.execute(text("INSERT INTO people VALUES (:email)"), {"email": f"{MARKER}\0"})

    assert MARKER not in str(raised.value)
    assert MARKER not in caplog.text
