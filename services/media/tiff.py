"""TIFF (scanned certificates often are): every page written anew with only the tags that say how
its pixels are stored and shown, the image data copied untouched.

Kept per page: size, sample layout, compression and its tables, colour (photometric, colour
map, ICC profile, transfer and chromaticities), resolution, orientation, page number, and the
strips or tiles (JPEG-compressed ones cleaned as JPEGs). Removed: EXIF and GPS directories,
XMP, IPTC/Photoshop, camera make and model, artist, copyright, software, dates, descriptions,
the host computer, sub-images and reduced-resolution pages (thumbnails), every private tag and
any bytes nothing points to. Camera raw (DNG) and BigTIFF are not accepted.
"""

import struct
from dataclasses import dataclass, replace

from services.contracts.media import DecompressionBomb, MalformedFile, Removed, UnsupportedType
from services.media import jpeg
from services.media.cleaned import Cleaned
from services.media.exif import EXIF_IFD, GPS_IFD, MAKER_NOTE, SERIAL_NUMBERS, read_directory
from services.media.file_types import TIFF, accepted_types
from services.media.settings import CleaningLimits

LITTLE, BIG = b"II*\x00", b"MM\x00*"
HEADER_SIZE = 8
ENTRY_SIZE = 12
MAX_PAGES = 10_000
TYPE_SIZES = {1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8, 13: 4}
SHORT, LONG = 3, 4

NEW_SUBFILE_TYPE = 254
WIDTH, HEIGHT = 256, 257
COMPRESSION = 259
STRIP_OFFSETS, STRIP_BYTE_COUNTS = 273, 279
TILE_OFFSETS, TILE_BYTE_COUNTS = 324, 325
JPEG_TABLES = 347
DNG_VERSION = 50706
REDUCED_RESOLUTION = 0x1
JPEG_COMPRESSION = 7
COMPRESSIONS = frozenset({1, 2, 3, 4, 5, 7, 8, 32773, 32946})

DATA_TAGS = frozenset({STRIP_OFFSETS, STRIP_BYTE_COUNTS, TILE_OFFSETS, TILE_BYTE_COUNTS})
KEPT_TAGS = frozenset(
    {
        NEW_SUBFILE_TYPE,
        255,  # SubfileType
        WIDTH,
        HEIGHT,
        258,  # BitsPerSample
        COMPRESSION,
        262,  # PhotometricInterpretation
        263,  # Threshholding
        266,  # FillOrder
        274,  # Orientation
        277,  # SamplesPerPixel
        278,  # RowsPerStrip
        280,  # MinSampleValue
        281,  # MaxSampleValue
        282,  # XResolution
        283,  # YResolution
        284,  # PlanarConfiguration
        290,  # GrayResponseUnit
        291,  # GrayResponseCurve
        292,  # T4Options
        293,  # T6Options
        296,  # ResolutionUnit
        297,  # PageNumber
        301,  # TransferFunction
        317,  # Predictor
        318,  # WhitePoint
        319,  # PrimaryChromaticities
        320,  # ColorMap
        321,  # HalftoneHints
        322,  # TileWidth
        323,  # TileLength
        332,  # InkSet
        334,  # NumberOfInks
        336,  # DotRange
        338,  # ExtraSamples
        339,  # SampleFormat
        340,  # SMinSampleValue
        341,  # SMaxSampleValue
        JPEG_TABLES,
        529,  # YCbCrCoefficients
        530,  # YCbCrSubSampling
        531,  # YCbCrPositioning
        532,  # ReferenceBlackWhite
        34675,  # ICC profile
    }
)
REMOVED_TAG_KINDS = {
    GPS_IFD: Removed.LOCATION,
    EXIF_IFD: Removed.CAMERA_DETAILS,
    271: Removed.CAMERA_DETAILS,  # Make
    272: Removed.CAMERA_DETAILS,  # Model
    315: Removed.AUTHOR,  # Artist
    33432: Removed.AUTHOR,  # Copyright
    305: Removed.SOFTWARE,
    306: Removed.DATES,
    269: Removed.DESCRIPTION,  # DocumentName
    270: Removed.DESCRIPTION,  # ImageDescription
    285: Removed.DESCRIPTION,  # PageName
    700: Removed.XMP,
    33723: Removed.CAPTIONS,  # IPTC
    34377: Removed.CAPTIONS,  # Photoshop resources
    330: Removed.THUMBNAIL,  # SubIFDs
    37724: Removed.APPLICATION_DATA,  # Photoshop layers
    **dict.fromkeys((33550, 33922, 34264, 34735, 34736, 34737), Removed.LOCATION),  # GeoTIFF
}


