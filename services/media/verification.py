"""Fail closed: a cleaned file is parsed again and refused unless nothing identifying remains.

The checks allow only what cleaning keeps (a whitelist per format), so a gap in a stripper
shows up here as a refusal instead of a leak.
"""

from pikepdf import Stream

from services.contracts.media import MalformedFile, MetadataRemains
from services.media import (
    jpeg,
    jpeg2000,
    ooxml,
    opendocument,
    package_parts,
    pdf,
    png,
    webp,
    xml_parts,
)
from services.media.cleaned import Cleaned
from services.media.exif import EXIF_HEADER, read_exif, without_header
from services.media.file_types import DOCX, JPEG, ODT, PDF, PNG, PPTX, WEBP, XLSX
from services.media.settings import CleaningLimits
from services.media.zip_package import Entry, read_package


def remains(what: str) -> MetadataRemains:
    return MetadataRemains(
        f"The file could not be cleaned completely ({what} remains); nothing was stored."
    )


def verify(cleaned: Cleaned, limits: CleaningLimits) -> None:
    VERIFIERS[cleaned.file_type.key](cleaned.data, limits)


def only_orientation(tiff: bytes) -> bool:
    try:
        return read_exif(tiff).only_orientation
    except MalformedFile:
        return False


def verify_jpeg(data: bytes, limits: CleaningLimits) -> None:
    image = jpeg.parse(data)
    if image.trailing:
        raise remains("data after the end of the image")
    for segment in image.segments:
        if segment.marker not in jpeg.IMAGE_MARKERS and not allowed_in_jpeg(segment):
            raise remains(f"JPEG segment 0x{segment.marker:02X}")


def allowed_in_jpeg(segment: jpeg.Segment) -> bool:
    payload = segment.payload
    if segment.marker == jpeg.APP0:
        return payload.startswith(jpeg.JFIF) and len(payload) == jpeg.JFIF_WITHOUT_THUMBNAIL
    if segment.marker == jpeg.APP1 and payload.startswith(EXIF_HEADER):
        return only_orientation(payload[len(EXIF_HEADER) :])
    return (segment.marker == jpeg.APP2 and payload.startswith(jpeg.ICC_PROFILE)) or (
        segment.marker == jpeg.APP14 and payload.startswith(jpeg.ADOBE)
    )


def verify_png(data: bytes, limits: CleaningLimits) -> None:
    image = png.parse(data)
    if image.trailing:
        raise remains("data after the end of the image")
    extra = sorted(
        {chunk.kind.decode("latin-1") for chunk in image.chunks}
        - {kind.decode("latin-1") for kind in png.KEPT}
    )
    if extra:
        raise remains(f"PNG chunks {', '.join(extra)}")


def verify_webp(data: bytes, limits: CleaningLimits) -> None:
    image = webp.parse(data)
    if len(data) != 8 + image.declared_size:
        raise remains("data outside the RIFF container")
    exif_chunks = [chunk for chunk in image.chunks if chunk.fourcc == webp.EXIF]
    for chunk in image.chunks:
        if chunk.fourcc not in webp.KEPT | {webp.EXIF}:
            raise remains(f"WebP chunk {chunk.fourcc.decode('latin-1')}")
    if not all(only_orientation(without_header(chunk.data)) for chunk in exif_chunks):
        raise remains("EXIF beyond the orientation")
    header = image.chunks[0]
    flags = header.data[0] if header.fourcc == webp.EXTENDED else 0
    if flags & webp.XMP_FLAG or bool(flags & webp.EXIF_FLAG) != bool(exif_chunks):
        raise remains("a metadata flag in the WebP header")


