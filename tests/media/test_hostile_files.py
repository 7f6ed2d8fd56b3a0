"""Hostile and broken files are refused with a domain error, within bounded memory and time."""

import dataclasses
import io
import random
import struct
import subprocess
import sys
import textwrap
import zipfile
import zlib
from pathlib import Path

import pikepdf
import pytest

from services.contracts.errors import DomainError
from services.contracts.media import (
    DecompressionBomb,
    MalformedFile,
    UnsupportedType,
)
from services.infra.config import ROOT
from services.media.cleaning import clean_upload
from services.media.file_types import accepted_types
from tests.media import office_packages, samples

MiB = 1024 * 1024


def png_header_only(width: int, height: int) -> bytes:
    """A PNG that claims a huge picture but carries a few bytes of image data."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + samples.png_chunk(b"IHDR", header)
        + samples.png_chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + samples.png_chunk(b"IEND", b"")
    )


def jpeg_claiming(width: int, height: int) -> bytes:
    buffer = io.BytesIO()
    samples.photo().save(buffer, "JPEG")
    data = buffer.getvalue()
    frame = data.index(b"\xff\xc0")
    return data[: frame + 5] + struct.pack(">HH", height, width) + data[frame + 9 :]


def docx_with_entry(name: str, size: int, method=zipfile.ZIP_DEFLATED) -> bytes:
    """A valid document with one more entry of `size` zero bytes, written in pieces."""
    package = io.BytesIO(samples.docx_with_metadata(photos=[]))
    with zipfile.ZipFile(package, "a") as archive:
        info = zipfile.ZipInfo(name)
        info.compress_type = method
        with archive.open(info, "w") as entry:
            for _ in range(size // MiB):
                entry.write(bytes(MiB))
    return package.getvalue()


def with_declared_size(package: bytes, name: str, declared: int) -> bytes:
    """The package with `name`'s uncompressed size in both headers replaced: a lying zip."""
    data = bytearray(package)
    encoded = name.encode()
    for signature, size_offset, name_offset in ((b"PK\x03\x04", 22, 30), (b"PK\x01\x02", 24, 46)):
        start = data.index(signature)
        while data[start + name_offset : start + name_offset + len(encoded)] != encoded:
            start = data.index(signature, start + 4)
        data[start + size_offset : start + size_offset + 4] = struct.pack("<I", declared)
    return bytes(data)


def test_png_claiming_twenty_thousand_squared_pixels_is_a_bomb(limits):
    with pytest.raises(DecompressionBomb):
        clean_upload(png_header_only(20000, 20000), "kuva.png", limits)


def test_jpeg_over_the_pixel_limit_is_a_bomb(limits):
    with pytest.raises(DecompressionBomb):
        clean_upload(jpeg_claiming(60000, 60000), "kuva.jpg", limits)


def test_heic_over_the_pixel_limit_is_refused_before_decoding(limits):
    small_limit = dataclasses.replace(limits, max_pixels=96 * 64 - 1)

    with pytest.raises(DecompressionBomb):
        clean_upload(samples.heic_with_metadata(96, 64), "kuva.heic", small_limit)


def test_zip_entry_that_expands_too_many_times_is_a_bomb(limits):
    bomb = docx_with_entry("word/bomb.xml", 20 * MiB)

    with pytest.raises(DecompressionBomb):
        clean_upload(bomb, "cv.docx", limits)


def test_zip_expanding_past_the_total_limit_is_a_bomb(limits):
    package = docx_with_entry("word/media/big.bin", 3 * MiB, method=zipfile.ZIP_STORED)

    with pytest.raises(DecompressionBomb):
        clean_upload(package, "cv.docx", dataclasses.replace(limits, max_expanded_bytes=2 * MiB))


def test_zip_with_too_many_entries_is_a_bomb(limits):
    package = io.BytesIO(samples.docx_with_metadata(photos=[]))
    with zipfile.ZipFile(package, "a") as archive:
        for number in range(limits.zip_max_entries + 1):
            archive.writestr(f"word/part{number}.xml", "<a/>")

    with pytest.raises(DecompressionBomb):
        clean_upload(package.getvalue(), "cv.docx", limits)


