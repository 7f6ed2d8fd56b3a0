"""BMP pictures inside documents: decoded and written again as a plain BMP with the same pixels.

A BMP has no metadata fields, but its newer headers can link a colour profile by a path on the
author's machine, and bytes can hide between the headers and the pixels or after them. Writing
it afresh (a 40-byte header, the palette, the pixel rows, nothing else) keeps only the picture.
"""

import io
import struct
import warnings

from PIL import Image

from services.contracts.media import MalformedFile, Removed
from services.media.cleaned import Cleaned
from services.media.file_types import BMP
from services.media.settings import CleaningLimits

SIGNATURE = b"BM"
FILE_HEADER_SIZE = 14
INFO_HEADER_SIZE = 40
HEADER_SIZES = frozenset({12, 40, 52, 56, 64, 108, 124})
WRITTEN_MODES = frozenset({"1", "L", "P", "RGB", "RGBA"})


def is_bmp(data: bytes) -> bool:
    if not data.startswith(SIGNATURE) or len(data) < FILE_HEADER_SIZE + 12:
        return False
    (header_size,) = struct.unpack("<I", data[14:18])
    return header_size in HEADER_SIZES


def size_of(data: bytes) -> tuple[int, int]:
    (header_size,) = struct.unpack("<I", data[14:18])
    if header_size == 12:
        return struct.unpack("<HH", data[18:22])
    if len(data) < FILE_HEADER_SIZE + INFO_HEADER_SIZE:
        raise MalformedFile("A BMP picture's header is cut short.")
    width, height = struct.unpack("<ii", data[18:26])
    return abs(width), abs(height)


def strip(data: bytes, limits: CleaningLimits) -> Cleaned:
    limits.check_pixels(*size_of(data))
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        image = Image.open(io.BytesIO(data), formats=["BMP"])
        image.load()
    if image.mode not in WRITTEN_MODES:
        image = image.convert("RGBA" if "A" in image.mode else "RGB")
    output = io.BytesIO()
    image.save(output, "BMP")
    (declared_size,) = struct.unpack("<I", data[2:6])
    removed = {Removed.HIDDEN_DATA} if len(data) > declared_size else set()
    return Cleaned(output.getvalue(), BMP, frozenset(removed))


def is_plain(data: bytes) -> bool:
    """Exactly what `strip` writes: the file and info headers, a palette for up to 8 bits per
    pixel, then the pixel rows, and the file as long as its header says."""
    if len(data) < FILE_HEADER_SIZE + INFO_HEADER_SIZE or not data.startswith(SIGNATURE):
        return False
    declared_size, _, pixels_at, header_size = struct.unpack("<IIII", data[2:18])
    width, height, _, bits, compression = struct.unpack("<iiHHI", data[18:34])
    (colours,) = struct.unpack("<I", data[46:50])
    palette = 4 * (colours or 2**bits) if bits <= 8 else 0
    row = ((bits * abs(width) + 31) // 32) * 4
    return (
        header_size == INFO_HEADER_SIZE
        and compression in (0, 3)
        and declared_size == len(data)
        and pixels_at == FILE_HEADER_SIZE + INFO_HEADER_SIZE + palette + 12 * (compression == 3)
        and len(data) - pixels_at == row * abs(height)
    )