@dataclass(frozen=True)
class Field:
    tag: int
    kind: int
    count: int
    value: bytes


@dataclass(frozen=True)
class Page:
    """One page: its fields (without those locating its data) and its strips or tiles."""

    fields: dict[int, Field]
    chunks: tuple[bytes, ...]
    tiled: bool


@dataclass(frozen=True)
class TiffFile:
    endian: str
    pages: tuple[Page, ...]
    exif_tags: frozenset[int]


def parse(data: bytes) -> TiffFile:
    """Every page (image file directory) with its fields and the image data they point to.

    Directories, values and image data may point anywhere in the file, also at the same bytes
    again: what they would copy is counted before it is, and a file asking for more than its
    own size (twice, for directories and values some writers share between pages) is refused.
    """
    if data[:4] == LITTLE:
        endian = "<"
    elif data[:4] == BIG:
        endian = ">"
    else:
        raise MalformedFile("Not a TIFF image.")
    (offset,) = struct.unpack(endian + "I", data[4:8])
    pages, seen = [], set()
    budget = Budget(directories=2 * len(data), image_data=len(data))
    while offset:
        if offset in seen or len(pages) >= MAX_PAGES:
            raise MalformedFile("The TIFF image's pages form a loop.")
        seen.add(offset)
        fields, offset = read_fields(data, offset, endian, budget)
        page_fields = {tag: field for tag, field in fields.items() if tag not in DATA_TAGS}
        chunks = image_chunks(data, fields, endian, budget)
        pages.append(Page(page_fields, chunks, TILE_OFFSETS in fields))
    if not pages:
        raise MalformedFile("The TIFF file holds no image.")
    return TiffFile(endian, tuple(pages), exif_tags_of(data, pages[0], endian))


@dataclass
class Budget:
    """Bytes a TIFF's directories and values, and its image data, may still copy."""

    directories: int
    image_data: int

    def spend_on_directories(self, size: int) -> None:
        self.directories -= size
        if self.directories < 0:
            raise DecompressionBomb("The TIFF image's directories point at the same data again.")

    def spend_on_image_data(self, size: int) -> None:
        self.image_data -= size
        if self.image_data < 0:
            raise DecompressionBomb("The TIFF image points at the same data more than once.")


def read_fields(
    data: bytes, offset: int, endian: str, budget: Budget | None = None
) -> tuple[dict[int, Field], int]:
    budget = budget or Budget(directories=2 * len(data), image_data=len(data))
    if offset < HEADER_SIZE or offset + 2 > len(data):
        raise MalformedFile("A TIFF directory lies outside the file.")
    (count,) = struct.unpack(endian + "H", data[offset : offset + 2])
    end = offset + 2 + count * ENTRY_SIZE
    if end + 4 > len(data):
        raise MalformedFile("A TIFF directory runs past the end of the file.")
    budget.spend_on_directories(end + 4 - offset)
    fields = {}
    for start in range(offset + 2, end, ENTRY_SIZE):
        tag, kind, number = struct.unpack(endian + "HHI", data[start : start + 8])
        if kind not in TYPE_SIZES:
            raise MalformedFile("A TIFF field has an unknown type.")
        size = TYPE_SIZES[kind] * number
        if size <= 4:
            value = data[start + 8 : start + 8 + size]
        else:
            (at,) = struct.unpack(endian + "I", data[start + 8 : start + 12])
            if at + size > len(data):
                raise MalformedFile("A TIFF field's value lies outside the file.")
            budget.spend_on_directories(size)
            value = data[at : at + size]
        fields[tag] = Field(tag, kind, number, value)
    (next_offset,) = struct.unpack(endian + "I", data[end : end + 4])
    return fields, next_offset


