"""EXIF blocks (a TIFF structure): what one holds, and a block holding nothing but orientation.

Only the first image directory (IFD0), its Exif sub-directory and the link to a second directory
(the thumbnail) are read: enough to say what a block carries and to keep its orientation.
"""

import struct
from dataclasses import dataclass

from services.contracts.media import MalformedFile, Removed

EXIF_HEADER = b"Exif\x00\x00"
ORIENTATION = 0x0112
EXIF_IFD = 0x8769
GPS_IFD = 0x8825
MAKER_NOTE = 0x927C
POINTERS = frozenset({EXIF_IFD, GPS_IFD})
SERIAL_NUMBERS = frozenset({0xA431, 0xA435, 0xC62F})
SHORT = 3
ENTRY_SIZE = 12
VALID_ORIENTATIONS = range(1, 9)


@dataclass(frozen=True)
class ExifSummary:
    orientation: int | None
    tags: frozenset[int]
    exif_tags: frozenset[int]
    has_thumbnail: bool

    def kinds(self) -> set[Removed]:
        """What the block carries besides the orientation, for the record of what was removed."""
        kinds = set()
        if self.tags - POINTERS - {ORIENTATION} or self.exif_tags:
            kinds.add(Removed.CAMERA_DETAILS)
        if GPS_IFD in self.tags:
            kinds.add(Removed.LOCATION)
        if self.has_thumbnail:
            kinds.add(Removed.THUMBNAIL)
        if MAKER_NOTE in self.exif_tags:
            kinds.add(Removed.MAKER_NOTES)
        if SERIAL_NUMBERS & (self.tags | self.exif_tags):
            kinds.add(Removed.SERIAL_NUMBERS)
        return kinds

    @property
    def only_orientation(self) -> bool:
        return (
            self.tags == {ORIENTATION}
            and not self.has_thumbnail
            and self.orientation in VALID_ORIENTATIONS
        )


def without_header(block: bytes) -> bytes:
    return block[len(EXIF_HEADER) :] if block.startswith(EXIF_HEADER) else block


def exif_kinds(block: bytes) -> set[Removed]:
    """What an EXIF block (with or without its `Exif` header) held; one that cannot be read
    still counts as camera details."""
    try:
        return read_exif(without_header(block)).kinds()
    except MalformedFile:
        return {Removed.CAMERA_DETAILS}


def read_exif(tiff: bytes) -> ExifSummary:
    """What a TIFF-structured EXIF block (without the `Exif` header) holds."""
    if tiff[:4] == b"II*\x00":
        endian = "<"
    elif tiff[:4] == b"MM\x00*":
        endian = ">"
    else:
        raise MalformedFile("The EXIF block is not a TIFF structure.")
    (first,) = struct.unpack(endian + "I", tiff[4:8])
    entries, next_directory = read_directory(tiff, first, endian)
    exif_tags: frozenset[int] = frozenset()
    pointer = entries.get(EXIF_IFD, b"")
    if len(pointer) == 4:
        (offset,) = struct.unpack(endian + "I", pointer)
        exif_tags = frozenset(read_directory(tiff, offset, endian)[0])
    return ExifSummary(
        orientation=orientation_of(entries, endian),
        tags=frozenset(entries),
        exif_tags=exif_tags,
        has_thumbnail=next_directory != 0,
    )


def read_directory(tiff: bytes, offset: int, endian: str) -> tuple[dict[int, bytes], int]:
    """One image file directory: each tag's value field, and where the next directory is."""
    if offset < 8 or offset + 2 > len(tiff):
        raise MalformedFile("An EXIF directory lies outside the block.")
    (count,) = struct.unpack(endian + "H", tiff[offset : offset + 2])
    end = offset + 2 + count * ENTRY_SIZE
    if end + 4 > len(tiff):
        raise MalformedFile("An EXIF directory runs past the end of the block.")
    entries = {}
    for start in range(offset + 2, end, ENTRY_SIZE):
        tag, kind = struct.unpack(endian + "HH", tiff[start : start + 4])
        value_size = 2 if kind == SHORT else 4
        entries[tag] = tiff[start + 8 : start + 8 + value_size]
    (next_directory,) = struct.unpack(endian + "I", tiff[end : end + 4])
    return entries, next_directory


def orientation_of(entries: dict[int, bytes], endian: str) -> int | None:
    field = entries.get(ORIENTATION)
    if field is None or len(field) != 2:
        return None
    (value,) = struct.unpack(endian + "H", field)
    return value if value in VALID_ORIENTATIONS else None


def orientation_block(orientation: int) -> bytes:
    """A big-endian TIFF structure whose one directory holds only the orientation tag."""
    return (
        b"MM\x00*"
        + struct.pack(">I", 8)
        + struct.pack(">H", 1)
        + struct.pack(">HHIHH", ORIENTATION, SHORT, 1, orientation, 0)
        + struct.pack(">I", 0)
    )
