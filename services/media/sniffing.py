"""What a file really is, told by its content, never by its name or its declared type."""

import struct

from services.media import zip_package
from services.media.file_types import DOCX, HEIF, JPEG, ODT, PDF, PNG, PPTX, WEBP, XLSX, FileType
from services.media.settings import CleaningLimits

HEVC_BRANDS = frozenset({b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx"})
OPEN_DOCUMENT_TEXT = b"application/vnd.oasis.opendocument.text"
OFFICE_MAIN_PARTS = {
    "word/document.xml": DOCX,
    "xl/workbook.xml": XLSX,
    "ppt/presentation.xml": PPTX,
}


def detect(data: bytes, limits: CleaningLimits) -> FileType | None:
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return WEBP
    if is_heif(data):
        return HEIF
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"PK\x03\x04"):
        return package_type(data, limits)
    return None


def is_heif(data: bytes) -> bool:
    """An ISO media file whose `ftyp` box names an HEVC-coded image brand (AVIF is not one)."""
    if data[4:8] != b"ftyp" or len(data) < 16:
        return False
    (size,) = struct.unpack(">I", data[:4])
    if size < 16 or size > len(data):
        return False
    brands = {data[8:12]} | {data[start : start + 4] for start in range(16, size - 3, 4)}
    return bool(brands & HEVC_BRANDS)


def package_type(data: bytes, limits: CleaningLimits) -> FileType | None:
    with zip_package.open_archive(data, limits) as archive:
        names = set(archive.namelist())
        if "mimetype" in names:
            mimetype = zip_package.read_entry(archive, archive.getinfo("mimetype"))
            is_text = mimetype.strip() == OPEN_DOCUMENT_TEXT
            return ODT if is_text else None
    if "[Content_Types].xml" not in names:
        return None
    found = [file_type for part, file_type in OFFICE_MAIN_PARTS.items() if part in names]
    return found[0] if len(found) == 1 else None
