"""PNG and WebP: metadata chunks go, image chunks are copied, pixels decode identically."""

import io
import struct

import pytest

from services.media.cleaning import clean_upload
from tests.media import samples
from tests.media.readers import (
    ORIENTATION,
    exif_tags,
    exiftool_tags,
    needs_exiftool,
    opened,
    pixels,
)


def png_chunk_types(data: bytes) -> list[bytes]:
    types, pos = [], 8
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        types.append(data[pos + 4 : pos + 8])
        pos += 12 + length
    return types


def riff_chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    chunks, pos = [], 12
    while pos < len(data):
        fourcc, (length,) = data[pos : pos + 4], struct.unpack("<I", data[pos + 4 : pos + 8])
        chunks.append((fourcc, data[pos + 8 : pos + 8 + length]))
        pos += 8 + length + length % 2
    return chunks


def test_png_text_xmp_exif_and_time_chunks_are_removed(limits):
    cleaned = clean_upload(samples.png_with_metadata(), "kuva.png", limits)

    assert png_chunk_types(cleaned.data) == [b"IHDR", b"IDAT", b"IEND"]
    assert opened(cleaned.data).text == {}
    assert exif_tags(cleaned.data) == {}
    assert {"camera details", "location", "text notes", "xmp metadata", "dates"} <= cleaned.removed
    assert "other metadata" in cleaned.removed
    assert samples.give_aways_in(cleaned.data) == []


def test_png_pixels_decode_identically(limits):
    original = samples.png_with_metadata()

    cleaned = clean_upload(original, "kuva.png", limits)

    assert pixels(cleaned.data) == pixels(original)


def test_png_transparency_and_gamma_stay_with_the_palette(limits):
    palette = samples.photo().convert("P")
    palette.info["transparency"] = 0
    original = samples.png_with_metadata(palette)

    cleaned = clean_upload(original, "kuva.png", limits)

    assert png_chunk_types(cleaned.data) == [b"IHDR", b"PLTE", b"tRNS", b"IDAT", b"IEND"]
    assert pixels(cleaned.data) == pixels(original)


def test_png_without_metadata_comes_out_unchanged(limits):
    buffer = io.BytesIO()
    samples.photo().save(buffer, "PNG")

    assert clean_upload(buffer.getvalue(), "kuva.png", limits).data == buffer.getvalue()


@pytest.mark.parametrize("lossless", [False, True], ids=["lossy", "lossless"])
def test_webp_exif_and_xmp_go_and_orientation_stays(limits, lossless):
    original = samples.webp_with_metadata(orientation=6, lossless=lossless)

    cleaned = clean_upload(original, "kuva.webp", limits)

    image = opened(cleaned.data)
    assert "xmp" not in image.info
    assert exif_tags(cleaned.data) == {ORIENTATION: 6}
    assert pixels(cleaned.data) == pixels(original)
    assert {"camera details", "location", "xmp metadata"} <= cleaned.removed
    assert samples.give_aways_in(cleaned.data) == []


def test_webp_header_flags_and_riff_size_match_what_remains(limits):
    cleaned = clean_upload(samples.webp_with_metadata(orientation=6), "kuva.webp", limits)

    chunks = riff_chunks(cleaned.data)
    flags = chunks[0][1][0]
    assert chunks[0][0] == b"VP8X"
    assert [fourcc for fourcc, _ in chunks].count(b"XMP ") == 0
    assert flags & 0x04 == 0, "XMP flag cleared"
    assert flags & 0x08 == 0x08, "EXIF flag kept for the orientation"
    assert struct.unpack("<I", cleaned.data[4:8])[0] == len(cleaned.data) - 8


def test_upright_webp_keeps_no_exif_chunk(limits):
    cleaned = clean_upload(samples.webp_with_metadata(orientation=1), "kuva.webp", limits)

    chunks = riff_chunks(cleaned.data)
    assert b"EXIF" not in [fourcc for fourcc, _ in chunks]
    assert chunks[0][1][0] & 0x0C == 0


@needs_exiftool
@pytest.mark.parametrize("suffix", [".png", ".webp"])
def test_exiftool_finds_no_metadata_in_png_or_webp(limits, tmp_path, suffix):
    sample = samples.png_with_metadata() if suffix == ".png" else samples.webp_with_metadata(1)

    cleaned = clean_upload(sample, f"kuva{suffix}", limits)

    groups = {
        name.split("]")[0].strip("[") for name in exiftool_tags(cleaned.data, tmp_path, suffix)
    }
    assert groups <= {"File", "PNG", "RIFF", "Composite"}
