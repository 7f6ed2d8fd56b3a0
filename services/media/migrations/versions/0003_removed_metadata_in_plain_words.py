"""Attachments recorded before `removed_metadata` was written in plain words get the same words
as new ones (`gps` becomes `location`, …), so a page translates one vocabulary."""

from alembic import op

revision = "media_0003"
down_revision = "media_0002"

PLAIN_WORDS = {
    "exif": "camera details",
    "gps": "location",
    "maker_notes": "camera maker notes",
    "serial_numbers": "serial numbers",
    "xmp": "xmp metadata",
    "iptc": "captions and credits",
    "comment": "image comment",
    "multi_picture": "extra pictures",
    "trailing_data": "hidden data",
    "text": "text notes",
    "timestamp": "dates",
    "depth_map": "depth map",
    "other_metadata": "other metadata",
    "document_info": "document properties",
    "document_properties": "document properties",
    "custom_properties": "custom properties",
    "custom_xml": "custom data",
    "file_paths": "file paths",
    "printer_name": "printer name",
    "application_data": "application data",
    "embedded_files": "attached files",
}


def renamed(mapping: dict[str, str]) -> None:
    """Each array's items mapped by `mapping` (others kept), without duplicates, in order."""
    pairs = ", ".join(f"('{old}', '{new}')" for old, new in mapping.items())
    op.execute(
        f"""
        UPDATE attachments SET removed_metadata = ARRAY(
            SELECT DISTINCT coalesce(words.new, item)
            FROM unnest(removed_metadata) AS item
            LEFT JOIN (VALUES {pairs}) AS words(old, new) ON words.old = item
            ORDER BY 1
        )
        """
    )


def upgrade() -> None:
    renamed(PLAIN_WORDS)


def downgrade() -> None:
    renamed({new: old for old, new in PLAIN_WORDS.items() if old != "document_info"})
