"""A table of mail jobs sent in batches, shared by every service that sends mail.

`send_due` is the one send loop. One statement claims up to `mailer.batch_size` due jobs with
SKIP LOCKED, counting each one's attempt and moving its next try out by the retry delay, and that
claim commits before the service's sender asks anyone else anything (another service, the SMTP
server), so no lock is held meanwhile and jobs whose sender dies are tried again later. The
sender gets the whole batch (to read what it needs in one query, and send over one connection)
and notes in an `Outcomes` what became of each job: sent, closed unsent with why, or failed with
its error. Those outcomes are committed together as the next step, a few statements a batch; a
job the sender decided nothing about because it raised fails with that error. A failed send
keeps its error; after the last attempt the job stays unsent with that error for an operator to
see. The loop goes on until no job is due.
The table needs the columns id, attempts, next_attempt_at, sent_at and last_error.
"""

import logging
from collections import defaultdict
from collections.abc import Callable
from datetime import datetime

from sqlalchemy import Table, case, select, update
from sqlalchemy.engine import RowMapping

from services.infra.database import step
from services.infra.mailer import MailNotSent, RetryPolicy, SmtpMailer

log = logging.getLogger(__name__)

ERROR_MAX_LENGTH = 500


def failure_text(exc: Exception) -> str:
    """MailNotSent says why without addresses; of anything else only the type is kept."""
    return str(exc) if isinstance(exc, MailNotSent) else type(exc).__name__


class Outcomes:
    """What became of each job of a batch, kept until `send_due` writes them all at once."""

    def __init__(self, what: str, max_attempts: int):
        self._what = what
        self._max_attempts = max_attempts
        self._closing: defaultdict[str | None, list] = defaultdict(list)
        self._failing: defaultdict[str, list] = defaultdict(list)
        self.sent_count = 0

    def sent(self, job) -> None:
        self._closing[None].append(job["id"])
        self.sent_count += 1

    def not_sent(self, job, reason: str) -> None:
        """Done with the job without sending it: its mail would no longer be right."""
        self._closing[f"not sent: {reason}"].append(job["id"])

    def failed(self, job, exc: Exception) -> None:
        """The job's mail did not go this time; it is tried again after its retry delay."""
        error = failure_text(exc)[:ERROR_MAX_LENGTH]
        self._failing[error].append(job["id"])
        gave_up = job["attempts"] >= self._max_attempts
        log.log(
            logging.ERROR if gave_up else logging.WARNING,
            "%s %s failed on attempt %d%s: %s",
            self._what,
            job["id"],
            job["attempts"],
            "; giving up" if gave_up else "",
            error,
            exc_info=not isinstance(exc, MailNotSent),
        )

    def fail_undecided(self, batch: list[RowMapping], exc: Exception) -> None:
        decided = {
            job_id for ids in (*self._closing.values(), *self._failing.values()) for job_id in ids
        }
        for job in batch:
            if job["id"] not in decided:
                self.failed(job, exc)

    def write(self, session, jobs: Table, now: datetime) -> None:
        """One statement for each distinct outcome: all sent, each reason, each error."""
        for note, ids in self._closing.items():
            query = update(jobs).where(jobs.c.id.in_(ids)).values(sent_at=now, last_error=note)
            session.execute(query)
        for error, ids in self._failing.items():
            session.execute(update(jobs).where(jobs.c.id.in_(ids)).values(last_error=error))


def send_due(
    session,
    jobs: Table,
    now: datetime,
    mailer: SmtpMailer,
    what: str,
    send_batch: Callable[[list[RowMapping], Outcomes], None],
) -> int:
    """Send every job due at `now`, a batch at a time; returns how many went out. `what` names
    the mails in log lines."""
    sent = 0
    while True:
        with step(session):
            batch = claim_due(session, jobs, now, mailer.retry, mailer.batch_size)
        if not batch:
            return sent
        outcomes = Outcomes(what, mailer.retry.max_attempts)
        try:
            send_batch(batch, outcomes)
        except Exception as exc:
            session.rollback()
            outcomes.fail_undecided(batch, exc)
        with step(session):
            outcomes.write(session, jobs, now)
        sent += outcomes.sent_count


def claim_due(
    session, jobs: Table, now: datetime, retry: RetryPolicy, limit: int
) -> list[RowMapping]:
    """Lock up to `limit` due jobs, count this attempt of each and set when its next one may
    start, in one statement (the next try's time for each attempt count is worked out here:
    there are at most `retry.max_attempts` of them)."""
    due = (
        select(jobs.c.id)
        .where(
            jobs.c.sent_at.is_(None),
            jobs.c.next_attempt_at <= now,
            jobs.c.attempts < retry.max_attempts,
        )
        .order_by(jobs.c.next_attempt_at)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    next_attempt_at = case(
        {made: now + retry.delay_after(made + 1) for made in range(retry.max_attempts)},
        value=jobs.c.attempts,
    )
    claim = (
        update(jobs)
        .where(jobs.c.id.in_(due))
        .values(attempts=jobs.c.attempts + 1, next_attempt_at=next_attempt_at)
        .returning(jobs)
    )
    return session.execute(claim).mappings().all()
