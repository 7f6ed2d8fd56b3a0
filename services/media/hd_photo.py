"""HD Photo (JPEG XR, `.wdp`), which Word writes beside a picture whose colours, sharpness or
background were corrected. One whose only directory says nothing but how to decode the image is
kept as it is; one carrying descriptive metadata (EXIF, GPS, XMP, names, dates) cannot be
vouched for and refuses the document, naming the part."""

import struct

from services.contracts.media import MalformedFile
from services.media import tiff

SIGNATURE = b"II\xbc\x01"
HEADER_SIZE = 8
DECODING_TAGS = frozenset(
    {
        0xBC01,  # pixel format
        0xBC02,  # transformation
        0xBC03,  # uncompressed
        0xBC04,  # image type
        0xBC80,  # width
        0xBC81,  # height
        0xBC82,  # horizontal resolution
        0xBC83,  # vertical resolution
        0xBCC0,  # image offset
        0xBCC1,  # image byte count
        0xBCC2,  # alpha offset
        0xBCC3,  # alpha byte count
        0xBCC4,  # image band presence
        0xBCC5,  # alpha band presence
        34675,  # ICC profile
    }
)


def is_hd_photo(data: bytes) -> bool:
    return data.startswith(SIGNATURE) and len(data) >= HEADER_SIZE


def holds_only_the_image(data: bytes) -> bool:
    (first,) = struct.unpack("<I", data[4:8])
    try:
        fields, next_directory = tiff.read_fields(data, first, "<")
    except MalformedFile:
        return False
    return next_directory == 0 and set(fields) <= DECODING_TAGS
