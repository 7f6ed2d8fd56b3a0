"""Each booking keeps the subscriber and member number its eligibility was decided for, so that
it is billed to the subscriber that accepted it whatever the profile says later. Bookings made
before this have none (billing then reads the profile, as it did)."""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import UUID

revision = "bookings_0004"
down_revision = "bookings_0003"


def upgrade() -> None:
    op.add_column("bookings", sa.Column("subscriber_id", UUID(as_uuid=True)))
    op.add_column("bookings", sa.Column("member_number", sa.Text))


def downgrade() -> None:
    op.drop_column("bookings", "member_number")
    op.drop_column("bookings", "subscriber_id")
