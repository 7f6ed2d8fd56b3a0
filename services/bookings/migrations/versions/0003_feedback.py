"""Coachees' feedback on completed sessions: a rating and an optional comment per booking."""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import UUID

revision = "bookings_0003"
down_revision = "bookings_0002"


def upgrade() -> None:
    op.create_table(
        "feedback",
        sa.Column("id", UUID(as_uuid=True), primary_key=True),
        sa.Column("booking_id", UUID(as_uuid=True), sa.ForeignKey("bookings.id"), unique=True),
        sa.Column(
            "service_id", UUID(as_uuid=True), sa.ForeignKey("catalogue_services.id"), nullable=False
        ),
        sa.Column("coach_id", UUID(as_uuid=True), sa.ForeignKey("coaches.id"), nullable=False),
        sa.Column("session_month", sa.Date, nullable=False),
        sa.Column("rating", sa.SmallInteger, nullable=False),
        sa.Column("comment", sa.Text),
        sa.Column("created_at", sa.DateTime(timezone=True)),
        sa.Column("updated_at", sa.DateTime(timezone=True)),
        sa.CheckConstraint("rating BETWEEN 1 AND 5", name="feedback_rating"),
        sa.CheckConstraint(
            "(booking_id IS NOT NULL AND created_at IS NOT NULL AND updated_at IS NOT NULL)"
            " OR (booking_id IS NULL AND comment IS NULL AND created_at IS NULL"
            " AND updated_at IS NULL)",
            name="feedback_detached_is_anonymous",
        ),
    )
    op.create_index("feedback_statistics", "feedback", ["session_month", "service_id", "coach_id"])
