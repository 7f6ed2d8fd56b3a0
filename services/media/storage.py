"""The media service's view of object storage: the shared store plus what uploads need."""

from datetime import datetime

from botocore.exceptions import ClientError

from services.infra.storage import ObjectStore, Storage, make_s3_client

MISSING = ("NoSuchKey", "404")


class MediaStore(ObjectStore):
    def read_at_most(self, key: str, limit: int) -> bytes | None:
        """At most `limit + 1` bytes of an object, so a caller sees it is too large without
        reading it all; None when there is no such object."""
        try:
            body = self.open(key)
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in MISSING:
                return None
            raise
        try:
            return body.read(limit + 1)
        finally:
            body.close()

    def purge(self, prefix: str, written_before: datetime) -> int:
        """Delete every version under `prefix` written before the given time; returns how many."""
        removed = 0
        paginator = self._client.get_paginator("list_object_versions")
        for page in paginator.paginate(Bucket=self.bucket, Prefix=prefix):
            for entry in page.get("Versions", []) + page.get("DeleteMarkers", []):
                if entry["LastModified"] < written_before:
                    self._client.delete_object(
                        Bucket=self.bucket, Key=entry["Key"], VersionId=entry["VersionId"]
                    )
                    removed += 1
        return removed


class MediaStorage(Storage):
    def setup(self):
        config = self.container.config
        self.store = MediaStore(make_s3_client(config), config["S3_BUCKET"])
