"""How attachments look to callers."""


def attachment_view(row) -> dict:
    return {
        "id": str(row["id"]),
        "booking_id": str(row["booking_id"]),
        "name": row["name"],
        "content_type": row["content_type"],
        "size": row["size_bytes"],
        "sha256": row["sha256"],
        "removed_metadata": list(row["removed_metadata"]),
        "created_at": row["created_at"].isoformat(),
    }


def download_view(row) -> dict:
    return {
        "key": row["object_key"],
        "name": row["name"],
        "content_type": row["content_type"],
        "size": row["size_bytes"],
    }
