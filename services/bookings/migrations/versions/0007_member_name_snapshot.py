"""Each booking also keeps the member's name as it was when the booking was made, beside the
subscriber and member number, so that billing's line is a snapshot of the member without asking
accounts. Bookings made before this have none (billing then asks accounts, as it did)."""

import sqlalchemy as sa
from alembic import op

revision = "bookings_0007"
down_revision = "bookings_0006"


def upgrade() -> None:
    op.add_column("bookings", sa.Column("member_name", sa.Text))


def downgrade() -> None:
    op.drop_column("bookings", "member_name")
