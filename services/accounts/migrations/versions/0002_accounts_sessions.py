"""Accounts, login sessions, login failures and erasure requests."""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import UUID

revision = "accounts_0002"
down_revision = "accounts_0001"


def upgrade() -> None:
    op.create_table(
        "accounts",
        sa.Column("id", UUID(as_uuid=True), primary_key=True),
        sa.Column("username", sa.Text, nullable=False, unique=True),
        sa.Column("role", sa.Text, nullable=False),
        sa.Column("password_hash", sa.Text),
        sa.Column("name", sa.Text),
        sa.Column("email", sa.Text),
        sa.Column("phone", sa.Text),
        sa.Column("subscriber_id", UUID(as_uuid=True)),
        sa.Column("member_number", sa.Text),
        sa.Column("registration_key", sa.Text, unique=True),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
        ),
        sa.Column("last_login_at", sa.DateTime(timezone=True)),
        sa.Column("disabled_until", sa.DateTime(timezone=True)),
        sa.Column("disabled_permanently", sa.Boolean, nullable=False, server_default="false"),
        sa.Column("erased_at", sa.DateTime(timezone=True)),
        sa.CheckConstraint(
            "role IN ('coachee', 'coach', 'admin', 'privacy', 'subscriber')",
            name="accounts_role",
        ),
    )
    op.create_table(
        "sessions",
        sa.Column("id", UUID(as_uuid=True), primary_key=True),
        sa.Column("account_id", UUID(as_uuid=True), sa.ForeignKey("accounts.id"), nullable=False),
        sa.Column("token_hash", sa.LargeBinary, nullable=False, unique=True),
        sa.Column("csrf_token", sa.Text, nullable=False),
        sa.Column("remember_me", sa.Boolean, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True)),
    )
    op.create_index("sessions_account", "sessions", ["account_id"])
    op.create_table(
        "login_failures",
        sa.Column("throttle_key", sa.LargeBinary, nullable=False),
        sa.Column("failed_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("login_failures_key_time", "login_failures", ["throttle_key", "failed_at"])
    op.create_table(
        "erasure_requests",
        sa.Column("id", UUID(as_uuid=True), primary_key=True),
        sa.Column("account_id", UUID(as_uuid=True), sa.ForeignKey("accounts.id"), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
    )
