"""The billing service's tables."""

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    DateTime,
    ForeignKey,
    Integer,
    LargeBinary,
    MetaData,
    PrimaryKeyConstraint,
    Table,
    Text,
)
from sqlalchemy.dialects.postgresql import ARRAY, UUID

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
