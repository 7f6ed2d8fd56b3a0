"""A stand-in for the media service with only the privacy contract, until media offers it.

A person's attachments are the S3 objects under `attachments/<subject_id>/`; the export names
them by key, and the erasure deletes every version of each.
"""

from nameko.extensions import DependencyProvider
from nameko.rpc import rpc

from services.contracts.names import MEDIA
from services.infra.storage import ObjectStore, make_s3_client


def attachment_prefix(subject_id: str) -> str:
    return f"attachments/{subject_id}/"


class Bucket(DependencyProvider):
    def setup(self):
        config = self.container.config
        self.client = make_s3_client(config)
        self.store = ObjectStore(self.client, config["S3_BUCKET"])

    def get_dependency(self, worker_ctx):
        return self


class StandInMediaService:
    name = MEDIA
    bucket = Bucket()

    def keys_of(self, subject_id: str) -> list[str]:
        listing = self.bucket.client.list_objects_v2(
            Bucket=self.bucket.store.bucket, Prefix=attachment_prefix(subject_id)
        )
        return [entry["Key"] for entry in listing.get("Contents", [])]

    @rpc
    def health(self) -> dict:
        return {"status": "ok"}

    @rpc
    def export_personal_data(self, subject_id: str, page: int = 1) -> dict:
        files = [
            {"key": key, "name": key.rsplit("/", 1)[-1], "content_type": "application/pdf"}
            for key in self.keys_of(subject_id)
        ]
        return {"service": MEDIA, "items": [], "files": files, "done": True}

    @rpc
    def erase_personal_data(
        self, subject_id: str, request_id: str, dry_run: bool = False, page: int = 1
    ) -> dict:
        keys = self.keys_of(subject_id)
        if not dry_run:
            for key in keys:
                self.bucket.store.delete_everywhere(key)
        return {
            "items_removed": len(keys),
            "items_anonymised": 0,
            "items_retained": 0,
            "messages": [],
            "done": True,
        }
