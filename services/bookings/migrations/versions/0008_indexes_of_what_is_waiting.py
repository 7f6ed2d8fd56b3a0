"""The timers' queries read only what is still waiting, through partial indexes, instead of
every booking, sent mail and decided registration ever kept.

Sent mail jobs keep a past `next_attempt_at`, so an index on it alone led the mail sender
through every sent job; holds, reminders and registrations had no index their timers could use
without passing every past booking or booked registration."""

import sqlalchemy as sa
from alembic import op

revision = "bookings_0008"
down_revision = "bookings_0007"


def upgrade() -> None:
    op.drop_index("mail_jobs_due", "mail_jobs")
    op.create_index(
        "mail_jobs_unsent_due",
        "mail_jobs",
        ["next_attempt_at"],
        postgresql_where=sa.text("sent_at IS NULL"),
    )
    op.create_index(
        "bookings_hold_expiry",
        "bookings",
        ["hold_expires_at"],
        postgresql_where=sa.text("status = 'pending_eligibility'"),
    )
    op.create_index(
        "bookings_confirmed_start",
        "bookings",
        ["starts_at"],
        postgresql_where=sa.text("status = 'confirmed'"),
    )
    op.drop_index("registrations_open", "registrations")
    op.create_index(
        "registrations_open_since",
        "registrations",
        ["opened_at"],
        postgresql_where=sa.text("state = 'open'"),
    )
    op.create_index(
        "registrations_abandoned",
        "registrations",
        ["registration_key"],
        postgresql_where=sa.text("state = 'abandoned'"),
    )


def downgrade() -> None:
    op.drop_index("registrations_abandoned", "registrations")
    op.drop_index("registrations_open_since", "registrations")
    op.create_index("registrations_open", "registrations", ["opened_at"])
    op.drop_index("bookings_confirmed_start", "bookings")
    op.drop_index("bookings_hold_expiry", "bookings")
    op.drop_index("mail_jobs_unsent_due", "mail_jobs")
    op.create_index("mail_jobs_due", "mail_jobs", ["next_attempt_at"])