def numbers(field: Field | None, endian: str) -> list[int]:
    if field is None:
        return []
    if field.kind not in (SHORT, LONG):
        raise MalformedFile("A TIFF offset or size field is not a whole number.")
    code = "H" if field.kind == SHORT else "I"
    return list(struct.unpack(f"{endian}{field.count}{code}", field.value))


def image_chunks(
    data: bytes, fields: dict[int, Field], endian: str, budget: Budget
) -> tuple[bytes, ...]:
    """The strips or tiles of one page."""
    tiled = TILE_OFFSETS in fields
    offsets = numbers(fields.get(TILE_OFFSETS if tiled else STRIP_OFFSETS), endian)
    counts = numbers(fields.get(TILE_BYTE_COUNTS if tiled else STRIP_BYTE_COUNTS), endian)
    if not offsets or len(offsets) != len(counts):
        raise MalformedFile("A TIFF page does not say where its image data is.")
    if any(start + size > len(data) for start, size in zip(offsets, counts, strict=True)):
        raise MalformedFile("A TIFF page's image data lies outside the file.")
    budget.spend_on_image_data(sum(counts))
    return tuple(data[start : start + size] for start, size in zip(offsets, counts, strict=True))


def exif_tags_of(data: bytes, page: Page, endian: str) -> frozenset[int]:
    pointer = numbers(page.fields.get(EXIF_IFD), endian) if EXIF_IFD in page.fields else []
    if len(pointer) != 1:
        return frozenset()
    try:
        return frozenset(read_directory(data, pointer[0], endian)[0])
    except MalformedFile:
        return frozenset()


def first_number(page: Page, tag: int, endian: str) -> int:
    found = numbers(page.fields.get(tag), endian)
    if not found:
        raise MalformedFile("A TIFF page lacks its size or compression.")
    return found[0]


def check_page(page: Page, endian: str, limits: CleaningLimits) -> None:
    if DNG_VERSION in page.fields:
        raise UnsupportedType(
            "Camera raw (DNG) images are not accepted; send a JPEG or PNG instead.",
            {"accepted_types": accepted_types()},
        )
    limits.check_pixels(first_number(page, WIDTH, endian), first_number(page, HEIGHT, endian))
    compression = first_number(page, COMPRESSION, endian) if COMPRESSION in page.fields else 1
    if compression not in COMPRESSIONS:
        raise UnsupportedType(
            f"This TIFF image's compression ({compression}) is not accepted; send it as "
            "an uncompressed, LZW, Deflate, PackBits, fax or JPEG-compressed TIFF, or as PNG.",
            {"accepted_types": accepted_types()},
        )
    if JPEG_TABLES in page.fields:
        check_jpeg_tables(page.fields[JPEG_TABLES].value)


def check_jpeg_tables(tables: bytes) -> None:
    """JPEG tables hold quantisation and Huffman tables and nothing else."""
    if not tables.startswith(jpeg.SOI):
        raise MalformedFile("The TIFF image's JPEG tables are damaged.")
    pos = len(jpeg.SOI)
    while True:
        marker, pos = jpeg.next_marker(tables, pos)
        if marker == jpeg.EOI_MARKER:
            return
        if marker not in jpeg.TABLES:
            raise MalformedFile("The TIFF image's JPEG tables hold more than tables.")
        _, pos = jpeg.segment_payload(tables, pos)


def is_jpeg_compressed(page: Page, endian: str) -> bool:
    return (
        COMPRESSION in page.fields and first_number(page, COMPRESSION, endian) == JPEG_COMPRESSION
    )


def is_reduced_resolution(page: Page, endian: str) -> bool:
    flags = numbers(page.fields.get(NEW_SUBFILE_TYPE), endian)
    return bool(flags) and bool(flags[0] & REDUCED_RESOLUTION)


