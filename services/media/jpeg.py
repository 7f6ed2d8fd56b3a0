"""JPEG: metadata segments removed, the compressed image data copied untouched.

Kept: the frame, tables and scans, JFIF (without its thumbnail), ICC profiles and the Adobe
segment, which decoders need to render the colours. Removed: EXIF (replaced by a block holding
only the orientation), XMP and extended XMP, IPTC/Photoshop, comments, multi-picture data, every
other application segment, and whatever follows the end of the image.
"""

import re
import struct
from dataclasses import dataclass

from services.contracts.media import MalformedFile, Removed
from services.media.cleaned import Cleaned
from services.media.exif import EXIF_HEADER, exif_kinds, orientation_block, read_exif
from services.media.file_types import JPEG
from services.media.settings import CleaningLimits

SOI = b"\xff\xd8"
EOI = b"\xff\xd9"
EOI_MARKER = 0xD9
SOS = 0xDA
COM = 0xFE
APP0, APP1, APP2, APP13, APP14 = 0xE0, 0xE1, 0xE2, 0xED, 0xEE
APPLICATION = frozenset(range(0xE0, 0xF0))
STANDALONE = frozenset({0x01, *range(0xD0, 0xD8)})
FRAMES = frozenset({0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF})
TABLES = frozenset({0xC4, 0xCC, 0xDB, 0xDC, 0xDD, 0xDE, 0xDF})
IMAGE_MARKERS = FRAMES | TABLES | STANDALONE | {SOS}
SCAN_END = re.compile(rb"\xff[^\x00\xd0-\xd7\xff]")

JFIF = b"JFIF\x00"
JFIF_WITHOUT_THUMBNAIL = 14
ICC_PROFILE = b"ICC_PROFILE\x00"
ADOBE = b"Adobe"
XMP = b"http://ns.adobe.com/xap/1.0/\x00"
EXTENDED_XMP = b"http://ns.adobe.com/xmp/extension/\x00"
MULTI_PICTURE = b"MPF\x00"
JFIF_EXTENSION = b"JFXX\x00"


@dataclass(frozen=True)
class Segment:
    marker: int
    payload: bytes
    scan: bytes = b""

    def encode(self) -> bytes:
        if self.marker in STANDALONE:
            return bytes((0xFF, self.marker))
        length = struct.pack(">H", len(self.payload) + 2)
        return bytes((0xFF, self.marker)) + length + self.payload + self.scan


@dataclass(frozen=True)
class JpegFile:
    segments: tuple[Segment, ...]
    trailing: bytes
    width: int
    height: int


def parse(data: bytes) -> JpegFile:
    """The segments from the start marker to the end marker, and what trails the image."""
    if not data.startswith(SOI):
        raise MalformedFile("Not a JPEG image.")
    segments, size, pos = [], None, len(SOI)
    while True:
        marker, pos = next_marker(data, pos)
        if marker == EOI_MARKER:
            break
        if marker in STANDALONE:
            segments.append(Segment(marker, b""))
            continue
        payload, pos = segment_payload(data, pos)
        scan = b""
        if marker == SOS:
            end = SCAN_END.search(data, pos)
            if end is None:
                raise MalformedFile("The JPEG image data ends before its end marker.")
            scan, pos = data[pos : end.start()], end.start()
        elif marker in FRAMES and size is None:
            size = frame_size(payload)
        segments.append(Segment(marker, payload, scan))
    if size is None or not any(segment.marker == SOS for segment in segments):
        raise MalformedFile("The JPEG file holds no image.")
    return JpegFile(tuple(segments), data[pos:], *size)


def next_marker(data: bytes, pos: int) -> tuple[int, int]:
    if pos >= len(data) or data[pos] != 0xFF:
        raise MalformedFile("The JPEG file is damaged: a marker was expected.")
    while pos < len(data) and data[pos] == 0xFF:
        pos += 1
    if pos >= len(data):
        raise MalformedFile("The JPEG file ends inside a marker.")
    return data[pos], pos + 1


