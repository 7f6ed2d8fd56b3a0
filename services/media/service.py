"""The media service. Attachments: content-sniffed, stripped of metadata, stored encrypted in S3."""

from services.contracts.names import MEDIA
from services.infra.service_base import ServiceBase


class MediaService(ServiceBase):
    name = MEDIA
