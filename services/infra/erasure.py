"""The erasing half of the privacy contract, made idempotent per request and safe to preview.

A service supplies `erase(session) -> ErasureResult`; `run_erasure` stores the first real result
under the request id and answers every repeat with it (concurrent repeats wait on a transaction
lock for the request id, then find the stored result); a dry run computes the answer inside a
savepoint that is rolled back, so nothing changes.
"""

from dataclasses import asdict, dataclass, field

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert

from services.infra.tables import erasure_results


@dataclass
class ErasureResult:
    items_removed: int = 0
    items_anonymised: int = 0
    items_retained: int = 0
    messages: list[str] = field(default_factory=list)
    done: bool = True


def run_erasure(session, request_id: str, dry_run: bool, erase) -> dict:
    if dry_run:
        savepoint = session.begin_nested()
        try:
            return asdict(erase(session))
        finally:
            savepoint.rollback()
    session.execute(select(func.pg_advisory_xact_lock(func.hashtext(f"erasure:{request_id}"))))
    earlier = session.execute(
        select(erasure_results.c.result).where(erasure_results.c.request_id == request_id)
    ).scalar()
    if earlier is not None:
        return earlier
    result = asdict(erase(session))
    session.execute(
        pg_insert(erasure_results).on_conflict_do_nothing(),
        {"request_id": request_id, "result": result},
    )
    return result
