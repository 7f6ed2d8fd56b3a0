"""Tables every service has next to its own: outbox, processed and parked events, erasures.

Each service's first migration creates them (see `migrations.create_infra_tables`). The `headers`
of outbox and parked rows keep the request's context (request id, trace) that the event goes on
carrying when it is published or replayed.
"""

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    Table,
    Text,
    func,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID

infra_metadata = MetaData()

outbox = Table(
    "outbox",
    infra_metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=True),
    Column("event_id", UUID(as_uuid=True), nullable=False, unique=True),
    Column("event_type", Text, nullable=False),
    Column("payload", JSONB, nullable=False),
    Column("headers", JSONB),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("published_at", DateTime(timezone=True), index=True),
)

processed_events = Table(
    "processed_events",
    infra_metadata,
    Column("consumer", Text, nullable=False),
    Column("event_id", UUID(as_uuid=True), nullable=False),
    Column("processed_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    PrimaryKeyConstraint("consumer", "event_id"),
)

parked_events = Table(
    "parked_events",
    infra_metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=True),
    Column("queue", Text, nullable=False),
    Column("routing_key", Text, nullable=False),
    Column("payload", JSONB, nullable=False),
    Column("error", Text, nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("headers", JSONB),
    Column("parked_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("replayed_at", DateTime(timezone=True)),
)

erasure_results = Table(
    "erasure_results",
    infra_metadata,
    Column("request_id", UUID(as_uuid=True), primary_key=True),
    Column("result", JSONB, nullable=False),
    Column("erased_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)
