"""In every service, the tables the code queries are the tables the migrations create."""

import importlib

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine
from sqlalchemy.pool import NullPool

from services.contracts.names import ALL_SERVICES
from services.infra.tables import infra_metadata


def service_metadata(service: str) -> list:
    try:
        models = importlib.import_module(f"services.{service}.models")
    except ModuleNotFoundError:
        return [infra_metadata]
    return [models.metadata, infra_metadata]


@pytest.mark.parametrize("service", ALL_SERVICES)
def test_models_match_the_migrated_database(service, service_databases):
    engine = create_engine(service_databases[service], poolclass=NullPool)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, service_metadata(service))
    engine.dispose()
    assert differences == []