def segment_payload(data: bytes, pos: int) -> tuple[bytes, int]:
    if pos + 2 > len(data):
        raise MalformedFile("The JPEG file ends inside a segment.")
    (length,) = struct.unpack(">H", data[pos : pos + 2])
    if length < 2 or pos + length > len(data):
        raise MalformedFile("A JPEG segment runs past the end of the file.")
    return data[pos + 2 : pos + length], pos + length


def frame_size(payload: bytes) -> tuple[int, int]:
    if len(payload) < 5:
        raise MalformedFile("The JPEG frame header is too short.")
    height, width = struct.unpack(">HH", payload[1:5])
    if width == 0 or height == 0:
        raise MalformedFile("The JPEG image has no size in its frame header.")
    return width, height


def strip(data: bytes, limits: CleaningLimits) -> Cleaned:
    image = parse(data)
    limits.check_pixels(image.width, image.height)
    kept: list[Segment] = []
    removed: set[Removed] = set()
    orientation = None
    for segment in image.segments:
        if segment.marker in IMAGE_MARKERS:
            kept.append(segment)
        elif segment.marker not in APPLICATION and segment.marker != COM:
            raise MalformedFile(f"Unsupported JPEG marker 0x{segment.marker:02X}.")
        elif is_rendering_data(segment):
            kept.append(without_thumbnail(segment, removed))
        elif segment.marker == APP1 and segment.payload.startswith(EXIF_HEADER):
            orientation = orientation or exif_orientation(segment.payload[len(EXIF_HEADER) :])
            removed |= exif_kinds(segment.payload)
        else:
            removed.add(metadata_kind(segment))
    if orientation not in (None, 1):
        kept.insert(exif_position(kept), orientation_segment(orientation))
    if image.trailing:
        removed.add(Removed.HIDDEN_DATA)
    output = SOI + b"".join(segment.encode() for segment in kept) + EOI
    return Cleaned(output, JPEG, frozenset(removed))


def is_rendering_data(segment: Segment) -> bool:
    payload = segment.payload
    return (
        (segment.marker == APP0 and payload.startswith(JFIF))
        or (segment.marker == APP2 and payload.startswith(ICC_PROFILE))
        or (segment.marker == APP14 and payload.startswith(ADOBE))
    )


def without_thumbnail(segment: Segment, removed: set[Removed]) -> Segment:
    """A JFIF segment may carry an uncompressed thumbnail after its 14 bytes; it goes."""
    if segment.marker != APP0:
        return segment
    if len(segment.payload) < JFIF_WITHOUT_THUMBNAIL:
        raise MalformedFile("The JFIF segment is too short.")
    if len(segment.payload) > JFIF_WITHOUT_THUMBNAIL:
        removed.add(Removed.THUMBNAIL)
    return Segment(APP0, segment.payload[: JFIF_WITHOUT_THUMBNAIL - 2] + b"\x00\x00")


def exif_orientation(tiff: bytes) -> int | None:
    try:
        return read_exif(tiff).orientation
    except MalformedFile:
        return None


def metadata_kind(segment: Segment) -> Removed:
    payload = segment.payload
    if segment.marker == COM:
        return Removed.IMAGE_COMMENT
    if segment.marker == APP13:
        return Removed.CAPTIONS
    if segment.marker == APP1 and payload.startswith((XMP, EXTENDED_XMP)):
        return Removed.XMP
    if segment.marker == APP2 and payload.startswith(MULTI_PICTURE):
        return Removed.EXTRA_PICTURES
    if segment.marker == APP0 and payload.startswith(JFIF_EXTENSION):
        return Removed.THUMBNAIL
    return Removed.OTHER_METADATA


def orientation_segment(orientation: int) -> Segment:
    return Segment(APP1, EXIF_HEADER + orientation_block(orientation))


def exif_position(kept: list[Segment]) -> int:
    """EXIF follows a leading JFIF segment, or comes first."""
    return 1 if kept and kept[0].marker == APP0 else 0
