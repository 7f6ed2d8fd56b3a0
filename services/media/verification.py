"""Fail closed: a cleaned file is parsed again and refused unless nothing identifying remains.

The checks allow only what cleaning keeps (a whitelist per format), so a gap in a stripper
shows up here as a refusal instead of a leak.
"""

from pikepdf import Stream

from services.contracts.media import MalformedFile, MetadataRemains
from services.media import (
    bmp,
    gif,
    jpeg,
    jpeg2000,
    office_xml,
    ooxml,
    opendocument,
    package_parts,
    pdf,
    png,
    tiff,
    webp,
    xml_parts,
)
from services.media.cleaned import Cleaned
from services.media.exif import EXIF_HEADER, read_exif, without_header
from services.media.file_types import (
    BMP,
    GIF,
    JPEG,
    OFFICE_OPEN_XML,
    OPEN_DOCUMENTS,
    PDF,
    PNG,
    TIFF,
    WEBP,
)
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


def verify_gif(data: bytes, limits: CleaningLimits) -> None:
    image = gif.parse(data)
    if image.trailing:
        raise remains("data after the end of the image")
    if not all(block.kept for block in image.blocks):
        raise remains("a GIF comment or application extension")


def verify_tiff(data: bytes, limits: CleaningLimits) -> None:
    image = tiff.parse(data)
    for page in image.pages:
        extra = sorted(set(page.fields) - tiff.KEPT_TAGS)
        if extra:
            raise remains(f"TIFF tags {', '.join(str(tag) for tag in extra)}")
        if tiff.is_jpeg_compressed(page, image.endian):
            for chunk in page.chunks:
                verify_jpeg(chunk, limits)
    if tiff.encode(image) != data:
        raise remains("data outside the TIFF image's pages")


def verify_bmp(data: bytes, limits: CleaningLimits) -> None:
    if not bmp.is_plain(data):
        raise remains("data besides the BMP picture's pixels")


def verify_office_open_xml(data: bytes, limits: CleaningLimits, nested: bool = False) -> None:
    entries = read_package(data, limits)
    found = ooxml.remaining(entries)
    if found is not None:
        raise remains(found)
    for entry in entries:
        if not ooxml.is_package(entry):
            verify_part(entry, limits)
        elif nested:
            raise remains(f"the embedded file {entry.name}")
        else:
            verify_office_open_xml(entry.data, limits, nested=True)


def verify_opendocument(data: bytes, limits: CleaningLimits) -> None:
    entries = read_package(data, limits)
    found = opendocument.remaining(entries)
    if found is not None:
        raise remains(found)
    for entry in entries[1:]:
        verify_part(entry, limits)


def verify_part(entry: Entry, limits: CleaningLimits) -> None:
    if xml_parts.is_blank(entry.data):
        return
    if package_parts.is_svg(entry.name):
        if package_parts.svg_metadata(xml_parts.parse(entry.data, entry.name)):
            raise remains(f"metadata in {entry.name}")
    elif package_parts.is_xml(entry):
        found = office_xml.remaining(xml_parts.parse(entry.data, entry.name))
        if found is not None:
            raise remains(f"{found} in {entry.name}")
    elif (embedded_image := package_parts.image_type(entry.data)) is not None:
        VERIFIERS[embedded_image.key](entry.data, limits)
    elif package_parts.is_emf(entry.data):
        start, end = package_parts.emf_description(entry.data)
        if any(entry.data[start:end]):
            raise remains(f"the description of {entry.name}")
    elif not package_parts.is_kept_as_it_is(entry):
        raise remains(f"the embedded file {entry.name}")


VERIFIERS = {
    JPEG.key: verify_jpeg,
    PNG.key: verify_png,
    WEBP.key: verify_webp,
    GIF.key: verify_gif,
    TIFF.key: verify_tiff,
    BMP.key: verify_bmp,
    PDF.key: verify_pdf,
    **{file_type.key: verify_office_open_xml for file_type in OFFICE_OPEN_XML},
    **{file_type.key: verify_opendocument for file_type in OPEN_DOCUMENTS},
}
