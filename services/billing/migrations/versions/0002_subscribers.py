"""Subscribers and the keyed hashes of their member rosters."""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import ARRAY, UUID

revision = "billing_0002"
down_revision = "billing_0001"


def upgrade() -> None:
    op.create_table(
        "subscribers",
        sa.Column("id", UUID(as_uuid=True), primary_key=True),
        sa.Column("name", sa.Text, nullable=False, unique=True),
        sa.Column("business_id", sa.Text, nullable=False),
        sa.Column("billing_contact_emails", ARRAY(sa.Text), nullable=False),
        sa.Column("member_number_in_report", sa.Boolean, nullable=False),
        sa.Column("eligibility_method", sa.Text, nullable=False),
        sa.Column("identifier_label", sa.Text, nullable=False),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.Column("roster_members", sa.Integer, nullable=False, server_default="0"),
        sa.Column("roster_replaced_at", sa.DateTime(timezone=True)),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "eligibility_method IN ('roster', 'manual')", name="subscribers_eligibility_method"
        ),
    )
    op.create_table(
        "roster_members",
        sa.Column(
            "subscriber_id", UUID(as_uuid=True), sa.ForeignKey("subscribers.id"), nullable=False
        ),
        sa.Column("member_hash", sa.LargeBinary, nullable=False),
        sa.PrimaryKeyConstraint("subscriber_id", "member_hash"),
    )
