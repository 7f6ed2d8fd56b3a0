"""PDF: document information, XMP metadata, application data and embedded files removed, and
every embedded JPEG (and JPEG 2000) image cleaned like an uploaded one, whether it is an image
object or drawn inline (BI … ID … EI) in a content stream.

Fonts and layout are not touched and nothing is rasterised. Streams are decoded only to be
searched or cleaned: JPEG images wrapped in Flate, and content streams (for inline images), each
within the expansion limit; qpdf writes every other stream as it is, so hostile compression never
expands. A content stream holding an inline JPEG with metadata is written anew token by token,
only that image's data and declared length changed. Writing the file anew drops unreachable
objects, earlier revisions and the original file identifier.
"""

import io
import zlib
from collections.abc import Iterator

import pikepdf
from pikepdf import (
    Array,
    ContentStreamInlineImage,
    Dictionary,
    Name,
    PdfInlineImage,
    Stream,
    Token,
    TokenType,
)

from services.contracts.media import DecompressionBomb, MalformedFile, MetadataRemains, Removed
from services.media import jpeg, jpeg2000
from services.media.cleaned import Cleaned
from services.media.file_types import PDF
from services.media.settings import CleaningLimits

METADATA_KEYS = {
    "/Metadata": Removed.XMP,
    "/PieceInfo": Removed.APPLICATION_DATA,
    "/EF": Removed.ATTACHED_FILES,
    "/EmbeddedFiles": Removed.ATTACHED_FILES,
    "/AF": Removed.ATTACHED_FILES,
}
FILE_ATTACHMENT = "/FileAttachment"
DCT = "/DCTDecode"
JPX = "/JPXDecode"
FLATE = "/FlateDecode"
WHITESPACE = b"\x00\t\n\x0c\r "
LENGTH_KEYS = frozenset({"/L", "/Length"})


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
        for stream, content in decoded_content_streams(document, limits):
            removed |= clean_inline_jpegs(stream, content, limits)
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
    kinds = {Removed.DOCUMENT_PROPERTIES}
    if isinstance(info, Dictionary) and "/Author" in info:
        kinds.add(Removed.AUTHOR)
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
            kinds.add(Removed.ATTACHED_FILES)
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
        raise MalformedFile("A stream in the PDF is damaged.") from exc
    if len(data) > limit or inflater.unconsumed_tail:
        raise DecompressionBomb(f"A stream in the PDF expands past {limit} bytes.")
    return data


def content_streams(document: pikepdf.Pdf) -> list[Stream]:
    """Every stream drawn as content (ISO 32000-2, 7.8): pages' contents, form XObjects,
    annotation appearances, tiling patterns and Type 3 glyphs."""
    found = {}
    for obj in document.objects:
        for dictionary in dictionaries_within(obj):
            for stream in drawn_by(dictionary):
                found[stream.objgen] = stream
    return list(found.values())


def drawn_by(dictionary) -> Iterator[Stream]:
    if isinstance(dictionary, Stream) and (
        dictionary.get("/Subtype") == Name.Form or dictionary.get("/PatternType") == 1
    ):
        yield dictionary
    yield from streams_in(dictionary.get("/Contents"))
    yield from streams_in(dictionary.get("/CharProcs"))
    appearances = dictionary.get("/AP")
    if isinstance(appearances, Dictionary):
        for appearance in appearances.values():
            yield from streams_in(appearance)


def streams_in(value) -> list[Stream]:
    """The value if it is a stream, else the streams held in it if it is an array or dictionary."""
    if isinstance(value, Stream):
        return [value]
    if isinstance(value, Array):
        return [item for item in value if isinstance(item, Stream)]
    if isinstance(value, Dictionary):
        return [item for item in value.values() if isinstance(item, Stream)]
    return []


