"""What every service has: its database, outbox, clock, parked events, metrics, request tracing
and the operator RPCs."""

from nameko.rpc import rpc
from sqlalchemy import text

from services.infra.clock import Clock
from services.infra.database import Database
from services.infra.events import ParkedEvents
from services.infra.metrics import Metrics
from services.infra.outbox import Outbox
from services.infra.tracing import RequestTracing


class ServiceBase:
    db = Database()
    outbox = Outbox()
    clock = Clock()
    parked = ParkedEvents()
    metrics = Metrics()
    tracing = RequestTracing()

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
