"""WebP: EXIF, XMP and unknown chunks removed from the RIFF container, image chunks untouched.

An orientation other than 1 is kept as an EXIF chunk holding nothing else. The extended header's
EXIF and XMP flags and the RIFF size are rewritten to match what remains.
"""

import struct
from dataclasses import dataclass

from services.contracts.media import MalformedFile, Removed
from services.media.cleaned import Cleaned
from services.media.exif import exif_kinds, orientation_block, read_exif, without_header
from services.media.file_types import WEBP
from services.media.settings import CleaningLimits

EXTENDED = b"VP8X"
LOSSY = b"VP8 "
LOSSLESS = b"VP8L"
EXIF = b"EXIF"
XMP = b"XMP "
KEPT = frozenset({EXTENDED, b"ICCP", b"ANIM", b"ANMF", b"ALPH", LOSSY, LOSSLESS})
EXIF_FLAG = 0x08
XMP_FLAG = 0x04
VP8_START_CODE = b"\x9d\x01\x2a"
VP8L_SIGNATURE = 0x2F


@dataclass(frozen=True)
class Chunk:
    fourcc: bytes
    data: bytes

    def encode(self) -> bytes:
        padding = b"\x00" if len(self.data) % 2 else b""
        return self.fourcc + struct.pack("<I", len(self.data)) + self.data + padding


@dataclass(frozen=True)
class WebpFile:
    chunks: tuple[Chunk, ...]
    declared_size: int
    width: int
    height: int


def parse(data: bytes) -> WebpFile:
    if len(data) < 12 or data[:4] != b"RIFF" or data[8:12] != b"WEBP":
        raise MalformedFile("Not a WebP image.")
    (declared_size,) = struct.unpack("<I", data[4:8])
    end = 8 + declared_size
    if declared_size < 4 or end > len(data):
        raise MalformedFile("The WebP file is shorter than its header says.")
    chunks, pos = [], 12
    while pos < end:
        if pos + 8 > end:
            raise MalformedFile("The WebP file ends inside a chunk header.")
        fourcc = data[pos : pos + 4]
        (length,) = struct.unpack("<I", data[pos + 4 : pos + 8])
        if pos + 8 + length > end:
            raise MalformedFile("A WebP chunk runs past the end of the file.")
        chunks.append(Chunk(fourcc, data[pos + 8 : pos + 8 + length]))
        pos += 8 + length + length % 2
    if not chunks:
        raise MalformedFile("The WebP file holds no image.")
    return WebpFile(tuple(chunks), declared_size, *canvas_size(chunks))


def canvas_size(chunks: list[Chunk]) -> tuple[int, int]:
    first = chunks[0]
    if first.fourcc == EXTENDED and len(first.data) >= 10:
        width = int.from_bytes(first.data[4:7], "little") + 1
        height = int.from_bytes(first.data[7:10], "little") + 1
        return width, height
    if first.fourcc == LOSSY and len(first.data) >= 10 and first.data[3:6] == VP8_START_CODE:
        width, height = struct.unpack("<HH", first.data[6:10])
        return width & 0x3FFF, height & 0x3FFF
    if first.fourcc == LOSSLESS and len(first.data) >= 5 and first.data[0] == VP8L_SIGNATURE:
        (bits,) = struct.unpack("<I", first.data[1:5])
        return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    raise MalformedFile("The WebP file does not start with an image header.")


def strip(data: bytes, limits: CleaningLimits) -> Cleaned:
    image = parse(data)
    limits.check_pixels(image.width, image.height)
    kept, removed, orientation = [], set(), None
    for chunk in image.chunks:
        if chunk.fourcc in KEPT:
            kept.append(chunk)
        elif chunk.fourcc == EXIF:
            orientation = orientation or exif_orientation(chunk.data)
            removed |= exif_kinds(chunk.data)
        else:
            removed.add(Removed.XMP if chunk.fourcc == XMP else Removed.OTHER_METADATA)
    if len(data) > 8 + image.declared_size + image.declared_size % 2:
        removed.add(Removed.HIDDEN_DATA)
    if kept[0].fourcc == EXTENDED:
        kept = with_extended_header(kept, orientation)
    body = b"WEBP" + b"".join(chunk.encode() for chunk in kept)
    return Cleaned(b"RIFF" + struct.pack("<I", len(body)) + body, WEBP, frozenset(removed))


def exif_orientation(block: bytes) -> int | None:
    try:
        return read_exif(without_header(block)).orientation
    except MalformedFile:
        return None


def with_extended_header(kept: list[Chunk], orientation: int | None) -> list[Chunk]:
    """The extended header's flags say exactly which metadata chunks follow."""
    header = kept[0]
    flags = header.data[0] & ~(EXIF_FLAG | XMP_FLAG)
    chunks = list(kept[1:])
    if orientation not in (None, 1):
        chunks.append(Chunk(EXIF, orientation_block(orientation)))
        flags |= EXIF_FLAG
    return [Chunk(EXTENDED, bytes((flags,)) + header.data[1:]), *chunks]