def verify_pdf(data: bytes, limits: CleaningLimits) -> None:
    with pdf.open_pdf(data) as document:
        if "/Info" in document.trailer:
            raise remains("the document information dictionary")
        for obj in document.objects:
            for dictionary in pdf.dictionaries_within(obj):
                if any(key in dictionary for key in pdf.METADATA_KEYS):
                    raise remains("XMP metadata, application data or an embedded file")
                if pdf.is_attachment_annotation(dictionary):
                    raise remains("a file attachment annotation")
            if isinstance(obj, Stream):
                verify_pdf_image(obj, limits)
        for _, content in pdf.decoded_content_streams(document, limits):
            for image in pdf.inline_jpegs(content):
                verify_jpeg(pdf.jpeg_data(image), limits)


def verify_pdf_image(stream: Stream, limits: CleaningLimits) -> None:
    filters = pdf.filters_of(stream)
    if pdf.DCT in filters:
        if filters != [pdf.DCT]:
            raise remains("a JPEG image that could not be read")
        verify_jpeg(bytes(stream.read_raw_bytes()), limits)
    elif pdf.JPX in filters and (
        filters != [pdf.JPX] or jpeg2000.has_metadata(bytes(stream.read_raw_bytes()))
    ):
        raise remains("metadata of a JPEG 2000 image")


def verify_office_open_xml(data: bytes, limits: CleaningLimits) -> None:
    entries = read_package(data, limits)
    package = {entry.name: entry for entry in entries}
    properties = ooxml.property_parts(package)
    if ooxml.CUSTOM_PROPERTIES in properties:
        raise remains("custom properties")
    if any(name.startswith(ooxml.CUSTOM_XML_FOLDER) for name in package):
        raise remains("custom XML data")
    for kind in (ooxml.CORE_PROPERTIES, ooxml.EXTENDED_PROPERTIES):
        part = package.get(properties.get(kind, ""))
        if part is not None and has_content(xml_parts.parse(part.data, part.name)):
            raise remains("document properties")
    for entry in entries:
        if ooxml.is_relationships(entry.name) and any(
            ooxml.is_local_file(element.get("Target", "")) for element in ooxml.relationships(entry)
        ):
            raise remains("a local file path")
        verify_part(entry, limits)


def verify_opendocument(data: bytes, limits: CleaningLimits) -> None:
    entries = read_package(data, limits)
    if not entries or entries[0].name != opendocument.MIMETYPE:
        raise MalformedFile("The OpenDocument file does not start with its mimetype.")
    for entry in entries[1:]:
        root = xml_parts.parse(entry.data, entry.name) if package_parts.is_xml(entry.name) else None
        if entry.name == opendocument.META:
            meta = opendocument.meta_element(root)
            if meta is not None and has_content(meta):
                raise remains("document metadata")
        if entry.name == opendocument.SETTINGS and opendocument.printer_items(root):
            raise remains("the printer's name")
        verify_part(entry, limits)


def has_content(element) -> bool:
    return len(element) > 0 or bool((element.text or "").strip())


def verify_part(entry: Entry, limits: CleaningLimits) -> None:
    if package_parts.is_xml(entry.name):
        if xml_parts.person_fields(xml_parts.parse(entry.data, entry.name)):
            raise remains(f"a person's name in {entry.name}")
    elif package_parts.is_svg(entry.name):
        if package_parts.svg_metadata(xml_parts.parse(entry.data, entry.name)):
            raise remains(f"metadata in {entry.name}")
    elif (embedded_image := package_parts.image_type(entry.data)) is not None:
        VERIFIERS[embedded_image.key](entry.data, limits)
    elif package_parts.is_printer_settings(entry.name):
        if package_parts.names_printer(entry.data):
            raise remains("the printer's name")
    elif not package_parts.is_kept_as_it_is(entry):
        raise remains(f"the embedded file {entry.name}")


VERIFIERS = {
    JPEG.key: verify_jpeg,
    PNG.key: verify_png,
    WEBP.key: verify_webp,
    PDF.key: verify_pdf,
    DOCX.key: verify_office_open_xml,
    XLSX.key: verify_office_open_xml,
    PPTX.key: verify_office_open_xml,
    ODT.key: verify_opendocument,
}
