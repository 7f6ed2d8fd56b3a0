"""S3-compatible object storage (MinIO in production, moto_server where Docker does not run).

Every object is written with server-side encryption. Workers get an `ObjectStore` speaking in
domain words; nobody passes a raw boto3 client around.
"""

from typing import BinaryIO

import boto3
from botocore.config import Config
from nameko.extensions import DependencyProvider

MAX_PRESIGN_SECONDS = 300


def make_s3_client(config: dict):
    return boto3.client(
        "s3",
        endpoint_url=config["S3_ENDPOINT_URL"],
        region_name=config.get("S3_REGION", "eu-north-1"),
        aws_access_key_id=config["S3_ACCESS_KEY"],
        aws_secret_access_key=config["S3_SECRET_KEY"],
        config=Config(signature_version="s3v4", s3={"addressing_style": "path"}),
    )


class ObjectStore:
    def __init__(self, client, bucket: str):
        self._client = client
        self.bucket = bucket

    def put(self, key: str, body: BinaryIO | bytes, content_type: str) -> None:
        self._client.put_object(
            Bucket=self.bucket,
            Key=key,
            Body=body,
            ContentType=content_type,
            ServerSideEncryption="AES256",
        )

    def read(self, key: str) -> bytes:
        return self._client.get_object(Bucket=self.bucket, Key=key)["Body"].read()

    def open(self, key: str):
        """A streaming body; the caller reads it in chunks and closes it."""
        return self._client.get_object(Bucket=self.bucket, Key=key)["Body"]

    def presigned_get(self, key: str, ttl_seconds: int, filename: str, content_type: str) -> str:
        return self._client.generate_presigned_url(
            "get_object",
            Params={
                "Bucket": self.bucket,
                "Key": key,
                "ResponseContentDisposition": f'attachment; filename="{filename}"',
                "ResponseContentType": content_type,
            },
            ExpiresIn=min(ttl_seconds, MAX_PRESIGN_SECONDS),
        )

    def delete_everywhere(self, key: str) -> int:
        """Delete every version and delete marker of `key`; returns how many were removed."""
        removed = 0
        paginator = self._client.get_paginator("list_object_versions")
        for page in paginator.paginate(Bucket=self.bucket, Prefix=key):
            entries = page.get("Versions", []) + page.get("DeleteMarkers", [])
            for entry in entries:
                if entry["Key"] != key:
                    continue
                self._client.delete_object(
                    Bucket=self.bucket, Key=key, VersionId=entry["VersionId"]
                )
                removed += 1
        return removed


def ensure_bucket(config: dict) -> None:
    """Create the configured bucket, versioned, if it does not exist yet."""
    client = make_s3_client(config)
    bucket = config["S3_BUCKET"]
    existing = {b["Name"] for b in client.list_buckets().get("Buckets", [])}
    if bucket not in existing:
        client.create_bucket(
            Bucket=bucket,
            CreateBucketConfiguration={"LocationConstraint": config.get("S3_REGION", "eu-north-1")},
        )
    client.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})


class Storage(DependencyProvider):
    def setup(self):
        config = self.container.config
        self.store = ObjectStore(make_s3_client(config), config["S3_BUCKET"])

    def get_dependency(self, worker_ctx) -> ObjectStore:
        return self.store
