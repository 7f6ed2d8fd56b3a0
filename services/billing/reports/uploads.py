"""Report files that are in S3 before the version referring to them has committed.

A version's files are stored before its row commits, so a process killed in between would leave
files with members' names that nothing refers to. Their keys are noted first, in a transaction
of their own; the version's transaction deletes the note as it commits. A failure that rolls
the version back deletes the files and then the note. A note older than an hour belongs to a
process that died: the timer deletes its files, then the note. Notes being committed away right
now are locked and skipped.
"""

import logging
from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy import delete, insert, select

from services.billing.models import report_file_uploads
from services.billing.work import Work
from services.infra.database import transaction_beside

log = logging.getLogger(__name__)

ABANDONED_AFTER = timedelta(hours=1)
PURGE_BATCH = 100


def note(db, keys: Iterable[str], now: datetime) -> None:
    """Commit a note of the keys about to be stored, apart from the caller's transaction."""
    with transaction_beside(db) as own:
        own.execute(insert(report_file_uploads), [{"key": k, "started_at": now} for k in keys])


def settle(db, keys: Iterable[str]) -> None:
    """The files are referred to now: drop the note in the caller's transaction."""
    db.execute(delete(report_file_uploads).where(report_file_uploads.c.key.in_(list(keys))))


def delete_files(storage, db, keys: list[str]) -> None:
    """Delete the files and then their note; a note stays for the timer if a file remains."""
    try:
        for key in keys:
            storage.delete_everywhere(key)
    except Exception:
        log.exception("could not delete report files %s; the cleanup timer tries again", keys)
        return
    with transaction_beside(db) as own:
        settle(own, keys)


def purge_abandoned(work: Work) -> int:
    """Delete the files of notes older than an hour; returns how many files went."""
    purged = 0
    while True:
        batch = (
            work.db.execute(
                select(report_file_uploads.c.key)
                .where(report_file_uploads.c.started_at < work.now - ABANDONED_AFTER)
                .limit(PURGE_BATCH)
                .with_for_update(skip_locked=True)
            )
            .scalars()
            .all()
        )
        if not batch:
            break
        for key in batch:
            work.storage.delete_everywhere(key)
        settle(work.db, batch)
        work.db.commit()
        purged += len(batch)
    if purged:
        log.warning("deleted %d report files left by a publication that never finished", purged)
    return purged
