"""Data-subject requests and their saga steps, the append-only audit log, the breach register."""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB, UUID

revision = "privacy_0002"
down_revision = "privacy_0001"

REFUSE_CHANGES = """
CREATE FUNCTION audit_log_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER audit_log_no_update_or_delete BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_is_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_is_append_only();
"""


def timestamp(name: str, **kwargs) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), **kwargs)


def upgrade() -> None:
    op.create_table(
        "subject_requests",
        sa.Column("id", UUID(as_uuid=True), primary_key=True),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("subject_id", UUID(as_uuid=True), nullable=False),
        sa.Column("login_name", sa.Text),
        sa.Column("origin", sa.Text, nullable=False),
        sa.Column("requested_by", UUID(as_uuid=True)),
        timestamp("received_at", nullable=False),
        timestamp("due_at", nullable=False),
        sa.Column("status", sa.Text, nullable=False),
        timestamp("completed_at"),
        sa.Column("description", sa.Text),
        sa.Column("change_link", sa.Text),
        sa.Column("number_in_year", sa.Integer),
        sa.Column("free_of_charge", sa.Boolean),
        sa.Column("result_key", sa.Text),
        timestamp("result_expires_at"),
        timestamp("result_deleted_at"),
        sa.CheckConstraint(
            "kind IN ('export', 'erasure', 'inspection', 'rectification')", name="requests_kind"
        ),
        sa.CheckConstraint("status IN ('open', 'completed')", name="requests_status"),
        sa.CheckConstraint("origin IN ('staff', 'subject', 'retention')", name="requests_origin"),
    )
    op.create_index("requests_open_by_due", "subject_requests", ["status", "due_at"])
    op.create_index("requests_subject", "subject_requests", ["subject_id", "kind"])
    op.create_index(
        "requests_one_retention_erasure",
        "subject_requests",
        ["subject_id"],
        unique=True,
        postgresql_where=sa.text("origin = 'retention'"),
    )
    op.create_table(
        "request_steps",
        sa.Column(
            "request_id",
            UUID(as_uuid=True),
            sa.ForeignKey("subject_requests.id"),
            nullable=False,
        ),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("participant", sa.Text, nullable=False),
        sa.Column("action", sa.Text, nullable=False),
        sa.Column("status", sa.Text, nullable=False),
        sa.Column("page", sa.Integer, nullable=False, server_default="1"),
        sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
        timestamp("next_attempt_at", nullable=False),
        sa.Column("last_error", sa.Text),
        sa.Column("result", JSONB),
        timestamp("completed_at"),
        sa.PrimaryKeyConstraint("request_id", "position"),
        sa.CheckConstraint("status IN ('pending', 'done')", name="steps_status"),
    )
    op.create_index("steps_due", "request_steps", ["status", "next_attempt_at"])
    op.create_table(
        "audit_log",
        sa.Column("id", sa.BigInteger, primary_key=True, autoincrement=True),
        sa.Column("event_id", UUID(as_uuid=True), nullable=False, unique=True),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("actor_id", UUID(as_uuid=True)),
        sa.Column("subject_id", UUID(as_uuid=True)),
        sa.Column("action", sa.Text, nullable=False),
        sa.Column("outcome", sa.Text, nullable=False),
        sa.Column("detail", JSONB, nullable=False),
        timestamp("occurred_at", nullable=False),
        timestamp("recorded_at", nullable=False, server_default=sa.func.now()),
    )
    op.create_index("audit_subject_time", "audit_log", ["subject_id", "occurred_at"])
    op.create_index("audit_actor_time", "audit_log", ["actor_id", "occurred_at"])
    op.create_index("audit_time", "audit_log", ["occurred_at"])
    op.execute(REFUSE_CHANGES)
    op.create_table(
        "breaches",
        sa.Column("id", UUID(as_uuid=True), primary_key=True),
        sa.Column("reported_by", UUID(as_uuid=True)),
        timestamp("reported_at", nullable=False),
        timestamp("discovered_at", nullable=False),
        timestamp("notify_by", nullable=False),
        sa.Column("description", sa.Text, nullable=False),
        sa.Column("personal_data_involved", sa.Text, nullable=False),
        timestamp("authority_notified_at"),
        sa.Column("measures", sa.Text),
        timestamp("closed_at"),
    )
    op.create_index("breaches_notify_by", "breaches", ["notify_by"])
