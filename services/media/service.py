"""The media service: attachments content-sniffed, stripped of metadata, stored encrypted in S3.

Entrypoints only; the contract is in README.md beside this file.
"""

from nameko.rpc import RpcProxy
from nameko.timer import timer

from services.contracts.errors import DomainError
from services.contracts.media import IngestRequest
from services.contracts.names import BOOKINGS, MEDIA
from services.infra.rpc import rpc
from services.infra.service_base import ServiceBase
from services.infra.validation import load, required_actor
from services.media import attachments, personal_data
from services.media.cleaner import Cleaner
from services.media.settings import Settings
from services.media.storage import MediaStorage
from services.media.work import Work

QUARANTINE_SWEEP_SECONDS = 600


class MediaService(ServiceBase):
    name = MEDIA
    settings = Settings()
    storage = MediaStorage()
    cleaner = Cleaner()
    bookings = RpcProxy(BOOKINGS)

    def work(self) -> Work:
        return Work(
            db=self.db,
            outbox=self.outbox,
            store=self.storage,
            clean=self.cleaner,
            bookings=self.bookings,
            settings=self.settings,
            now=self.clock.now(),
        )

    @rpc(expected_exceptions=DomainError)
    def prepare_upload(self, booking_id: str, actor: dict) -> dict:
        return attachments.prepare_upload(self.work(), booking_id, required_actor(actor))

    @rpc(expected_exceptions=DomainError)
    def ingest_upload(self, request: dict, actor: dict) -> dict:
        data = load(IngestRequest, request)
        return attachments.ingest_upload(self.work(), data, required_actor(actor))

    @rpc(expected_exceptions=DomainError)
    def list_attachments(self, booking_id: str, actor: dict) -> dict:
        return attachments.list_attachments(self.work(), booking_id, required_actor(actor))

    @rpc(expected_exceptions=DomainError)
    def get_download(self, attachment_id: str, actor: dict) -> dict:
        return attachments.get_download(self.work(), attachment_id, required_actor(actor))

    @rpc(expected_exceptions=DomainError)
    def delete_attachment(self, attachment_id: str, actor: dict) -> None:
        attachments.delete_attachment(self.work(), attachment_id, required_actor(actor))

    @timer(interval=QUARANTINE_SWEEP_SECONDS)
    def purge_stale_uploads(self) -> None:
        attachments.purge_stale_uploads(self.work())

    def export_subject(self, subject_id: str, page: int) -> dict:
        return personal_data.export_personal_data(self.work(), subject_id)

    def erase_subject(self, subject_id: str, dry_run: bool):
        return personal_data.erase_attachments(self.work(), subject_id, dry_run)