def removed_kinds(image: TiffFile, page: Page) -> set[Removed]:
    kinds = {
        REMOVED_TAG_KINDS.get(tag, Removed.OTHER_METADATA)
        for tag in page.fields
        if tag not in KEPT_TAGS
    }
    if MAKER_NOTE in image.exif_tags:
        kinds.add(Removed.MAKER_NOTES)
    if SERIAL_NUMBERS & (image.exif_tags | set(page.fields)):
        kinds.add(Removed.SERIAL_NUMBERS)
    return kinds


def cleaned_page(image: TiffFile, page: Page, limits: CleaningLimits) -> tuple[Page, set[Removed]]:
    check_page(page, image.endian, limits)
    kinds = removed_kinds(image, page)
    chunks = page.chunks
    if is_jpeg_compressed(page, image.endian):
        stripped = [jpeg.strip(chunk, limits) for chunk in chunks]
        chunks = tuple(result.data for result in stripped)
        kinds |= {kind for result in stripped for kind in result.removed}
    fields = {tag: field for tag, field in page.fields.items() if tag in KEPT_TAGS}
    return Page(fields, chunks, page.tiled), kinds


def strip(data: bytes, limits: CleaningLimits) -> Cleaned:
    image = parse(data)
    full_pages = [page for page in image.pages if not is_reduced_resolution(page, image.endian)]
    removed: set[Removed] = set()
    if full_pages and len(full_pages) < len(image.pages):
        removed.add(Removed.THUMBNAIL)
    pages = []
    for page in full_pages or image.pages:
        kept, kinds = cleaned_page(image, page, limits)
        pages.append(kept)
        removed |= kinds
    return Cleaned(encode(replace(image, pages=tuple(pages))), TIFF, frozenset(removed))


def encode(image: TiffFile) -> bytes:
    """A TIFF holding exactly the pages' fields and image data, each page's directory followed
    by its values and data; parsing and encoding a file this wrote gives the same bytes."""
    endian = image.endian
    output = bytearray(LITTLE if endian == "<" else BIG)
    output += struct.pack(endian + "I", HEADER_SIZE)
    next_link = None
    for page in image.pages:
        start = len(output)
        if next_link is not None:
            output[next_link : next_link + 4] = struct.pack(endian + "I", start)
        output += encode_page(page, start, endian)
        (count,) = struct.unpack(endian + "H", output[start : start + 2])
        next_link = start + 2 + ENTRY_SIZE * count
    return bytes(output)


def padded(value: bytes) -> bytes:
    return value + b"\x00" * (len(value) % 2)


def encode_page(page: Page, start: int, endian: str) -> bytes:
    """One page's directory (its link to the next page left zero), values and image data."""
    offsets_tag = TILE_OFFSETS if page.tiled else STRIP_OFFSETS
    counts_tag = TILE_BYTE_COUNTS if page.tiled else STRIP_BYTE_COUNTS
    fields = dict(page.fields)
    fields[counts_tag] = long_field(counts_tag, [len(chunk) for chunk in page.chunks], endian)
    fields[offsets_tag] = long_field(offsets_tag, [0] * len(page.chunks), endian)
    values_at = start + 2 + ENTRY_SIZE * len(fields) + 4
    chunk_at = values_at + sum(len(padded(f.value)) for f in fields.values() if len(f.value) > 4)
    offsets = []
    for chunk in page.chunks:
        offsets.append(chunk_at)
        chunk_at += len(padded(chunk))
    fields[offsets_tag] = long_field(offsets_tag, offsets, endian)
    entries, values = bytearray(), bytearray()
    for tag in sorted(fields):
        field = fields[tag]
        if len(field.value) > 4:
            inline = struct.pack(endian + "I", values_at + len(values))
            values += padded(field.value)
        else:
            inline = field.value.ljust(4, b"\x00")
        entries += struct.pack(endian + "HHI", tag, field.kind, field.count) + inline
    directory = struct.pack(endian + "H", len(fields)) + entries + bytes(4)
    return bytes(directory + values) + b"".join(padded(chunk) for chunk in page.chunks)


def long_field(tag: int, values: list[int], endian: str) -> Field:
    return Field(tag, LONG, len(values), struct.pack(f"{endian}{len(values)}I", *values))
