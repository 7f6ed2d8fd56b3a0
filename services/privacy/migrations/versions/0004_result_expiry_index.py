"""The timer that deletes expired answers reads only answers still kept, through a partial
index, instead of every request ever made."""

import sqlalchemy as sa
from alembic import op

revision = "privacy_0004"
down_revision = "privacy_0003"


def upgrade() -> None:
    op.create_index(
        "requests_result_expiry",
        "subject_requests",
        ["result_expires_at"],
        postgresql_where=sa.text("result_key IS NOT NULL AND result_deleted_at IS NULL"),
    )


def downgrade() -> None:
    op.drop_index("requests_result_expiry", "subject_requests")
