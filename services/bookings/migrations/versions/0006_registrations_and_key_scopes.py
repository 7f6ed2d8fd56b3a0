"""First-booking registrations, decided once (booked or abandoned), and idempotency keys scoped
to their caller with the hash of the request they were first sent with."""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import UUID

revision = "bookings_0006"
down_revision = "bookings_0005"


def upgrade() -> None:
    op.create_table(
        "registrations",
        sa.Column("registration_key", sa.Text, primary_key=True),
        sa.Column("state", sa.Text, nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("account_id", UUID(as_uuid=True)),
        sa.CheckConstraint("state IN ('open', 'booked', 'abandoned')", name="registrations_state"),
    )
    op.create_index("registrations_open", "registrations", ["opened_at"])
    op.add_column("bookings", sa.Column("idempotency_scope", sa.Text))
    op.add_column("bookings", sa.Column("request_hash", sa.Text))
    op.execute(
        "UPDATE bookings SET idempotency_scope = CASE WHEN registered_coachee"
        " THEN 'first-booking' ELSE coachee_id::text END WHERE idempotency_key IS NOT NULL"
    )
    op.drop_constraint("bookings_idempotency_key_key", "bookings", type_="unique")
    op.create_unique_constraint(
        "bookings_idempotency", "bookings", ["idempotency_scope", "idempotency_key"]
    )
