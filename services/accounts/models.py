"""The accounts service's tables."""

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    Table,
    Text,
    func,
)
from sqlalchemy.dialects.postgresql import UUID

metadata = MetaData()

accounts = Table(
    "accounts",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("username", Text, nullable=False, unique=True),
    Column("role", Text, nullable=False),
    Column("password_hash", Text),
    Column("name", Text),
    Column("email", Text),
    Column("phone", Text),
    Column("subscriber_id", UUID(as_uuid=True)),
    Column("member_number", Text),
    Column("registration_key", Text, unique=True),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("last_login_at", DateTime(timezone=True)),
    Column("disabled_until", DateTime(timezone=True)),
    Column("disabled_permanently", Boolean, nullable=False, server_default="false"),
    Column("erased_at", DateTime(timezone=True)),
    CheckConstraint(
        "role IN ('coachee', 'coach', 'admin', 'privacy', 'subscriber')", name="accounts_role"
    ),
)
Index("accounts_email_lower", func.lower(accounts.c.email))

sessions = Table(
    "sessions",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("account_id", UUID(as_uuid=True), ForeignKey("accounts.id"), nullable=False),
    Column("token_hash", LargeBinary, nullable=False, unique=True),
    Column("csrf_token", Text, nullable=False),
    Column("remember_me", Boolean, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("revoked_at", DateTime(timezone=True)),
    Index("sessions_account", "account_id"),
)

login_failures = Table(
    "login_failures",
    metadata,
    Column("throttle_key", LargeBinary, nullable=False),
    Column("failed_at", DateTime(timezone=True), nullable=False),
    Index("login_failures_key_time", "throttle_key", "failed_at"),
    Index("login_failures_time", "failed_at"),
)

erasure_requests = Table(
    "erasure_requests",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("account_id", UUID(as_uuid=True), ForeignKey("accounts.id"), nullable=False),
    Column("requested_at", DateTime(timezone=True), nullable=False),
)

password_resets = Table(
    "password_resets",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("account_id", UUID(as_uuid=True), ForeignKey("accounts.id"), nullable=False),
    Column("token_hash", LargeBinary, unique=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("used_at", DateTime(timezone=True)),
    Column("revoked_at", DateTime(timezone=True)),
    Index("password_resets_account", "account_id"),
    Index("password_resets_expiry", "expires_at"),
)

password_reset_mails = Table(
    "password_reset_mails",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column(
        "password_reset_id",
        UUID(as_uuid=True),
        ForeignKey("password_resets.id", ondelete="CASCADE"),
        nullable=False,
        unique=True,
    ),
    Column("language", Text, nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("next_attempt_at", DateTime(timezone=True), nullable=False),
    Column("last_error", Text),
    Column("sent_at", DateTime(timezone=True)),
    CheckConstraint("language IN ('fi', 'sv', 'en')", name="password_reset_mails_language"),
    Index("password_reset_mails_due", "next_attempt_at"),
)
