"""Billable lines, report periods, published report versions and their mails."""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB, UUID

revision = "billing_0003"
down_revision = "billing_0002"


def upgrade() -> None:
    op.create_table(
        "billable_lines",
        sa.Column("id", UUID(as_uuid=True), primary_key=True),
        sa.Column(
            "subscriber_id", UUID(as_uuid=True), sa.ForeignKey("subscribers.id"), nullable=False
        ),
        sa.Column("booking_id", UUID(as_uuid=True), nullable=False),
        sa.Column("coachee_id", UUID(as_uuid=True), nullable=False),
        sa.Column("event_id", UUID(as_uuid=True), nullable=False),
        sa.Column("quantity", sa.SmallInteger, nullable=False),
        sa.Column(
            "reverses_line_id",
            UUID(as_uuid=True),
            sa.ForeignKey("billable_lines.id"),
            unique=True,
        ),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("service_name", sa.Text, nullable=False),
        sa.Column("specification_name", sa.Text, nullable=False),
        sa.Column("delivery_method", sa.Text, nullable=False),
        sa.Column("coach_name", sa.Text, nullable=False),
        sa.Column("member_name", sa.Text, nullable=False),
        sa.Column("member_number", sa.Text, nullable=False),
        sa.Column("session_period", sa.Date, nullable=False),
        sa.Column("period", sa.Date, nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "(quantity = 1 AND reverses_line_id IS NULL) OR "
            "(quantity = -1 AND reverses_line_id IS NOT NULL)",
            name="billable_lines_charge_or_reversal",
        ),
        sa.UniqueConstraint("event_id", "quantity", name="billable_lines_once_per_event"),
    )
    op.create_index(
        "billable_lines_report", "billable_lines", ["subscriber_id", "period", "starts_at", "id"]
    )
    op.create_index("billable_lines_booking", "billable_lines", ["booking_id"])
    op.create_index("billable_lines_coachee", "billable_lines", ["coachee_id"])
    op.create_table(
        "report_periods",
        sa.Column(
            "subscriber_id", UUID(as_uuid=True), sa.ForeignKey("subscribers.id"), nullable=False
        ),
        sa.Column("period", sa.Date, nullable=False),
        sa.Column("locked_at", sa.DateTime(timezone=True)),
        sa.PrimaryKeyConstraint("subscriber_id", "period"),
    )
    op.create_table(
        "reports",
        sa.Column("id", UUID(as_uuid=True), primary_key=True),
        sa.Column(
            "subscriber_id", UUID(as_uuid=True), sa.ForeignKey("subscribers.id"), nullable=False
        ),
        sa.Column("period", sa.Date, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("reason", sa.Text),
        sa.Column("issued_by", UUID(as_uuid=True)),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("line_count", sa.Integer, nullable=False),
        sa.Column("sessions", sa.Integer, nullable=False),
        sa.Column("totals", JSONB, nullable=False),
        sa.Column("member_number_included", sa.Boolean, nullable=False),
        sa.Column("csv_key", sa.Text, nullable=False),
        sa.Column("pdf_key", sa.Text, nullable=False),
        sa.UniqueConstraint("subscriber_id", "period", "version", name="reports_one_per_version"),
        sa.CheckConstraint("version = 1 OR reason IS NOT NULL", name="reports_reissue_has_reason"),
    )
    op.create_index("reports_issued", "reports", ["issued_at", "id"])
    op.create_table(
        "report_mails",
        sa.Column("id", UUID(as_uuid=True), primary_key=True),
        sa.Column("report_id", UUID(as_uuid=True), sa.ForeignKey("reports.id"), nullable=False),
        sa.Column("recipient", sa.Text, nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_error", sa.Text),
        sa.Column("sent_at", sa.DateTime(timezone=True)),
        sa.UniqueConstraint("report_id", "recipient", name="report_mails_once"),
    )
    op.create_index("report_mails_due", "report_mails", ["next_attempt_at"])
