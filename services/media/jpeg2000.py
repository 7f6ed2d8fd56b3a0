"""JPEG 2000 images (as PDFs embed them): top-level XML and UUID boxes, where XMP and EXIF
live, removed; a bare codestream has no boxes and stays as it is."""

import struct

from services.contracts.media import MalformedFile, Removed

SIGNATURE = b"\x00\x00\x00\x0cjP  \r\n\x87\n"
XMP_UUID = bytes.fromhex("be7acfcb97a942e89c71999491e3afac")
EXIF_UUID = b"JpgTiffExif->JP2"
METADATA_BOXES = frozenset({b"xml ", b"uuid", b"uinf"})


def boxes(data: bytes) -> list[tuple[bytes, bytes]]:
    """Each top-level box's type and its whole bytes, header included."""
    found, pos = [], 0
    while pos < len(data):
        if pos + 8 > len(data):
            raise MalformedFile("A JPEG 2000 image ends inside a box header.")
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        if length == 1:
            if pos + 16 > len(data):
                raise MalformedFile("A JPEG 2000 image ends inside a box header.")
            (length,) = struct.unpack(">Q", data[pos + 8 : pos + 16])
        elif length == 0:
            length = len(data) - pos
        if length < 8 or pos + length > len(data):
            raise MalformedFile("A JPEG 2000 box runs past the end of the image.")
        found.append((kind, data[pos : pos + length]))
        pos += length
    return found


def metadata_kind(box: bytes) -> Removed:
    payload = box[8:]
    if box[4:8] == b"xml " or payload.startswith(XMP_UUID):
        return Removed.XMP
    if payload.startswith(EXIF_UUID):
        return Removed.CAMERA_DETAILS
    return Removed.OTHER_METADATA


def strip(data: bytes) -> tuple[bytes, frozenset[Removed]]:
    if not data.startswith(SIGNATURE):
        return data, frozenset()
    kept, removed = [], set()
    for kind, box in boxes(data):
        if kind in METADATA_BOXES:
            removed.add(metadata_kind(box))
        else:
            kept.append(box)
    return b"".join(kept), frozenset(removed)


def has_metadata(data: bytes) -> bool:
    return data.startswith(SIGNATURE) and any(kind in METADATA_BOXES for kind, _ in boxes(data))
