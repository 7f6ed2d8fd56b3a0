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

ACCEPTED = (JPEG, PNG, WEBP, HEIF, PDF, DOCX, XLSX, PPTX, ODT)


def accepted_types() -> list[str]:
    """What a refusal tells the uploader they may send instead."""
    return [file_type.describe() for file_type in ACCEPTED]
