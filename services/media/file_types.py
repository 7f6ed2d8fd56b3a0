"""The kinds of file an attachment may be, as stored, and the names they may come with."""

from dataclasses import dataclass


@dataclass(frozen=True)
class FileType:
    key: str
    content_type: str
    extensions: tuple[str, ...]

    def describe(self) -> str:
        return f"{self.content_type} ({', '.join(self.extensions)})"


JPEG = FileType("jpeg", "image/jpeg", (".jpg", ".jpeg"))
PNG = FileType("png", "image/png", (".png",))
WEBP = FileType("webp", "image/webp", (".webp",))
HEIF = FileType("heif", "image/heic", (".heic", ".heif"))
GIF = FileType("gif", "image/gif", (".gif",))
TIFF = FileType("tiff", "image/tiff", (".tif", ".tiff"))
PDF = FileType("pdf", "application/pdf", (".pdf",))
DOCX = FileType(
    "docx",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    (".docx",),
)
XLSX = FileType(
    "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (".xlsx",)
)
PPTX = FileType(
    "pptx",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    (".pptx",),
)
ODT = FileType("odt", "application/vnd.oasis.opendocument.text", (".odt",))
ODS = FileType("ods", "application/vnd.oasis.opendocument.spreadsheet", (".ods",))
ODP = FileType("odp", "application/vnd.oasis.opendocument.presentation", (".odp",))
BMP = FileType("bmp", "image/bmp", (".bmp",))
"""Cleaned inside documents only; not accepted as an upload of its own."""

ACCEPTED = (JPEG, PNG, WEBP, HEIF, GIF, TIFF, PDF, DOCX, XLSX, PPTX, ODT, ODS, ODP)
OPEN_DOCUMENTS = (ODT, ODS, ODP)
OFFICE_OPEN_XML = (DOCX, XLSX, PPTX)


def accepted_types() -> list[str]:
    """What a refusal tells the uploader they may send instead."""
    return [file_type.describe() for file_type in ACCEPTED]
