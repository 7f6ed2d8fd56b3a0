"""The billing service's outbox, processed events and parked events."""

from alembic import op

from services.infra.migrations import create_infra_tables

revision = "billing_0001"
down_revision = None


def upgrade() -> None:
    create_infra_tables(op.get_bind())
