"""Catalogue, coaches and availability, bookings (no double booking), notes and mail jobs."""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import ARRAY, UUID

revision = "bookings_0002"
down_revision = "bookings_0001"


def uuid_pk() -> sa.Column:
    return sa.Column("id", UUID(as_uuid=True), primary_key=True)


def reference(name: str, table: str) -> sa.Column:
    return sa.Column(name, UUID(as_uuid=True), sa.ForeignKey(f"{table}.id"), nullable=False)


def instant(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    op.create_table(
        "catalogue_services",
        uuid_pk(),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("description", sa.Text, nullable=False),
        sa.Column("duration_minutes", sa.Integer, nullable=False),
        sa.Column("delivery_methods", ARRAY(sa.Text), nullable=False),
        sa.Column("active", sa.Boolean, nullable=False),
    )
    op.create_table(
        "specifications",
        uuid_pk(),
        reference("service_id", "catalogue_services"),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
    )
    op.create_table(
        "coaches",
        uuid_pk(),
        sa.Column("account_id", UUID(as_uuid=True), nullable=False, unique=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("active", sa.Boolean, nullable=False),
    )
    op.create_table(
        "coach_services",
        sa.Column("coach_id", UUID(as_uuid=True), sa.ForeignKey("coaches.id"), primary_key=True),
        sa.Column(
            "service_id",
            UUID(as_uuid=True),
            sa.ForeignKey("catalogue_services.id"),
            primary_key=True,
        ),
    )
    op.create_table(
        "working_hours",
        uuid_pk(),
        reference("coach_id", "coaches"),
        sa.Column("weekday", sa.SmallInteger, nullable=False),
        sa.Column("starts", sa.Time, nullable=False),
        sa.Column("ends", sa.Time, nullable=False),
    )
    op.create_index("working_hours_coach", "working_hours", ["coach_id"])
    op.create_table(
        "availability_changes",
        uuid_pk(),
        reference("coach_id", "coaches"),
        instant("starts_at"),
        instant("ends_at"),
        sa.Column("kind", sa.Text, nullable=False),
    )
    op.create_index("availability_changes_coach", "availability_changes", ["coach_id", "starts_at"])
    op.create_table(
        "bookings",
        uuid_pk(),
        sa.Column("coachee_id", UUID(as_uuid=True), nullable=False),
        reference("coach_id", "coaches"),
        reference("service_id", "catalogue_services"),
        reference("specification_id", "specifications"),
        sa.Column("delivery_method", sa.Text, nullable=False),
        instant("starts_at"),
        instant("ends_at"),
        instant("blocks_until"),
        sa.Column("status", sa.Text, nullable=False),
        sa.Column("message", sa.Text, nullable=False),
        sa.Column("eligibility_rule", sa.Text, nullable=False),
        instant("hold_expires_at", nullable=True),
        sa.Column("idempotency_key", sa.Text, unique=True),
        sa.Column("registered_coachee", sa.Boolean, nullable=False),
        instant("created_at"),
        instant("updated_at"),
        sa.Column("cancelled_by", UUID(as_uuid=True)),
        sa.CheckConstraint(
            "status IN ('pending_eligibility', 'confirmed', 'completed', 'cancelled', 'no_show')",
            name="bookings_status",
        ),
        sa.CheckConstraint("starts_at < ends_at AND ends_at <= blocks_until", name="bookings_time"),
    )
    op.create_index("bookings_coachee", "bookings", ["coachee_id", "starts_at"])
    op.create_index("bookings_coach_time", "bookings", ["coach_id", "starts_at"])
    op.execute(
        "ALTER TABLE bookings ADD CONSTRAINT bookings_no_double_booking "
        "EXCLUDE USING gist (coach_id WITH =, tstzrange(starts_at, blocks_until, '[)') WITH &&) "
        "WHERE (status IN ('pending_eligibility', 'confirmed'))"
    )
    op.create_table(
        "notes",
        uuid_pk(),
        reference("booking_id", "bookings"),
        sa.Column("author_id", UUID(as_uuid=True), nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        instant("created_at"),
        instant("updated_at"),
    )
    op.create_index("notes_booking", "notes", ["booking_id"])
    op.create_table(
        "mail_jobs",
        uuid_pk(),
        reference("booking_id", "bookings"),
        sa.Column("kind", sa.Text, nullable=False),
        instant("starts_at"),
        sa.Column("attempts", sa.Integer, nullable=False),
        instant("next_attempt_at"),
        sa.Column("last_error", sa.Text),
        instant("sent_at", nullable=True),
        sa.UniqueConstraint("booking_id", "kind", "starts_at", name="mail_jobs_once"),
    )
    op.create_index("mail_jobs_due", "mail_jobs", ["next_attempt_at"])
