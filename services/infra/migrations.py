"""Alembic, per service: each service's `migrations/` folder, its own database."""

from pathlib import Path

from alembic import command, context
from alembic.config import Config
from sqlalchemy import create_engine, make_url, pool, text

from services.infra.tables import infra_metadata

SERVICES_DIR = Path(__file__).resolve().parents[1]


def create_infra_tables(connection) -> None:
    """Called by each service's first migration: outbox, processed and parked events."""
    infra_metadata.create_all(bind=connection)


def add_message_headers(connection) -> None:
    """Called by each service's migration that gives outbox and parked rows their `headers`.

    `IF NOT EXISTS`, because a database made after the column joined `tables.py` already has it
    from `create_infra_tables`.
    """
    for table in ("outbox", "parked_events"):
        connection.execute(text(f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS headers JSONB"))


def drop_message_headers(connection) -> None:
    """The way back from `add_message_headers`."""
    for table in ("outbox", "parked_events"):
        connection.execute(text(f"ALTER TABLE {table} DROP COLUMN IF EXISTS headers"))


def run_migrations() -> None:
    """The body of every service's `migrations/env.py` (online mode only)."""
    url = context.config.get_main_option("sqlalchemy.url")
    engine = create_engine(url, poolclass=pool.NullPool)
    with engine.connect() as connection:
        context.configure(connection=connection, transaction_per_migration=True)
        with context.begin_transaction():
            context.run_migrations()


def ensure_database(url: str) -> None:
    """Create the database `url` names if it does not exist (needs CREATEDB on the server)."""
    target = make_url(url)
    admin = create_engine(
        target.set(database="postgres"), isolation_level="AUTOCOMMIT", poolclass=pool.NullPool
    )
    with admin.connect() as connection:
        exists = connection.execute(
            text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": target.database}
        ).first()
        if not exists:
            connection.execute(text(f'CREATE DATABASE "{target.database}"'))
    admin.dispose()


def drop_database(url: str) -> None:
    target = make_url(url)
    admin = create_engine(
        target.set(database="postgres"), isolation_level="AUTOCOMMIT", poolclass=pool.NullPool
    )
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{target.database}" WITH (FORCE)'))
    admin.dispose()


def alembic_config(service: str, url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(SERVICES_DIR / service / "migrations"))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(service: str, url: str) -> None:
    ensure_database(url)
    command.upgrade(alembic_config(service, url), "head")
