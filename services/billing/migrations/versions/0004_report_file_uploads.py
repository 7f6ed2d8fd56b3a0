"""Notes of report files stored in S3 before the version that refers to them has committed."""

import sqlalchemy as sa
from alembic import op

revision = "billing_0004"
down_revision = "billing_0003"


def upgrade() -> None:
    op.create_table(
        "report_file_uploads",
        sa.Column("key", sa.Text, primary_key=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("report_file_uploads_started", "report_file_uploads", ["started_at"])
