"""The media service's contract: attachments' RPC payloads and errors.

RPC methods (see services/media/README.md for each one's arguments, answer and errors):
prepare_upload, ingest_upload, list_attachments, get_download, delete_attachment,
export_personal_data, erase_personal_data.
"""

from marshmallow import Schema, fields, validate
from nameko.exceptions import deserialize_to_instance

from services.contracts.errors import DomainError, InvalidInput
from services.contracts.fields import timestamp

MAX_FILENAME_LENGTH = 255
MAX_IDEMPOTENCY_KEY_LENGTH = 200


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
        fields.String(), metadata={"description": "Kinds of metadata removed, e.g. gps, exif."}
    )
    created_at = timestamp()


class AttachmentList(Schema):
    items = fields.List(fields.Nested(Attachment))
