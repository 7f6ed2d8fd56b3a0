"""The operator command `valmennus`."""

import subprocess
import sys
from pathlib import Path

from sqlalchemy import create_engine, inspect
from sqlalchemy.pool import NullPool

from services.infra.migrations import upgrade

VALMENNUS = str(Path(sys.executable).parent / "valmennus")


def test_help_lists_the_operator_commands():
    result = subprocess.run([VALMENNUS, "--help"], capture_output=True, text=True, check=True)
    for command in ("migrate", "declare-queues", "parked", "create-admin", "run-local"):
        assert command in result.stdout


def test_migrate_refuses_an_unknown_service():
    result = subprocess.run([VALMENNUS, "migrate", "payroll"], capture_output=True, text=True)
    assert result.returncode == 2
    assert "services are accounts" in result.stderr


def test_migrating_twice_changes_nothing_and_creates_the_infra_tables(database_url):
    url = database_url("twice")
    upgrade("bookings", url)
    upgrade("bookings", url)
    engine = create_engine(url, poolclass=NullPool)
    tables = set(inspect(engine).get_table_names())
    engine.dispose()
    assert {"outbox", "processed_events", "parked_events", "alembic_version"} <= tables


def test_declare_queues_uses_the_configured_broker(amqp_uri):
    result = subprocess.run(
        [VALMENNUS, "declare-queues"],
        capture_output=True,
        text=True,
        env={"AMQP_URI": amqp_uri, "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0, result.stderr
    assert "declared" in result.stdout
