"""Public HTTP schemas of attachments (the answers; the upload is multipart, field `file`)."""

from marshmallow import Schema, fields

from services.contracts.media import Attachment


class AttachmentSchema(Attachment):
    pass


class AttachmentListSchema(Schema):
    items = fields.List(fields.Nested(AttachmentSchema))
