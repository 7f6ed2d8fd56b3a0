"""The billing service's tables.

`billable_lines` is a ledger: a line is never changed once written, except that a line waiting
in a report not yet published may move into a re-issued version of its own month. A change to a
booking adds a reversal (-1) of its charge and perhaps a new charge (+1). `period` is the month
whose report bills the line; `session_period` the month of the session itself (they differ for a
correction). Periods are the first day of a Helsinki calendar month.
"""

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    PrimaryKeyConstraint,
    SmallInteger,
    Table,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, UUID

metadata = MetaData()

subscribers = Table(
    "subscribers",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("name", Text, nullable=False, unique=True),
    Column("business_id", Text, nullable=False),
    Column("billing_contact_emails", ARRAY(Text), nullable=False),
    Column("member_number_in_report", Boolean, nullable=False),
    Column("eligibility_method", Text, nullable=False),
    Column("identifier_label", Text, nullable=False),
    Column("active", Boolean, nullable=False),
    Column("roster_members", Integer, nullable=False, server_default="0"),
    Column("roster_replaced_at", DateTime(timezone=True)),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    CheckConstraint(
        "eligibility_method IN ('roster', 'manual')", name="subscribers_eligibility_method"
    ),
)

roster_members = Table(
    "roster_members",
    metadata,
    Column("subscriber_id", UUID(as_uuid=True), ForeignKey("subscribers.id"), nullable=False),
    Column("member_hash", LargeBinary, nullable=False),
    PrimaryKeyConstraint("subscriber_id", "member_hash"),
)

billable_lines = Table(
    "billable_lines",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("subscriber_id", UUID(as_uuid=True), ForeignKey("subscribers.id"), nullable=False),
    Column("booking_id", UUID(as_uuid=True), nullable=False),
    Column("coachee_id", UUID(as_uuid=True), nullable=False),
    Column("event_id", UUID(as_uuid=True), nullable=False),
    Column("quantity", SmallInteger, nullable=False),
    Column("reverses_line_id", UUID(as_uuid=True), ForeignKey("billable_lines.id"), unique=True),
    Column("starts_at", DateTime(timezone=True), nullable=False),
    Column("ends_at", DateTime(timezone=True), nullable=False),
    Column("service_name", Text, nullable=False),
    Column("specification_name", Text, nullable=False),
    Column("delivery_method", Text, nullable=False),
    Column("coach_name", Text, nullable=False),
    Column("member_name", Text, nullable=False),
    Column("member_number", Text, nullable=False),
    Column("session_period", Date, nullable=False),
    Column("period", Date, nullable=False),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
    CheckConstraint(
        "(quantity = 1 AND reverses_line_id IS NULL) OR "
        "(quantity = -1 AND reverses_line_id IS NOT NULL)",
        name="billable_lines_charge_or_reversal",
    ),
    UniqueConstraint("event_id", "quantity", name="billable_lines_once_per_event"),
    Index("billable_lines_report", "subscriber_id", "period", "starts_at", "id"),
    Index("billable_lines_booking", "booking_id"),
    Index("billable_lines_coachee", "coachee_id"),
)

report_periods = Table(
    "report_periods",
    metadata,
    Column("subscriber_id", UUID(as_uuid=True), ForeignKey("subscribers.id"), nullable=False),
    Column("period", Date, nullable=False),
    Column("locked_at", DateTime(timezone=True)),
    PrimaryKeyConstraint("subscriber_id", "period"),
    Index("report_periods_open", "period", postgresql_where=text("locked_at IS NULL")),
)

reports = Table(
    "reports",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("subscriber_id", UUID(as_uuid=True), ForeignKey("subscribers.id"), nullable=False),
    Column("period", Date, nullable=False),
    Column("version", Integer, nullable=False),
    Column("reason", Text),
    Column("issued_by", UUID(as_uuid=True)),
    Column("issued_at", DateTime(timezone=True), nullable=False),
    Column("line_count", Integer, nullable=False),
    Column("sessions", Integer, nullable=False),
    Column("totals", JSONB, nullable=False),
    Column("member_number_included", Boolean, nullable=False),
    Column("csv_key", Text, nullable=False),
    Column("pdf_key", Text, nullable=False),
    UniqueConstraint("subscriber_id", "period", "version", name="reports_one_per_version"),
    CheckConstraint("version = 1 OR reason IS NOT NULL", name="reports_reissue_has_reason"),
    Index("reports_issued", "issued_at", "id"),
)

report_mails = Table(
    "report_mails",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("report_id", UUID(as_uuid=True), ForeignKey("reports.id"), nullable=False),
    Column("recipient", Text, nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("next_attempt_at", DateTime(timezone=True), nullable=False),
    Column("last_error", Text),
    Column("sent_at", DateTime(timezone=True)),
    UniqueConstraint("report_id", "recipient", name="report_mails_once"),
    Index("report_mails_unsent_due", "next_attempt_at", postgresql_where=text("sent_at IS NULL")),
)

report_file_uploads = Table(
    "report_file_uploads",
    metadata,
    Column("key", Text, primary_key=True),
    Column("started_at", DateTime(timezone=True), nullable=False),
    Index("report_file_uploads_started", "started_at"),
)