def test_zip_lying_about_an_entrys_size_is_refused_as_damaged(limits):
    honest = docx_with_entry("word/bomb.xml", 2 * MiB)

    with pytest.raises(MalformedFile):
        clean_upload(with_declared_size(honest, "word/bomb.xml", 1000), "cv.docx", limits)


def test_pdf_image_expanding_past_the_limit_is_a_bomb(limits):
    document = pikepdf.open(io.BytesIO(samples.pdf_with_metadata(pages=1)))
    document.pages[0].Resources.XObject.Im1.write(
        zlib.compress(bytes(4 * MiB)),
        filter=pikepdf.Array([pikepdf.Name.FlateDecode, pikepdf.Name.DCTDecode]),
        type_check=False,
    )
    buffer = io.BytesIO()
    document.save(buffer)

    with pytest.raises(DecompressionBomb):
        clean_upload(
            buffer.getvalue(), "cv.pdf", dataclasses.replace(limits, max_expanded_bytes=MiB)
        )


@pytest.mark.parametrize("streams", [1, 8], ids=["one-stream", "many-streams"])
def test_pdf_page_content_expanding_past_the_limit_is_a_bomb(limits, streams):
    """4 MiB in one content stream, or 8 streams of 512 KiB that only together pass 1 MiB."""
    document = pikepdf.open(io.BytesIO(samples.pdf_drawing_a_photo()))
    part = zlib.compress(bytes(4 * MiB // streams))
    document.pages[0].Contents = pikepdf.Array(
        [document.make_stream(part, Filter=pikepdf.Name.FlateDecode) for _ in range(streams)]
    )
    buffer = io.BytesIO()
    document.save(buffer)

    with pytest.raises(DecompressionBomb):
        clean_upload(
            buffer.getvalue(), "cv.pdf", dataclasses.replace(limits, max_expanded_bytes=MiB)
        )


def test_pdf_with_too_many_objects_is_a_bomb(limits):
    with pytest.raises(DecompressionBomb):
        clean_upload(
            samples.pdf_with_metadata(), "cv.pdf", dataclasses.replace(limits, pdf_max_objects=5)
        )


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (samples.jpeg_with_metadata(), "kuva.png"),
        (samples.png_with_metadata(), "kuva.jpg"),
        (samples.pdf_with_metadata(), "cv.docx"),
        (samples.docx_with_metadata(), "cv.xlsx"),
        (samples.jpeg_with_metadata(), "kuva"),
    ],
    ids=["jpeg-as-png", "png-as-jpg", "pdf-as-docx", "docx-as-xlsx", "no-extension"],
)
def test_content_that_does_not_match_its_name_is_refused(limits, content, name):
    with pytest.raises(UnsupportedType) as refused:
        clean_upload(content, name, limits)

    assert refused.value.fields["accepted_types"] == accepted_types()


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (b"MZ\x90\x00" + b"\x00" * 60, "ohjelma.exe"),
        (b"<html><script>alert(1)</script></html>", "sivu.html"),
        (b"", "tyhja.pdf"),
    ],
    ids=["executable", "html", "empty"],
)
def test_types_that_are_not_accepted_are_refused_with_the_accepted_list(limits, content, name):
    with pytest.raises(UnsupportedType) as refused:
        clean_upload(content, name, limits)

    assert "image/jpeg (.jpg, .jpeg)" in refused.value.fields["accepted_types"]


