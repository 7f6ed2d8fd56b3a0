"""The media service's contract: attachments' RPC payloads and errors.

RPC methods (see services/media/README.md for each one's arguments, answer and errors):
prepare_upload, ingest_upload, list_attachments, get_download, delete_attachment,
export_personal_data, erase_personal_data.
"""

from enum import StrEnum

from marshmallow import Schema, fields, validate
from nameko.exceptions import deserialize_to_instance

from services.contracts.errors import DomainError, InvalidInput
from services.contracts.fields import timestamp

MAX_FILENAME_LENGTH = 255
MAX_IDEMPOTENCY_KEY_LENGTH = 200
ACCEPTED_FILE_TYPES = {
    "image/jpeg": (".jpg", ".jpeg"),
    "image/png": (".png",),
    "image/webp": (".webp",),
    "image/heic": (".heic", ".heif"),
    "image/gif": (".gif",),
    "image/tiff": (".tif", ".tiff"),
    "application/pdf": (".pdf",),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": (".docx",),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": (".xlsx",),
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": (".pptx",),
    "application/vnd.oasis.opendocument.text": (".odt",),
    "application/vnd.oasis.opendocument.spreadsheet": (".ods",),
    "application/vnd.oasis.opendocument.presentation": (".odp",),
}
"""What an attachment may be, by content type, with the file name extensions each comes with:
media accepts these (415 otherwise) and a page says them before a file is chosen."""


@deserialize_to_instance
class FileTooLarge(DomainError):
    """The file, or a booking's attachments together, are over the limit (HTTP 413)."""

    code = "too_large"


@deserialize_to_instance
class UnsupportedType(DomainError):
    """Not an accepted type, or not the type its name says (HTTP 415).

    `fields["accepted_types"]` lists what is accepted.
    """

    code = "unsupported_media_type"


@deserialize_to_instance
class MalformedFile(InvalidInput):
    """The file is damaged or does not follow its format."""

    code = "malformed_file"


@deserialize_to_instance
class DecompressionBomb(InvalidInput):
    """The file would expand past a limit: too many pixels, or a zip that grows too much."""

    code = "decompression_bomb"


@deserialize_to_instance
class MetadataRemains(InvalidInput):
    """Cleaning could not be shown to have removed every identifying field; nothing was stored."""

    code = "metadata_remains"


class Removed(StrEnum):
    """What cleaning removed from a file, in plain words: the answer's `removed_metadata` lists
    these values, stable so that a page can translate each into the person's language."""

    LOCATION = "location"
    CAMERA_DETAILS = "camera details"
    SERIAL_NUMBERS = "serial numbers"
    MAKER_NOTES = "camera maker notes"
    THUMBNAIL = "thumbnail"
    XMP = "xmp metadata"
    CAPTIONS = "captions and credits"
    IMAGE_COMMENT = "image comment"
    TEXT_NOTES = "text notes"
    DESCRIPTION = "description"
    DATES = "dates"
    HIDDEN_DATA = "hidden data"
    EXTRA_PICTURES = "extra pictures"
    DEPTH_MAP = "depth map"
    DOCUMENT_PROPERTIES = "document properties"
    AUTHOR = "author"
    COMPANY = "company"
    SOFTWARE = "software"
    TEMPLATE = "template"
    EDITING_TIME = "editing time"
    CUSTOM_PROPERTIES = "custom properties"
    CUSTOM_DATA = "custom data"
    FILE_PATHS = "file paths"
    PRINTER_NAME = "printer name"
    PRINTER_SETTINGS = "printer settings"
    COMMENT_AUTHORS = "comment authors"
    COMMENT_DATES = "comment dates"
    CHANGE_AUTHORS = "tracked change authors"
    CHANGE_DATES = "tracked change dates"
    REVISION_IDS = "revision history ids"
    DOCUMENT_IDS = "document ids"
    DIGITAL_SIGNATURE = "digital signature"
    APPLICATION_DATA = "application data"
    ATTACHED_FILES = "attached files"
    OTHER_METADATA = "other metadata"


class IngestRequest(Schema):
    booking_id = fields.UUID(required=True)
    quarantine_key = fields.String(required=True, validate=validate.Length(min=1, max=300))
    filename = fields.String(
        required=True, validate=validate.Length(min=1, max=MAX_FILENAME_LENGTH)
    )
    idempotency_key = fields.String(
        load_default=None,
        allow_none=True,
        validate=validate.Length(min=1, max=MAX_IDEMPOTENCY_KEY_LENGTH),
    )


class Attachment(Schema):
    """An attachment as media answers it; the other answers are described in the README."""

    id = fields.UUID()
    booking_id = fields.UUID()
    name = fields.String()
    content_type = fields.String()
    size = fields.Integer()
    sha256 = fields.String()
    removed_metadata = fields.List(
        fields.String(validate=validate.OneOf([str(kind) for kind in Removed])),
        metadata={"description": "What was removed, in plain words: location, author …"},
    )
    created_at = timestamp()


class AttachmentList(Schema):
    items = fields.List(fields.Nested(Attachment))
