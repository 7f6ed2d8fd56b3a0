"""The parts of an office package, judged by their content: what each is and how it is cleaned.

Empty parts (office software writes some) pass through as they are. XML parts keep their
content with the identifying fields of `office_xml` removed; SVG pictures lose their metadata;
JPEG, PNG, WebP, GIF, TIFF and PDF pictures are cleaned as uploads are, BMP pictures are
written again with the same pixels (all stored without deflating, which would not shrink
them); EMF pictures lose their description (the program and picture name); WMF and StarView
metafiles, fonts and HD Photos without metadata stay as they are. Anything else — an OLE
object, a program, an unknown binary — cannot be shown clean and refuses the whole document,
naming the part.
"""

import struct
from collections.abc import Callable
from dataclasses import replace

from services.contracts.media import MetadataRemains, Removed
from services.media import bmp, gif, hd_photo, jpeg, office_xml, pdf, png, tiff, webp, xml_parts
from services.media.cleaned import Cleaned
from services.media.file_types import BMP, GIF, JPEG, PDF, PNG, TIFF, WEBP, FileType
from services.media.settings import CleaningLimits
from services.media.zip_package import Entry

XML_SUFFIXES = (".xml", ".rels", ".vml")
XML_DECLARATION = b"<?xml"
FONT_SUFFIXES = (".odttf", ".ttf", ".otf", ".fntdata", ".eot")
FONT_SIGNATURES = (b"\x00\x01\x00\x00", b"OTTO", b"true", b"ttcf", b"wOFF", b"wOF2")
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
PROGRAM_SIGNATURES = (b"MZ", b"\x7fELF", b"\xca\xfe\xba\xbe", b"\xcf\xfa\xed\xfe", b"#!")
EMF_DESCRIPTION_AT = 60
EMF_HEADER_MINIMUM = 88

IMAGE_STRIPPERS: dict[str, Callable[[bytes, CleaningLimits], Cleaned]] = {
    JPEG.key: jpeg.strip,
    PNG.key: png.strip,
    WEBP.key: webp.strip,
    GIF.key: gif.strip,
    TIFF.key: tiff.strip,
    BMP.key: bmp.strip,
    PDF.key: pdf.strip,
}


def image_type(data: bytes) -> FileType | None:
    """The picture types cleaned inside documents (LibreOffice keeps a PDF inserted as a
    picture as it is)."""
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(png.SIGNATURE):
        return PNG
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return WEBP
    if data[:6] in gif.SIGNATURES:
        return GIF
    if data[:4] in (tiff.LITTLE, tiff.BIG):
        return TIFF
    if bmp.is_bmp(data):
        return BMP
    if data.startswith(b"%PDF-"):
        return PDF
    return None


def is_emf(data: bytes) -> bool:
    return data[:4] == b"\x01\x00\x00\x00" and data[40:44] == b" EMF"


def is_metafile(data: bytes) -> bool:
    """EMF, WMF (plain or placeable) and StarView metafiles: vector drawings."""
    return (
        is_emf(data)
        or data[:4] == b"\xd7\xcd\xc6\x9a"
        or (data[:2] in (b"\x01\x00", b"\x02\x00") and data[2:4] == b"\x09\x00")
        or data.startswith(b"VCLMTF")
    )


def is_kept_as_it_is(entry: Entry) -> bool:
    """Metafiles, fonts and HD Photos holding nothing but the image carry no metadata."""
    return (
        is_metafile(entry.data)
        or is_font(entry)
        or (hd_photo.is_hd_photo(entry.data) and hd_photo.holds_only_the_image(entry.data))
    )


def is_font(entry: Entry) -> bool:
    return entry.name.lower().endswith(FONT_SUFFIXES) or entry.data[:4] in FONT_SIGNATURES


def is_svg(name: str) -> bool:
    return name.lower().endswith(".svg")


def is_xml(entry: Entry) -> bool:
    return entry.name.lower().endswith(XML_SUFFIXES) or (
        not is_svg(entry.name) and entry.data.lstrip()[:5] == XML_DECLARATION
    )


def clean_part(
    entry: Entry, limits: CleaningLimits, renumbering: office_xml.Renumbering
) -> tuple[Entry, set[Removed]]:
    if xml_parts.is_blank(entry.data):
        return entry, set()
    if is_svg(entry.name):
        return clean_svg(entry)
    if is_xml(entry):
        return clean_xml(entry, renumbering)
    embedded_image = image_type(entry.data)
    if embedded_image is not None:
        cleaned = IMAGE_STRIPPERS[embedded_image.key](entry.data, limits)
        return Entry(entry.name, cleaned.data, compressed=False), set(cleaned.removed)
    if is_emf(entry.data):
        return without_emf_description(entry)
    if is_kept_as_it_is(entry):
        return entry, set()
    raise refusal(entry)


def refusal(entry: Entry) -> MetadataRemains:
    """Why a part nobody can vouch for refuses the document, naming it."""
    if entry.data.startswith(OLE_SIGNATURE):
        what = "an embedded object from another program"
    elif entry.data.startswith(PROGRAM_SIGNATURES):
        what = "an embedded program"
    else:
        what = "an embedded file that cannot be cleaned"
    return MetadataRemains(
        f"The document holds {what} ({entry.name}), which cannot be checked for personal "
        "data. Remove it (or paste it as a picture) and send the document again."
    )


def clean_xml(entry: Entry, renumbering: office_xml.Renumbering) -> tuple[Entry, set[Removed]]:
    root = xml_parts.parse(entry.data, entry.name)
    changed, kinds = office_xml.clean(root, renumbering)
    if not changed:
        return entry, set()
    return replace(entry, data=xml_parts.serialise(root)), kinds


def svg_metadata(root) -> list:
    return [
        element
        for element in xml_parts.elements(root)
        if xml_parts.local_name(element.tag) == "metadata"
    ]


def clean_svg(entry: Entry) -> tuple[Entry, set[Removed]]:
    root = xml_parts.parse(entry.data, entry.name)
    found = svg_metadata(root)
    if not found:
        return entry, set()
    for element in found:
        element.getparent().remove(element)
    return replace(entry, data=xml_parts.serialise(root)), {Removed.XMP}


def emf_description(data: bytes) -> tuple[int, int]:
    """Where an EMF header's description (the program and picture name) is, and its length."""
    if len(data) < EMF_HEADER_MINIMUM:
        return 0, 0
    (header_size,) = struct.unpack("<I", data[4:8])
    length, offset = struct.unpack("<II", data[EMF_DESCRIPTION_AT : EMF_DESCRIPTION_AT + 8])
    end = offset + 2 * length
    if not length or offset < EMF_HEADER_MINIMUM or end > min(header_size, len(data)):
        return 0, 0
    return offset, end


def without_emf_description(entry: Entry) -> tuple[Entry, set[Removed]]:
    start, end = emf_description(entry.data)
    if not any(entry.data[start:end]):
        return entry, set()
    data = entry.data[:start] + bytes(end - start) + entry.data[end:]
    return replace(entry, data=data), {Removed.DESCRIPTION}
