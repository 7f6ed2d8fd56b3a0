"""The gateway's hands on object storage, for attachments only: it writes an upload into the
quarantine key media gave it and streams out the stored file media said the caller may read."""

from nameko.extensions import DependencyProvider

from gateway.errors import ServiceUnavailable
from services.infra.storage import ObjectStore, make_s3_client


class StorageNotConfigured:
    """Stands in for the store of a gateway deployed without S3 settings: attachment uploads
    and downloads answer 503, every other route works."""

    def put(self, *args, **kwargs):
        raise ServiceUnavailable("storage")

    def open(self, *args, **kwargs):
        raise ServiceUnavailable("storage")


class AttachmentStorage(DependencyProvider):
    def setup(self):
        config = self.container.config
        self.store = StorageNotConfigured()
        if "S3_ENDPOINT_URL" in config:
            self.store = ObjectStore(make_s3_client(config), config["S3_BUCKET"])

    def get_dependency(self, worker_ctx) -> ObjectStore | StorageNotConfigured:
        return self.store
