"""The privacy service's tables.

`audit_log` is append-only: the migration adds triggers that refuse UPDATE, DELETE and TRUNCATE
for every role the service connects as.
"""

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    Table,
    Text,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID

metadata = MetaData()

subject_requests = Table(
    "subject_requests",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("kind", Text, nullable=False),
    Column("subject_id", UUID(as_uuid=True), nullable=False),
    Column("login_name", Text),
    Column("origin", Text, nullable=False),
    Column("requested_by", UUID(as_uuid=True)),
    Column("received_at", DateTime(timezone=True), nullable=False),
    Column("due_at", DateTime(timezone=True), nullable=False),
    Column("status", Text, nullable=False),
    Column("completed_at", DateTime(timezone=True)),
    Column("description", Text),
    Column("change_link", Text),
    Column("number_in_year", Integer),
    Column("free_of_charge", Boolean),
    Column("result_key", Text),
    Column("result_expires_at", DateTime(timezone=True)),
    Column("result_deleted_at", DateTime(timezone=True)),
    CheckConstraint(
        "kind IN ('export', 'erasure', 'inspection', 'rectification')", name="requests_kind"
    ),
    CheckConstraint("status IN ('open', 'completed')", name="requests_status"),
    CheckConstraint("origin IN ('staff', 'subject', 'retention')", name="requests_origin"),
    Index("requests_open_by_due", "status", "due_at"),
    Index("requests_subject", "subject_id", "kind"),
    Index(
        "requests_one_retention_erasure",
        "subject_id",
        unique=True,
        postgresql_where=text("origin = 'retention'"),
    ),
    Index(
        "requests_result_expiry",
        "result_expires_at",
        postgresql_where=text("result_key IS NOT NULL AND result_deleted_at IS NULL"),
    ),
)

request_steps = Table(
    "request_steps",
    metadata,
    Column("request_id", UUID(as_uuid=True), ForeignKey("subject_requests.id"), nullable=False),
    Column("position", Integer, nullable=False),
    Column("participant", Text, nullable=False),
    Column("action", Text, nullable=False),
    Column("status", Text, nullable=False),
    Column("page", Integer, nullable=False, server_default="1"),
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("next_attempt_at", DateTime(timezone=True), nullable=False),
    Column("last_error", Text),
    Column("result", JSONB),
    Column("completed_at", DateTime(timezone=True)),
    PrimaryKeyConstraint("request_id", "position"),
    CheckConstraint("status IN ('pending', 'done')", name="steps_status"),
    Index("steps_due", "status", "next_attempt_at"),
)

audit_log = Table(
    "audit_log",
    metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=True),
    Column("event_id", UUID(as_uuid=True), nullable=False, unique=True),
    Column("source", Text, nullable=False),
    Column("actor_id", UUID(as_uuid=True)),
    Column("subject_id", UUID(as_uuid=True)),
    Column("action", Text, nullable=False),
    Column("outcome", Text, nullable=False),
    Column("detail", JSONB, nullable=False),
    Column("occurred_at", DateTime(timezone=True), nullable=False),
    Column("recorded_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Index("audit_subject_time", "subject_id", "occurred_at"),
    Index("audit_actor_time", "actor_id", "occurred_at"),
    Index("audit_time", "occurred_at"),
)

breaches = Table(
    "breaches",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("reported_by", UUID(as_uuid=True)),
    Column("reported_at", DateTime(timezone=True), nullable=False),
    Column("discovered_at", DateTime(timezone=True), nullable=False),
    Column("notify_by", DateTime(timezone=True), nullable=False),
    Column("description", Text, nullable=False),
    Column("personal_data_involved", Text, nullable=False),
    Column("authority_notified_at", DateTime(timezone=True)),
    Column("measures", Text),
    Column("closed_at", DateTime(timezone=True)),
    Index("breaches_notify_by", "notify_by"),
)
