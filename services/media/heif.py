"""HEIC/HEIF (what iPhones send): the primary image decoded and stored as a JPEG without metadata.

libheif applies the container's rotation and mirroring while decoding, so the JPEG's pixels are
already the right way up and need no orientation tag. Only the colour profile is carried over.
"""

import io

import pillow_heif

from services.contracts.media import MalformedFile, Removed
from services.media.cleaned import Cleaned
from services.media.exif import exif_kinds
from services.media.file_types import JPEG
from services.media.settings import CleaningLimits

JPEG_QUALITY = 92


def strip(data: bytes, limits: CleaningLimits) -> Cleaned:
    try:
        container = pillow_heif.open_heif(io.BytesIO(data), convert_hdr_to_8bit=True)
    except ValueError as exc:
        raise MalformedFile("The HEIC/HEIF image cannot be read.") from exc
    limits.check_pixels(*container.size)
    removed = metadata_kinds(container.info)
    try:
        image = container.to_pillow()
    except ValueError as exc:
        raise MalformedFile("The HEIC/HEIF image cannot be decoded.") from exc
    colour_profile = container.info.get("icc_profile")
    image.info = {}
    if image.mode != "RGB":
        image = image.convert("RGB")
    output = io.BytesIO()
    image.save(output, "JPEG", quality=JPEG_QUALITY, icc_profile=colour_profile)
    return Cleaned(output.getvalue(), JPEG, frozenset(removed))


def metadata_kinds(info: dict) -> set[Removed]:
    kinds = exif_kinds(info["exif"]) if info.get("exif") else set()
    if info.get("xmp"):
        kinds.add(Removed.XMP)
    if info.get("metadata"):
        kinds.add(Removed.OTHER_METADATA)
    if info.get("thumbnails"):
        kinds.add(Removed.THUMBNAIL)
    if info.get("depth_images"):
        kinds.add(Removed.DEPTH_MAP)
    return kinds
