"""The bookings service's tables.

`bookings.blocks_until` is the end plus the buffer between sessions, so the exclusion constraint
on (coach, [starts_at, blocks_until)) keeps the buffer too.

`registrations` decides each first booking's account once: `booked` with the booking's own
transaction, or `abandoned` by the timer when no booking came in time (see README.md).

`feedback` copies the service, coach and month of the session so that a rating can outlive its
link to the booking: erasure detaches it (no booking, comment or times) and the statistics keep it.
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
    MetaData,
    SmallInteger,
    Table,
    Text,
    Time,
    UniqueConstraint,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, UUID

metadata = MetaData()

catalogue_services = Table(
    "catalogue_services",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("name", Text, nullable=False),
    Column("description", Text, nullable=False),
    Column("duration_minutes", Integer, nullable=False),
    Column("delivery_methods", ARRAY(Text), nullable=False),
    Column("active", Boolean, nullable=False),
)

specifications = Table(
    "specifications",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("service_id", UUID(as_uuid=True), ForeignKey("catalogue_services.id"), nullable=False),
    Column("name", Text, nullable=False),
    Column("position", Integer, nullable=False),
)

coaches = Table(
    "coaches",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("account_id", UUID(as_uuid=True), nullable=False, unique=True),
    Column("name", Text, nullable=False),
    Column("active", Boolean, nullable=False),
)

coach_services = Table(
    "coach_services",
    metadata,
    Column("coach_id", UUID(as_uuid=True), ForeignKey("coaches.id"), primary_key=True),
    Column("service_id", UUID(as_uuid=True), ForeignKey("catalogue_services.id"), primary_key=True),
)

working_hours = Table(
    "working_hours",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("coach_id", UUID(as_uuid=True), ForeignKey("coaches.id"), nullable=False),
    Column("weekday", SmallInteger, nullable=False),
    Column("starts", Time, nullable=False),
    Column("ends", Time, nullable=False),
    Index("working_hours_coach", "coach_id"),
)

availability_changes = Table(
    "availability_changes",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("coach_id", UUID(as_uuid=True), ForeignKey("coaches.id"), nullable=False),
    Column("starts_at", DateTime(timezone=True), nullable=False),
    Column("ends_at", DateTime(timezone=True), nullable=False),
    Column("kind", Text, nullable=False),
    Index("availability_changes_coach", "coach_id", "starts_at"),
)

bookings = Table(
    "bookings",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("coachee_id", UUID(as_uuid=True), nullable=False),
    Column("coach_id", UUID(as_uuid=True), ForeignKey("coaches.id"), nullable=False),
    Column("service_id", UUID(as_uuid=True), ForeignKey("catalogue_services.id"), nullable=False),
    Column("specification_id", UUID(as_uuid=True), ForeignKey("specifications.id"), nullable=False),
    Column("delivery_method", Text, nullable=False),
    Column("starts_at", DateTime(timezone=True), nullable=False),
    Column("ends_at", DateTime(timezone=True), nullable=False),
    Column("blocks_until", DateTime(timezone=True), nullable=False),
    Column("status", Text, nullable=False),
    Column("message", Text, nullable=False),
    Column("eligibility_rule", Text, nullable=False),
    Column("subscriber_id", UUID(as_uuid=True)),
    Column("member_number", Text),
    Column("member_name", Text),
    Column("hold_expires_at", DateTime(timezone=True)),
    Column("idempotency_key", Text),
    Column("idempotency_scope", Text),
    Column("request_hash", Text),
    Column("registered_coachee", Boolean, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("cancelled_by", UUID(as_uuid=True)),
    CheckConstraint(
        "status IN ('pending_eligibility', 'confirmed', 'completed', 'cancelled', 'no_show')",
        name="bookings_status",
    ),
    CheckConstraint("starts_at < ends_at AND ends_at <= blocks_until", name="bookings_time"),
    UniqueConstraint("idempotency_scope", "idempotency_key", name="bookings_idempotency"),
    Index("bookings_coachee", "coachee_id", "starts_at"),
    Index("bookings_coach_time", "coach_id", "starts_at"),
    Index(
        "bookings_hold_expiry",
        "hold_expires_at",
        postgresql_where=text("status = 'pending_eligibility'"),
    ),
    Index("bookings_confirmed_start", "starts_at", postgresql_where=text("status = 'confirmed'")),
)

registrations = Table(
    "registrations",
    metadata,
    Column("registration_key", Text, primary_key=True),
    Column("state", Text, nullable=False),
    Column("opened_at", DateTime(timezone=True), nullable=False),
    Column("account_id", UUID(as_uuid=True)),
    CheckConstraint("state IN ('open', 'booked', 'abandoned')", name="registrations_state"),
    Index("registrations_open_since", "opened_at", postgresql_where=text("state = 'open'")),
    Index(
        "registrations_abandoned",
        "registration_key",
        postgresql_where=text("state = 'abandoned'"),
    ),
)

notes = Table(
    "notes",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("booking_id", UUID(as_uuid=True), ForeignKey("bookings.id"), nullable=False),
    Column("author_id", UUID(as_uuid=True), nullable=False),
    Column("body", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Index("notes_booking", "booking_id"),
)

mail_jobs = Table(
    "mail_jobs",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("booking_id", UUID(as_uuid=True), ForeignKey("bookings.id"), nullable=False),
    Column("kind", Text, nullable=False),
    Column("starts_at", DateTime(timezone=True), nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("next_attempt_at", DateTime(timezone=True), nullable=False),
    Column("last_error", Text),
    Column("sent_at", DateTime(timezone=True)),
    UniqueConstraint("booking_id", "kind", "starts_at", name="mail_jobs_once"),
    Index("mail_jobs_unsent_due", "next_attempt_at", postgresql_where=text("sent_at IS NULL")),
)

feedback = Table(
    "feedback",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("booking_id", UUID(as_uuid=True), ForeignKey("bookings.id"), unique=True),
    Column("service_id", UUID(as_uuid=True), ForeignKey("catalogue_services.id"), nullable=False),
    Column("coach_id", UUID(as_uuid=True), ForeignKey("coaches.id"), nullable=False),
    Column("session_month", Date, nullable=False),
    Column("rating", SmallInteger, nullable=False),
    Column("comment", Text),
    Column("created_at", DateTime(timezone=True)),
    Column("updated_at", DateTime(timezone=True)),
    CheckConstraint("rating BETWEEN 1 AND 5", name="feedback_rating"),
    CheckConstraint(
        "(booking_id IS NOT NULL AND created_at IS NOT NULL AND updated_at IS NOT NULL)"
        " OR (booking_id IS NULL AND comment IS NULL AND created_at IS NULL"
        " AND updated_at IS NULL)",
        name="feedback_detached_is_anonymous",
    ),
    Index("feedback_statistics", "session_month", "service_id", "coach_id"),
)
