"""Two small services built only from the infrastructure, to test it through a real broker."""

from nameko.rpc import rpc
from sqlalchemy import Column, Integer, MetaData, Table, Text, insert, select

from services.infra.events import handle_event
from services.infra.service_base import ServiceBase

sample_metadata = MetaData()

notes = Table(
    "notes",
    sample_metadata,
    Column("id", Integer, primary_key=True),
    Column("text", Text, nullable=False),
)

blocked_texts = Table(
    "blocked_texts",
    sample_metadata,
    Column("text", Text, primary_key=True),
)

seen = Table(
    "seen",
    sample_metadata,
    Column("id", Integer, primary_key=True),
    Column("event_id", Text, nullable=False),
    Column("text", Text, nullable=False),
)


class SourceService(ServiceBase):
    name = "sample_source"

    @rpc
    def write_note(self, text: str) -> str:
        note_id = self.db.execute(insert(notes).values(text=text).returning(notes.c.id)).scalar()
        event_id = self.outbox.dispatch("note_written", {"note_id": note_id, "text": text})
        return str(event_id)

    @rpc
    def write_note_then_fail(self, text: str) -> None:
        self.db.execute(insert(notes).values(text=text))
        self.outbox.dispatch("note_written", {"text": text})
        raise ValueError("failed after dispatching")

    @rpc
    def refuse_but_record(self, text: str) -> None:
        self.db.execute(insert(notes).values(text=text))
        self.outbox.dispatch_regardless("note_written", {"text": text})
        raise PermissionError("refused")


class SinkService(ServiceBase):
    name = "sample_sink"

    @handle_event("sample_source", "note_written")
    def on_note_written(self, payload: dict) -> None:
        self.db.execute(insert(seen).values(event_id=payload["event_id"], text=payload["text"]))
        blocked = self.db.execute(
            select(blocked_texts.c.text).where(blocked_texts.c.text == payload["text"])
        ).first()
        if blocked:
            raise RuntimeError("this note cannot be handled yet")

    @rpc
    def seen_texts(self) -> list[str]:
        return list(self.db.execute(select(seen.c.text).order_by(seen.c.id)).scalars())
