"""PNG: ancillary chunks that carry no rendering data removed, image data copied untouched.

Kept: the critical chunks, the ones that change how pixels look (transparency, gamma, colour
space, ICC profile, significant bits, physical size, background, HDR) and APNG animation.
Removed: eXIf, tEXt, zTXt, iTXt (XMP lives there), tIME and every other ancillary chunk.
"""

import struct
import zlib
from dataclasses import dataclass

from services.contracts.media import MalformedFile, Removed
from services.media.cleaned import Cleaned
from services.media.exif import exif_kinds
from services.media.file_types import PNG
from services.media.settings import CleaningLimits

SIGNATURE = b"\x89PNG\r\n\x1a\n"
CRITICAL = frozenset({b"IHDR", b"PLTE", b"IDAT", b"IEND"})
RENDERING = frozenset(
    {
        b"tRNS",
        b"gAMA",
        b"cHRM",
        b"sRGB",
        b"iCCP",
        b"sBIT",
        b"pHYs",
        b"bKGD",
        b"cICP",
        b"mDCV",
        b"cLLI",
        b"acTL",
        b"fcTL",
        b"fdAT",
    }
)
KEPT = CRITICAL | RENDERING
METADATA_KINDS = {
    b"tEXt": Removed.TEXT_NOTES,
    b"zTXt": Removed.TEXT_NOTES,
    b"iTXt": Removed.TEXT_NOTES,
    b"tIME": Removed.DATES,
}
XMP_KEYWORD = b"XML:com.adobe.xmp\x00"


@dataclass(frozen=True)
class Chunk:
    kind: bytes
    data: bytes
    raw: bytes


@dataclass(frozen=True)
class PngFile:
    chunks: tuple[Chunk, ...]
    trailing: bytes
    width: int
    height: int


def parse(data: bytes) -> PngFile:
    """Every chunk up to IEND, each checked against its CRC, and what trails the image."""
    if not data.startswith(SIGNATURE):
        raise MalformedFile("Not a PNG image.")
    chunks, pos = [], len(SIGNATURE)
    while not chunks or chunks[-1].kind != b"IEND":
        chunk, pos = read_chunk(data, pos)
        chunks.append(chunk)
    if chunks[0].kind != b"IHDR" or len(chunks[0].data) != 13:
        raise MalformedFile("A PNG image must start with its header chunk.")
    width, height = struct.unpack(">II", chunks[0].data[:8])
    if not any(chunk.kind == b"IDAT" for chunk in chunks):
        raise MalformedFile("The PNG file holds no image data.")
    return PngFile(tuple(chunks), data[pos:], width, height)


def read_chunk(data: bytes, pos: int) -> tuple[Chunk, int]:
    if pos + 12 > len(data):
        raise MalformedFile("The PNG file ends before its end chunk.")
    (length,) = struct.unpack(">I", data[pos : pos + 4])
    end = pos + 12 + length
    if end > len(data):
        raise MalformedFile("A PNG chunk runs past the end of the file.")
    kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
    (crc,) = struct.unpack(">I", data[end - 4 : end])
    if zlib.crc32(kind + body) != crc:
        raise MalformedFile("A PNG chunk is damaged (its checksum does not match).")
    return Chunk(kind, body, data[pos:end]), end


def strip(data: bytes, limits: CleaningLimits) -> Cleaned:
    image = parse(data)
    limits.check_pixels(image.width, image.height)
    removed: set[Removed] = set()
    for chunk in image.chunks:
        if chunk.kind in KEPT:
            continue
        if is_critical(chunk.kind):
            raise MalformedFile(f"Unknown critical PNG chunk {chunk.kind!r}.")
        removed |= metadata_kinds(chunk)
    if image.trailing:
        removed.add(Removed.HIDDEN_DATA)
    kept = b"".join(chunk.raw for chunk in image.chunks if chunk.kind in KEPT)
    return Cleaned(SIGNATURE + kept, PNG, frozenset(removed))


def is_critical(kind: bytes) -> bool:
    """The case of a chunk type's first letter says whether a decoder may ignore it."""
    return kind[:1].isupper()


def metadata_kinds(chunk: Chunk) -> set[Removed]:
    if chunk.kind == b"eXIf":
        return exif_kinds(chunk.data)
    if chunk.kind == b"iTXt" and chunk.data.startswith(XMP_KEYWORD):
        return {Removed.XMP}
    return {METADATA_KINDS.get(chunk.kind, Removed.OTHER_METADATA)}
