"""Uploading an attachment the way the gateway does, and listing what S3 holds under a key."""


def upload(rpc, store, booking, data: bytes, filename: str, actor=None, idempotency_key=None):
    """What the gateway does: put the bytes into the quarantine key media hands out, then ask
    media to ingest them."""
    actor = actor or booking["coachee"]
    slot = rpc.media.prepare_upload(booking["id"], actor)
    store.put(slot["quarantine_key"], data, "application/octet-stream")
    return rpc.media.ingest_upload(ingest_request(booking, slot, filename, idempotency_key), actor)


def ingest_request(booking, slot, filename: str, idempotency_key=None) -> dict:
    return {
        "booking_id": booking["id"],
        "quarantine_key": slot["quarantine_key"],
        "filename": filename,
        "idempotency_key": idempotency_key,
    }


def versions_of(store, prefix: str) -> list[dict]:
    listed = store._client.list_object_versions(Bucket=store.bucket, Prefix=prefix)
    return listed.get("Versions", []) + listed.get("DeleteMarkers", [])
