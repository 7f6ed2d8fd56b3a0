"""Login failures found by time, for the timer that deletes those past the throttling window."""

from alembic import op

revision = "accounts_0003"
down_revision = "accounts_0002"


def upgrade() -> None:
    op.create_index("login_failures_time", "login_failures", ["failed_at"])
