"""The parts of an office package besides its properties.

XML parts keep their content with people's names emptied; images are cleaned as uploads are
(and stored without deflating, which would not shrink them); SVG pictures lose their metadata;
printer settings lose the printer's name; fonts and metafiles stay as they are. Anything else
(embedded objects, other image types) cannot be shown clean and refuses the whole document.
"""

import posixpath
from collections.abc import Callable
from dataclasses import replace

from services.contracts.media import MetadataRemains
from services.media import jpeg, png, webp, xml_parts
from services.media.cleaned import Cleaned
from services.media.file_types import JPEG, PNG, WEBP, FileType
from services.media.settings import CleaningLimits
from services.media.zip_package import Entry

XML_SUFFIXES = (".xml", ".rels", ".vml")
FONT_SUFFIXES = (".odttf", ".ttf", ".otf", ".fntdata")
PRINTER_NAME_BYTES = 64


IMAGE_STRIPPERS: dict[str, Callable[[bytes, CleaningLimits], Cleaned]] = {
    JPEG.key: jpeg.strip,
    PNG.key: png.strip,
    WEBP.key: webp.strip,
}


def image_type(data: bytes) -> FileType | None:
    """The embedded image types that are cleaned; other images refuse the document."""
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(png.SIGNATURE):
        return PNG
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return WEBP
    return None


def is_metafile(data: bytes) -> bool:
    """EMF, WMF (plain or placeable) and StarView metafiles: vector drawings, no metadata."""
    return (
        (data[:4] == b"\x01\x00\x00\x00" and data[40:44] == b" EMF")
        or data[:4] == b"\xd7\xcd\xc6\x9a"
        or (data[:2] in (b"\x01\x00", b"\x02\x00") and data[2:4] == b"\x09\x00")
        or data.startswith(b"VCLMTF")
    )


def is_kept_as_it_is(entry: Entry) -> bool:
    return entry.name.lower().endswith(FONT_SUFFIXES) or is_metafile(entry.data)


def is_printer_settings(name: str) -> bool:
    return "printersettings" in name.lower() and name.lower().endswith(".bin")


def is_svg(name: str) -> bool:
    return name.lower().endswith(".svg")


def is_xml(name: str) -> bool:
    return name.lower().endswith(XML_SUFFIXES)


def clean_part(entry: Entry, limits: CleaningLimits) -> tuple[Entry, set[str]]:
    if is_xml(entry.name):
        return clean_xml(entry)
    if is_svg(entry.name):
        return clean_svg(entry)
    embedded_image = image_type(entry.data)
    if embedded_image is not None:
        cleaned = IMAGE_STRIPPERS[embedded_image.key](entry.data, limits)
        return Entry(entry.name, cleaned.data, compressed=False), set(cleaned.removed)
    if is_printer_settings(entry.name):
        return without_printer_name(entry)
    if is_kept_as_it_is(entry):
        return entry, set()
    raise MetadataRemains(
        "The document holds an embedded file that cannot be cleaned: "
        f"{posixpath.basename(entry.name)}. Remove it and send the document again."
    )


def clean_xml(entry: Entry) -> tuple[Entry, set[str]]:
    root = xml_parts.parse(entry.data, entry.name)
    if not xml_parts.blank_person_fields(root):
        return entry, set()
    return replace(entry, data=xml_parts.serialise(root)), {"author"}


def svg_metadata(root) -> list:
    return [
        element
        for element in xml_parts.elements(root)
        if xml_parts.local_name(element.tag) == "metadata"
    ]


def clean_svg(entry: Entry) -> tuple[Entry, set[str]]:
    root = xml_parts.parse(entry.data, entry.name)
    found = svg_metadata(root)
    if not found:
        return entry, set()
    for element in found:
        element.getparent().remove(element)
    return replace(entry, data=xml_parts.serialise(root)), {"xmp"}


def names_printer(data: bytes) -> bool:
    """Printer settings are a DEVMODE record; its first 32 UTF-16 characters name the printer."""
    return any(data[:PRINTER_NAME_BYTES])


def without_printer_name(entry: Entry) -> tuple[Entry, set[str]]:
    if not names_printer(entry.data):
        return entry, set()
    data = bytes(PRINTER_NAME_BYTES) + entry.data[PRINTER_NAME_BYTES:]
    return replace(entry, data=data[: len(entry.data)]), {"printer_name"}
