"""PDF: document information, XMP metadata, application data and embedded files removed, and
every embedded JPEG (and JPEG 2000) image cleaned like an uploaded one.

Content streams, fonts and layout are not touched and nothing is rasterised. No stream is decoded
except JPEG images wrapped in Flate, and those within the expansion limit; qpdf writes streams
as they are, so hostile compression never expands. Writing the file anew drops unreachable
objects, earlier revisions and the original file identifier.
"""

import io
import zlib
from collections.abc import Iterator

import pikepdf
from pikepdf import Array, Dictionary, Name, Stream

from services.contracts.media import DecompressionBomb, MalformedFile, MetadataRemains
from services.media import jpeg, jpeg2000
from services.media.cleaned import Cleaned
from services.media.file_types import PDF
from services.media.settings import CleaningLimits

METADATA_KEYS = {
    "/Metadata": "xmp",
    "/PieceInfo": "application_data",
    "/EF": "embedded_files",
    "/EmbeddedFiles": "embedded_files",
    "/AF": "embedded_files",
}
FILE_ATTACHMENT = "/FileAttachment"
DCT = "/DCTDecode"
JPX = "/JPXDecode"
FLATE = "/FlateDecode"


def open_pdf(data: bytes) -> pikepdf.Pdf:
    try:
        return pikepdf.open(io.BytesIO(data))
    except pikepdf.PasswordError as exc:
        raise MalformedFile("The PDF is password-protected; send it without a password.") from exc
    except pikepdf.PdfError as exc:
        raise MalformedFile("The PDF cannot be read.") from exc


def strip(data: bytes, limits: CleaningLimits) -> Cleaned:
    with open_pdf(data) as document:
        if int(document.trailer.get("/Size", 0)) > limits.pdf_max_objects:
            raise DecompressionBomb(f"The PDF has more than {limits.pdf_max_objects} objects.")
        removed = remove_document_info(document) | remove_attachment_annotations(document)
        for obj in document.objects:
            removed |= remove_metadata_keys(obj)
            if isinstance(obj, Stream):
                removed |= clean_image(obj, limits)
        output = io.BytesIO()
        document.save(
            output,
            stream_decode_level=pikepdf.StreamDecodeLevel.none,
            fix_metadata_version=False,
            preserve_pdfa=False,
            deterministic_id=True,
        )
    return Cleaned(output.getvalue(), PDF, frozenset(removed))


def remove_document_info(document: pikepdf.Pdf) -> set[str]:
    info = document.trailer.get("/Info")
    if info is None:
        return set()
    kinds = {"document_info"}
    if isinstance(info, Dictionary) and "/Author" in info:
        kinds.add("author")
    del document.trailer["/Info"]
    return kinds


def remove_metadata_keys(obj) -> set[str]:
    kinds = set()
    for dictionary in dictionaries_within(obj):
        for key, kind in METADATA_KEYS.items():
            if key in dictionary:
                del dictionary[key]
                kinds.add(kind)
    return kinds


def is_attachment_annotation(obj) -> bool:
    return isinstance(obj, Dictionary) and obj.get("/Subtype") == Name(FILE_ATTACHMENT)


def remove_attachment_annotations(document: pikepdf.Pdf) -> set[str]:
    """File attachment annotations point at embedded files; they go with them."""
    kinds = set()
    for page in document.pages:
        annotations = page.obj.get("/Annots")
        if not isinstance(annotations, Array):
            continue
        kept = [item for item in annotations if not is_attachment_annotation(item)]
        if len(kept) != len(annotations):
            page.obj.Annots = Array(kept)
            kinds.add("embedded_files")
    return kinds


def dictionaries_within(obj) -> Iterator:
    """The object, if it is a dictionary or stream, and every direct dictionary nested in it;
    indirect objects are visited on their own."""
    pending = [obj]
    while pending:
        current = pending.pop()
        if isinstance(current, Stream | Dictionary):
            yield current
            children = current.values()
        elif isinstance(current, Array):
            children = list(current)
        else:
            continue
        pending.extend(
            child
            for child in children
            if isinstance(child, Array | Dictionary) and not child.is_indirect
        )


def filters_of(stream: Stream) -> list[str]:
    value = stream.get("/Filter")
    if value is None:
        return []
    if isinstance(value, Array):
        return [str(item) for item in value]
    return [str(value)]


def parameters_of(stream: Stream, count: int) -> list:
    value = stream.get("/DecodeParms")
    if value is None:
        return [None] * count
    if isinstance(value, Array):
        return list(value)
    return [value]


def clean_image(stream: Stream, limits: CleaningLimits) -> set[str]:
    filters = filters_of(stream)
    if DCT in filters:
        return clean_jpeg_stream(stream, filters, limits)
    if JPX in filters:
        return clean_jpeg2000_stream(stream, filters)
    return set()


def clean_jpeg_stream(stream: Stream, filters: list[str], limits: CleaningLimits) -> set[str]:
    parameters = parameters_of(stream, len(filters))
    if filters == [DCT]:
        image = bytes(stream.read_raw_bytes())
    elif filters == [FLATE, DCT] and len(parameters) == 2 and parameters[0] is None:
        image = bounded_inflate(bytes(stream.read_raw_bytes()), limits.max_expanded_bytes)
    else:
        raise MetadataRemains("An image in the PDF is encoded in a way that cannot be cleaned.")
    cleaned = jpeg.strip(image, limits)
    if cleaned.removed or filters != [DCT]:
        stream.write(cleaned.data, filter=Name(DCT), decode_parms=parameters[-1])
    return set(cleaned.removed)


def clean_jpeg2000_stream(stream: Stream, filters: list[str]) -> set[str]:
    if filters != [JPX]:
        raise MetadataRemains("An image in the PDF is encoded in a way that cannot be cleaned.")
    image, removed = jpeg2000.strip(bytes(stream.read_raw_bytes()))
    if removed:
        stream.write(image, filter=Name(JPX))
    return set(removed)


def bounded_inflate(raw: bytes, limit: int) -> bytes:
    inflater = zlib.decompressobj()
    try:
        data = inflater.decompress(raw, limit + 1)
    except zlib.error as exc:
        raise MalformedFile("An image in the PDF is damaged.") from exc
    if len(data) > limit or inflater.unconsumed_tail:
        raise DecompressionBomb(f"An image in the PDF expands past {limit} bytes.")
    return data
