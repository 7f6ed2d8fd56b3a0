"""Outbox and parked events keep the headers (request id, trace) their event carries on."""

from alembic import op

from services.infra.migrations import add_message_headers, drop_message_headers

revision = "media_0004"
down_revision = "media_0003"


def upgrade() -> None:
    add_message_headers(op.get_bind())


def downgrade() -> None:
    drop_message_headers(op.get_bind())
