"""What every service has: its database, outbox, clock, parked events, metrics, request tracing,
the operator RPCs, the privacy contract's two entrypoints and the hourly pruning of old event
records (`infra.event_records`).

The privacy contract (see the architecture notes): `export_personal_data(subject_id, page=1)`
and `erase_personal_data(subject_id, request_id, dry_run=False, page=1)` are written here once;
a service supplies the two hooks, `export_subject` and `erase_subject`, in its `service.py`.
Erasure is idempotent per request id and a dry run changes nothing (`infra.erasure`).
"""

from nameko.timer import timer
from sqlalchemy import text

from services.infra.clock import Clock
from services.infra.database import Database
from services.infra.erasure import ErasureResult, run_erasure
from services.infra.event_records import EventRecords
from services.infra.events import ParkedEvents
from services.infra.metrics import Metrics
from services.infra.outbox import Outbox
from services.infra.rpc import rpc
from services.infra.tracing import RequestTracing

EVENT_RECORDS_PRUNE_SECONDS = 3600


class ServiceBase:
    db = Database()
    outbox = Outbox()
    clock = Clock()
    parked = ParkedEvents()
    metrics = Metrics()
    tracing = RequestTracing()
    event_records = EventRecords()

    @rpc
    def health(self) -> dict:
        """Answers when the service runs and reaches its database."""
        self.db.execute(text("SELECT 1"))
        return {"status": "ok"}

    @rpc
    def list_parked_events(self, limit: int = 100) -> list[dict]:
        return self.parked.list(limit)

    @rpc
    def replay_parked_event(self, parked_id: int) -> bool:
        return self.parked.replay(parked_id)

    @timer(interval=EVENT_RECORDS_PRUNE_SECONDS)
    def prune_event_records(self) -> dict[str, int]:
        return self.event_records(self.db, self.clock.now())

    @rpc
    def export_personal_data(self, subject_id: str, page: int = 1) -> dict:
        return self.export_subject(subject_id, page)

    @rpc
    def erase_personal_data(
        self, subject_id: str, request_id: str, dry_run: bool = False, page: int = 1
    ) -> dict:
        return run_erasure(
            self.db, request_id, dry_run, lambda _: self.erase_subject(subject_id, dry_run)
        )

    def export_subject(self, subject_id: str, page: int) -> dict:
        """The hook: `{"service", "items": [{"group", "id", "data"}], "files", "done"}`."""
        raise NotImplementedError

    def erase_subject(self, subject_id: str, dry_run: bool) -> ErasureResult:
        """The hook: erase (or, in a dry run, only count) in the worker's session."""
        raise NotImplementedError
