"""Attachments: which booking and person each stored file belongs to, and what was removed."""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import ARRAY, UUID

revision = "media_0002"
down_revision = "media_0001"


def upgrade() -> None:
    op.create_table(
        "attachments",
        sa.Column("id", UUID(as_uuid=True), primary_key=True),
        sa.Column("booking_id", UUID(as_uuid=True), nullable=False),
        sa.Column("owner_id", UUID(as_uuid=True), nullable=False),
        sa.Column("object_key", sa.Text, nullable=False, unique=True),
        sa.Column("quarantine_key", sa.Text, nullable=False, unique=True),
        sa.Column("idempotency_key", sa.Text),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("content_type", sa.Text, nullable=False),
        sa.Column("size_bytes", sa.BigInteger, nullable=False),
        sa.Column("sha256", sa.Text, nullable=False),
        sa.Column("removed_metadata", ARRAY(sa.Text), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("owner_id", "idempotency_key", name="attachments_idempotency"),
    )
    op.create_index("attachments_booking", "attachments", ["booking_id", "created_at"])
    op.create_index("attachments_owner", "attachments", ["owner_id"])
