"""The timers' queries read only what is still waiting, through partial indexes: report mails
not yet sent (a sent one keeps its past `next_attempt_at`, so an index on it alone led the
sender through every sent mail) and months not yet published (seven years of published months
per subscriber are kept)."""

import sqlalchemy as sa
from alembic import op

revision = "billing_0006"
down_revision = "billing_0005"


def upgrade() -> None:
    op.drop_index("report_mails_due", "report_mails")
    op.create_index(
        "report_mails_unsent_due",
        "report_mails",
        ["next_attempt_at"],
        postgresql_where=sa.text("sent_at IS NULL"),
    )
    op.create_index(
        "report_periods_open",
        "report_periods",
        ["period"],
        postgresql_where=sa.text("locked_at IS NULL"),
    )


def downgrade() -> None:
    op.drop_index("report_periods_open", "report_periods")
    op.drop_index("report_mails_unsent_due", "report_mails")
    op.create_index("report_mails_due", "report_mails", ["next_attempt_at"])
