"""Password resets (a token's hash, its expiry and use) and the mails that carry their links;
accounts found by email address in any case."""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import UUID

revision = "accounts_0005"
down_revision = "accounts_0004"


def upgrade() -> None:
    op.create_index("accounts_email_lower", "accounts", [sa.text("lower(email)")])
    op.create_table(
        "password_resets",
        sa.Column("id", UUID(as_uuid=True), primary_key=True),
        sa.Column("account_id", UUID(as_uuid=True), sa.ForeignKey("accounts.id"), nullable=False),
        sa.Column("token_hash", sa.LargeBinary, unique=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True)),
        sa.Column("revoked_at", sa.DateTime(timezone=True)),
    )
    op.create_index("password_resets_account", "password_resets", ["account_id"])
    op.create_index("password_resets_expiry", "password_resets", ["expires_at"])
    op.create_table(
        "password_reset_mails",
        sa.Column("id", UUID(as_uuid=True), primary_key=True),
        sa.Column(
            "password_reset_id",
            UUID(as_uuid=True),
            sa.ForeignKey("password_resets.id", ondelete="CASCADE"),
            nullable=False,
            unique=True,
        ),
        sa.Column("language", sa.Text, nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_error", sa.Text),
        sa.Column("sent_at", sa.DateTime(timezone=True)),
        sa.CheckConstraint("language IN ('fi', 'sv', 'en')", name="password_reset_mails_language"),
    )
    op.create_index("password_reset_mails_due", "password_reset_mails", ["next_attempt_at"])


def downgrade() -> None:
    op.drop_table("password_reset_mails")
    op.drop_table("password_resets")
    op.drop_index("accounts_email_lower", "accounts")
