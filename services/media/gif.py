"""GIF: comment, XMP and other application extensions removed, the image blocks copied untouched.

Kept: the header and screen descriptor, colour tables, every image with its compressed data
(pixels identical, animation intact), graphic control extensions (delays, transparency), plain
text extensions (they are drawn) and the application extensions decoders need: the loop count
(NETSCAPE2.0, ANIMEXTS1.0) and the colour profile (ICCRGBG1). Removed: comments, XMP and every
other application extension, and whatever follows the trailer.
"""

import struct
from dataclasses import dataclass

from services.contracts.media import MalformedFile, Removed
from services.media.cleaned import Cleaned
from services.media.file_types import GIF
from services.media.settings import CleaningLimits

SIGNATURES = (b"GIF87a", b"GIF89a")
SCREEN_DESCRIPTOR_END = 13
EXTENSION = 0x21
IMAGE = 0x2C
TRAILER = 0x3B
GRAPHIC_CONTROL = 0xF9
PLAIN_TEXT = 0x01
COMMENT = 0xFE
APPLICATION = 0xFF
KEPT_APPLICATIONS = frozenset({b"NETSCAPE2.0", b"ANIMEXTS1.0", b"ICCRGBG1012"})
XMP_APPLICATION = b"XMP DataXMP"
APPLICATION_ID_SIZE = 11


@dataclass(frozen=True)
class Block:
    """One block after the screen descriptor: an extension (`label` set) or an image."""

    raw: bytes
    label: int | None = None
    application: bytes = b""

    @property
    def kept(self) -> bool:
        if self.label is None or self.label in (GRAPHIC_CONTROL, PLAIN_TEXT):
            return True
        return self.label == APPLICATION and self.application in KEPT_APPLICATIONS


@dataclass(frozen=True)
class GifFile:
    head: bytes
    blocks: tuple[Block, ...]
    trailing: bytes
    width: int
    height: int


def colour_table_size(packed: int) -> int:
    return 3 * (2 ** ((packed & 0x07) + 1)) if packed & 0x80 else 0


def parse(data: bytes) -> GifFile:
    """The header with the global colour table, each block up to the trailer, what follows."""
    if data[:6] not in SIGNATURES or len(data) < SCREEN_DESCRIPTOR_END:
        raise MalformedFile("Not a GIF image.")
    width, height, packed = struct.unpack("<HHB", data[6:11])
    pos = SCREEN_DESCRIPTOR_END + colour_table_size(packed)
    head, blocks = data[:pos], []
    while True:
        if pos >= len(data):
            raise MalformedFile("The GIF image ends before its trailer.")
        introducer = data[pos]
        if introducer == TRAILER:
            break
        if introducer == EXTENSION:
            block, pos = read_extension(data, pos)
        elif introducer == IMAGE:
            block, pos = read_image(data, pos)
        else:
            raise MalformedFile("The GIF image holds an unknown block.")
        blocks.append(block)
    if width == 0 or height == 0 or not any(block.label is None for block in blocks):
        raise MalformedFile("The GIF file holds no image.")
    return GifFile(head, tuple(blocks), data[pos + 1 :], width, height)


def sub_blocks_end(data: bytes, pos: int) -> int:
    """Where a chain of data sub-blocks starting at `pos` ends, after its empty terminator."""
    while True:
        if pos >= len(data):
            raise MalformedFile("A GIF block runs past the end of the file.")
        size = data[pos]
        pos += 1 + size
        if size == 0:
            return pos


def read_extension(data: bytes, start: int) -> tuple[Block, int]:
    if start + 2 >= len(data):
        raise MalformedFile("The GIF image ends inside an extension.")
    label = data[start + 1]
    application = b""
    if label == APPLICATION:
        application = data[start + 3 : start + 3 + APPLICATION_ID_SIZE]
    end = sub_blocks_end(data, start + 2)
    return Block(data[start:end], label, application), end


def read_image(data: bytes, start: int) -> tuple[Block, int]:
    descriptor_end = start + 10
    if descriptor_end >= len(data):
        raise MalformedFile("The GIF image ends inside an image descriptor.")
    packed = data[start + 9]
    code_size_at = descriptor_end + colour_table_size(packed)
    end = sub_blocks_end(data, code_size_at + 1)
    return Block(data[start:end]), end


def removed_kind(block: Block) -> Removed:
    if block.label == COMMENT:
        return Removed.IMAGE_COMMENT
    if block.application == XMP_APPLICATION:
        return Removed.XMP
    return Removed.OTHER_METADATA


def frame_size(block: Block) -> tuple[int, int]:
    """An image block's own width and height (a frame may claim more than the screen)."""
    return struct.unpack("<HH", block.raw[5:9])


def strip(data: bytes, limits: CleaningLimits) -> Cleaned:
    image = parse(data)
    limits.check_pixels(image.width, image.height)
    for block in image.blocks:
        if block.label is None:
            limits.check_pixels(*frame_size(block))
    removed = {removed_kind(block) for block in image.blocks if not block.kept}
    if image.trailing:
        removed.add(Removed.HIDDEN_DATA)
    kept = b"".join(block.raw for block in image.blocks if block.kept)
    return Cleaned(image.head + kept + bytes((TRAILER,)), GIF, frozenset(removed))
