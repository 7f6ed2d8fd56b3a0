"""A table of mail jobs sent one at a time, shared by every service that sends mail.

`send_due` is the one send loop: a due job is claimed with SKIP LOCKED in a short step that
counts the attempt and moves its next try out by the retry delay, and that step commits before
the service's `send(job)` asks anyone else anything (another service, the SMTP server), so no
lock is held meanwhile and a job whose sender dies is tried again later. What `send` writes
(closing the job, or noting its failure) is committed as the next step. A failed send keeps its
error; after the last attempt the job stays unsent with that error for an operator to see.
The table needs the columns id, attempts, next_attempt_at, sent_at and last_error.
"""

import logging
from collections.abc import Callable
from datetime import datetime

from sqlalchemy import Table, select, update
from sqlalchemy.engine import RowMapping

from services.infra.database import step
from services.infra.mailer import MailNotSent, RetryPolicy

log = logging.getLogger(__name__)

ERROR_MAX_LENGTH = 500


def send_due(
    session, jobs: Table, now: datetime, retry: RetryPolicy, send: Callable[[RowMapping], bool]
) -> int:
    """Send every job due at `now`, one at a time; returns how many `send` said went out."""
    sent = 0
    while True:
        with step(session):
            job = claim_next(session, jobs, now, retry)
        if job is None:
            return sent
        with step(session):
            sent += bool(send(job))


def claim_next(session, jobs: Table, now: datetime, retry: RetryPolicy) -> RowMapping | None:
    """Lock a due job, count this attempt and set when the next one may start."""
    due = (
        session.execute(
            select(jobs.c.id, jobs.c.attempts)
            .where(
                jobs.c.sent_at.is_(None),
                jobs.c.next_attempt_at <= now,
                jobs.c.attempts < retry.max_attempts,
            )
            .order_by(jobs.c.next_attempt_at)
            .limit(1)
            .with_for_update(skip_locked=True)
        )
        .mappings()
        .first()
    )
    if due is None:
        return None
    attempts = due["attempts"] + 1
    return (
        session.execute(
            update(jobs)
            .where(jobs.c.id == due["id"])
            .values(attempts=attempts, next_attempt_at=now + retry.delay_after(attempts))
            .returning(jobs)
        )
        .mappings()
        .one()
    )


def close(session, jobs: Table, job_id, now: datetime, note: str | None = None) -> None:
    """Done with the job: sent, or (with a note saying why) not to be sent at all."""
    session.execute(update(jobs).where(jobs.c.id == job_id).values(sent_at=now, last_error=note))


def failure_text(exc: Exception) -> str:
    """MailNotSent says why without addresses; of anything else only the type is kept."""
    return str(exc) if isinstance(exc, MailNotSent) else type(exc).__name__


def note_failure(session, jobs: Table, job, exc: Exception, retry: RetryPolicy, what: str) -> None:
    error = failure_text(exc)
    session.execute(
        update(jobs).where(jobs.c.id == job["id"]).values(last_error=error[:ERROR_MAX_LENGTH])
    )
    gave_up = job["attempts"] >= retry.max_attempts
    log.log(
        logging.ERROR if gave_up else logging.WARNING,
        "%s %s failed on attempt %d%s: %s",
        what,
        job["id"],
        job["attempts"],
        "; giving up" if gave_up else "",
        error,
        exc_info=not isinstance(exc, MailNotSent),
    )