def test_plain_zip_named_docx_is_refused(limits):
    package = io.BytesIO()
    with zipfile.ZipFile(package, "w") as archive:
        archive.writestr("kuvat/kuva.jpg", samples.jpeg_with_metadata())

    with pytest.raises(UnsupportedType):
        clean_upload(package.getvalue(), "cv.docx", limits)


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (samples.jpeg_with_metadata(1)[:1500], "katkennut.jpg"),
        (samples.png_with_metadata()[:-20] + b"\x00" * 20, "rikki.png"),
        (b"%PDF-1.7\n" + bytes(range(256)) * 8, "roskaa.pdf"),
        (b"RIFF\xff\xff\xff\x00WEBPVP8X", "rikki.webp"),
        (b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 64, "rikki.heic"),
        (samples.docx_with_metadata()[:-200], "katkennut.docx"),
        (b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", "kuva.gif"),
        (b"II*\x00\x08\x00\x00\x00" + b"\x00" * 32, "kuva.tif"),
    ],
    ids=[
        "truncated-jpeg",
        "bad-png-crc",
        "garbage-pdf",
        "short-webp",
        "empty-heic",
        "cut-zip",
        "imageless-gif",
        "pageless-tiff",
    ],
)
def test_malformed_files_are_refused_as_damaged(limits, content, name):
    with pytest.raises(MalformedFile):
        clean_upload(content, name, limits)


WRITTEN_BY_LIBREOFFICE = Path(__file__).parent / "libreoffice"
SAMPLES = {
    "kuva.jpg": samples.jpeg_with_metadata(),
    "kuva.png": samples.png_with_metadata(),
    "kuva.webp": samples.webp_with_metadata(),
    "kuva.heic": samples.heic_with_metadata(),
    "kuva.gif": samples.gif_with_metadata(),
    "skannaus.tif": samples.tiff_with_metadata(),
    "cv.pdf": samples.pdf_with_metadata(pages=1),
    "inline.pdf": samples.pdf_drawing_a_photo("form"),
    "cv.docx": samples.docx_with_metadata(),
    "word.docx": office_packages.word_document(),
    "excel.xlsx": office_packages.excel_workbook(),
    "cv.odt": samples.odt_with_metadata(),
    **{path.name: path.read_bytes() for path in WRITTEN_BY_LIBREOFFICE.glob("*.od?")},
}


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_damaged_variants_are_cleaned_or_refused_never_crash(limits, name):
    """Truncations and flipped bytes anywhere: every outcome is a clean file or a refusal."""
    original = SAMPLES[name]
    rng = random.Random(name)
    outcomes = set()
    for _ in range(40):
        damaged = bytearray(original)
        if rng.random() < 0.3:
            damaged = damaged[: rng.randrange(1, len(damaged))]
        for _ in range(rng.randrange(1, 8)):
            damaged[rng.randrange(len(damaged))] = rng.randrange(256)
        try:
            cleaned = clean_upload(bytes(damaged), name, limits)
        except DomainError as refusal:
            outcomes.add(type(refusal).__name__)
        else:
            outcomes.add("cleaned")
            assert samples.give_aways_in(cleaned.data) == []
    assert outcomes


MEMORY_PROBE = textwrap.dedent(
    """
    import resource, sys
    from tests.media.test_hostile_files import docx_with_entry, png_header_only
    from tests.media.test_hostile_files import with_declared_size
    from services.contracts.errors import DomainError
    from services.media.cleaning import clean_upload
    from services.media.settings import settings_from

    limits = settings_from({}).cleaning
    bombs = {
        "pixels.png": png_header_only(20000, 20000),
        "zip.docx": docx_with_entry("word/bomb.xml", 400 * 1024 * 1024),
    }
    bombs["lying.docx"] = with_declared_size(bombs["zip.docx"], "word/bomb.xml", 1000)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    for name, data in bombs.items():
        try:
            clean_upload(data, name, limits)
        except DomainError as refusal:
            print(name, type(refusal).__name__)
    grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    print("grown_kib", grown)
    """
)


def test_bombs_are_refused_without_the_memory_they_would_take():
    """Run apart, so the peak memory measured belongs to the bombs alone."""
    probe = subprocess.run(
        [sys.executable, "-c", MEMORY_PROBE],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    lines = dict(line.split(" ", 1) for line in probe.stdout.splitlines())
    assert lines["pixels.png"] == "DecompressionBomb"
    assert lines["zip.docx"] == "DecompressionBomb"
    assert lines["lying.docx"] == "MalformedFile"
    assert int(lines["grown_kib"]) < 32 * 1024
