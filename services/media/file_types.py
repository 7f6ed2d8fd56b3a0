"""The kinds of file an attachment may be, as stored, and the names they may come with (the
accepted ones as the contract lists them)."""

from dataclasses import dataclass

from services.contracts.media import ACCEPTED_FILE_TYPES


@dataclass(frozen=True)
class FileType:
    key: str
    content_type: str
    extensions: tuple[str, ...]

    def describe(self) -> str:
        return f"{self.content_type} ({', '.join(self.extensions)})"


def accepted_type(key: str, content_type: str) -> FileType:
    """An accepted type with the extensions the contract gives it."""
    return FileType(key, content_type, ACCEPTED_FILE_TYPES[content_type])


JPEG = accepted_type("jpeg", "image/jpeg")
PNG = accepted_type("png", "image/png")
WEBP = accepted_type("webp", "image/webp")
HEIF = accepted_type("heif", "image/heic")
GIF = accepted_type("gif", "image/gif")
TIFF = accepted_type("tiff", "image/tiff")
PDF = accepted_type("pdf", "application/pdf")
DOCX = accepted_type(
    "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
)
XLSX = accepted_type("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
PPTX = accepted_type(
    "pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation"
)
ODT = accepted_type("odt", "application/vnd.oasis.opendocument.text")
ODS = accepted_type("ods", "application/vnd.oasis.opendocument.spreadsheet")
ODP = accepted_type("odp", "application/vnd.oasis.opendocument.presentation")
BMP = FileType("bmp", "image/bmp", (".bmp",))
"""Cleaned inside documents only; not accepted as an upload of its own."""

ACCEPTED = (JPEG, PNG, WEBP, HEIF, GIF, TIFF, PDF, DOCX, XLSX, PPTX, ODT, ODS, ODP)
OPEN_DOCUMENTS = (ODT, ODS, ODP)
OFFICE_OPEN_XML = (DOCX, XLSX, PPTX)


def accepted_types() -> list[str]:
    """What a refusal tells the uploader they may send instead."""
    return [file_type.describe() for file_type in ACCEPTED]