def decoded_content_streams(
    document: pikepdf.Pdf, limits: CleaningLimits
) -> Iterator[tuple[Stream, Stream]]:
    """Each content stream with its decoded form, a stream of a scratch document: parsed there,
    qpdf has nothing left to decode without a bound. Together they expand to at most the
    expansion limit, so a file of many small bombs is refused as one big one would be."""
    left = limits.max_expanded_bytes
    with pikepdf.new() as scratch:
        for stream in content_streams(document):
            content = decoded_content(stream, limits)
            left -= len(content)
            if left < 0:
                raise DecompressionBomb(
                    f"The content of the PDF expands past {limits.max_expanded_bytes} bytes."
                )
            yield stream, scratch.make_stream(content)


def decoded_content(stream: Stream, limits: CleaningLimits) -> bytes:
    """Only Flate is undone here: content encoded otherwise cannot be searched for images."""
    filters = filters_of(stream)
    content = bytes(stream.read_raw_bytes())
    if filters == [FLATE] and parameters_of(stream, 1) == [None]:
        return bounded_inflate(content, limits.max_expanded_bytes)
    if filters:
        raise MetadataRemains("Content of the PDF is encoded in a way that cannot be searched.")
    return content


def inline_jpegs(content: Stream) -> list[PdfInlineImage]:
    """The JPEG images drawn inline in a content stream. Image data outside BI … EI, or a JPEG
    wrapped in another filter, cannot be cleaned."""
    jpegs = []
    for instruction in pikepdf.parse_content_stream(content, "BI ID EI"):
        if not isinstance(instruction, ContentStreamInlineImage):
            raise MalformedFile("An image drawn inline in the PDF is damaged.")
        filters = instruction.iimage.filters
        if DCT in filters and filters != [DCT]:
            raise MetadataRemains("An image in the PDF is encoded in a way that cannot be cleaned.")
        if DCT in filters:
            jpegs.append(instruction.iimage)
    return jpegs


def jpeg_data(image: PdfInlineImage) -> bytes:
    """The JPEG without the white space that separates it from ID and EI."""
    return image.read_raw_bytes().strip(WHITESPACE)


def clean_inline_jpegs(stream: Stream, content: Stream, limits: CleaningLimits) -> set[str]:
    """Each JPEG drawn inline is cleaned where it stands; if any was, the stream is written anew
    from the tokens of its decoded `content`, Flate-compressed."""
    removed, cleaned = set(), {}
    for image in inline_jpegs(content):
        result = jpeg.strip(jpeg_data(image), limits)
        if result.removed:
            cleaned[image.read_raw_bytes()] = result.data
            removed |= result.removed
    if cleaned:
        page = pikepdf.Page(Dictionary(Type=Name.Page, Contents=content))
        rewritten = page.get_filtered_contents(InlineJpegReplacer(cleaned))
        stream.write(zlib.compress(rewritten), filter=Name(FLATE))
    return removed


class InlineJpegReplacer(pikepdf.TokenFilter):
    """Passes a content stream's tokens through as they are, but for the inline images whose
    data (as found between ID and EI) it is given the cleaned form of. An image's declaration
    is held back from BI until its data, since the length it states comes before the data."""

    def __init__(self, cleaned: dict[bytes, bytes]):
        super().__init__()
        self.cleaned = cleaned
        self.held: list[Token] = []

    def handle_token(self, token: Token) -> Token | list[Token] | None:
        if token.type_ == TokenType.word and token.raw_value == b"BI":
            held, self.held = self.held, [token]
            return held
        if not self.held:
            return token
        if token.type_ not in (TokenType.inline_image, TokenType.eof):
            self.held.append(token)
            return None
        held, self.held = self.held, []
        data = self.cleaned.get(token.raw_value) if token.type_ == TokenType.inline_image else None
        if data is None:
            return [*held, token]
        return [*with_length(held, len(data)), Token(TokenType.inline_image, data + b"\n")]


def with_length(declaration: list[Token], length: int) -> list[Token]:
    """An inline image's declaration with the data length it states (PDF 2.0 `/L`) set anew."""
    tokens, after_length_key = [], False
    for token in declaration:
        if after_length_key and token.type_ == TokenType.integer:
            token = Token(TokenType.integer, str(length).encode())
        if token.type_ != TokenType.space:
            after_length_key = token.type_ == TokenType.name_ and token.value in LENGTH_KEYS
        tokens.append(token)
    return tokens
