"""What a file really is, told by its content, never by its name or its declared type."""

import struct

from services.media import gif, ooxml, opendocument, tiff, zip_package
from services.media.file_types import GIF, HEIF, JPEG, PDF, PNG, TIFF, WEBP, FileType
from services.media.settings import CleaningLimits
from services.media.zip_package import Entry

HEVC_BRANDS = frozenset({b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx"})


def detect(data: bytes, limits: CleaningLimits) -> FileType | None:
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return WEBP
    if data[:6] in gif.SIGNATURES:
        return GIF
    if data[:4] in (tiff.LITTLE, tiff.BIG):
        return TIFF
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
    """OpenDocument by its `mimetype` entry, Office Open XML by its main part's content type."""
    with zip_package.open_archive(data, limits) as archive:
        names = set(archive.namelist())
        if "mimetype" in names:
            return opendocument.package_type(
                zip_package.read_entry(data, archive.getinfo("mimetype"))
            )
        if ooxml.CONTENT_TYPES not in names:
            return None
        described = {
            name: zip_package.read_entry(data, archive.getinfo(name))
            for name in (ooxml.CONTENT_TYPES, ooxml.PACKAGE_RELATIONSHIPS)
            if name in names
        }
    return ooxml.package_type([Entry(name, described.get(name, b"")) for name in names])
