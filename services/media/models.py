"""The media service's table: one row per stored attachment, no file contents."""

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Index,
    MetaData,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import ARRAY, UUID

metadata = MetaData()

attachments = Table(
    "attachments",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("booking_id", UUID(as_uuid=True), nullable=False),
    Column("owner_id", UUID(as_uuid=True), nullable=False),
    Column("object_key", Text, nullable=False, unique=True),
    Column("quarantine_key", Text, nullable=False, unique=True),
    Column("idempotency_key", Text),
    Column("name", Text, nullable=False),
    Column("content_type", Text, nullable=False),
    Column("size_bytes", BigInteger, nullable=False),
    Column("sha256", Text, nullable=False),
    Column("removed_metadata", ARRAY(Text), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("owner_id", "idempotency_key", name="attachments_idempotency"),
    Index("attachments_booking", "booking_id", "created_at"),
    Index("attachments_owner", "owner_id"),
)
