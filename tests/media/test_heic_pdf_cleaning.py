"""HEIC becomes a JPEG without metadata; PDFs lose their metadata but keep text and layout."""

import io
import zlib

import pikepdf
import pypdf
import pytest
from pikepdf import Array, Name

from services.media import jpeg2000
from services.media.cleaning import clean_upload
from tests.media import samples
from tests.media.readers import exif_tags, exiftool_tags, needs_exiftool, opened, tag_groups


def test_heic_is_converted_to_a_jpeg_without_metadata(limits):
    cleaned = clean_upload(samples.heic_with_metadata(96, 64), "IMG_0001.HEIC", limits)

    image = opened(cleaned.data)
    assert cleaned.file_type.content_type == "image/jpeg"
    assert image.format == "JPEG"
    assert image.size == (96, 64)
    assert exif_tags(cleaned.data) == {}
    assert "xmp" not in image.info
    assert {"camera details", "location", "xmp metadata"} <= cleaned.removed
    assert samples.give_aways_in(cleaned.data) == []


def test_heic_picture_survives_the_conversion(limits):
    cleaned = clean_upload(samples.heic_with_metadata(96, 64), "kuva.heif", limits)

    converted = opened(cleaned.data).convert("RGB")
    original = samples.photo(96, 64)
    differences = [
        abs(a - b)
        for pixel, expected in zip(converted.getdata(), original.getdata(), strict=True)
        for a, b in zip(pixel, expected, strict=True)
    ]
    assert sum(differences) / len(differences) < 12


def pdf_reader(data: bytes) -> pypdf.PdfReader:
    return pypdf.PdfReader(io.BytesIO(data))


def test_pdf_information_xmp_and_embedded_files_are_removed(limits):
    cleaned = clean_upload(samples.pdf_with_metadata(pages=2), "cv.pdf", limits)

    reader = pdf_reader(cleaned.data)
    assert reader.metadata is None
    assert reader.xmp_metadata is None
    assert all("/Metadata" not in page and "/PieceInfo" not in page for page in reader.pages)
    assert reader.attachments == {}
    assert reader.pages[0].get("/Annots") == []
    assert {
        "document properties",
        "author",
        "xmp metadata",
        "application data",
        "attached files",
    } <= cleaned.removed


def test_pdf_embedded_photo_loses_its_gps(limits):
    cleaned = clean_upload(samples.pdf_with_metadata(pages=1), "cv.pdf", limits)

    images = pdf_reader(cleaned.data).pages[0].images
    assert len(images) == 1
    assert exif_tags(images[0].data) == {}
    assert {"location", "camera details", "xmp metadata"} <= cleaned.removed


def test_pdf_text_pages_and_layout_are_unchanged(limits):
    original = samples.pdf_with_metadata(pages=3)

    cleaned = clean_upload(original, "cv.pdf", limits)

    before, after = pdf_reader(original), pdf_reader(cleaned.data)
    assert len(after.pages) == 3
    assert [page.extract_text() for page in after.pages] == [
        page.extract_text() for page in before.pages
    ]
    assert after.pages[2].extract_text().strip() == "Ansioluettelo sivu 3"
    assert [page.mediabox for page in after.pages] == [page.mediabox for page in before.pages]
    assert [page.get_contents().get_data() for page in after.pages] == [
        page.get_contents().get_data() for page in before.pages
    ]


def test_nothing_identifying_survives_in_the_pdf_bytes(limits):
    cleaned = clean_upload(samples.pdf_with_metadata(pages=2), "cv.pdf", limits)

    assert samples.give_aways_in(cleaned.data) == []
    assert b"xmpmeta" not in cleaned.data


@pytest.mark.filterwarnings("ignore:Image appears to be a malformed MPO")
def test_pdf_photo_pixels_decode_identically(limits):
    original = samples.pdf_with_metadata(pages=1)

    cleaned = clean_upload(original, "cv.pdf", limits)

    before = pdf_reader(original).pages[0].images[0].data
    after = pdf_reader(cleaned.data).pages[0].images[0].data
    assert opened(after).tobytes() == opened(before).tobytes()


@needs_exiftool
@pytest.mark.parametrize("sample", ["pdf", "heic"])
def test_exiftool_finds_no_metadata_in_pdf_or_converted_heic(limits, tmp_path, sample):
    data = samples.pdf_with_metadata() if sample == "pdf" else samples.heic_with_metadata()
    name = "cv.pdf" if sample == "pdf" else "kuva.heic"

    cleaned = clean_upload(data, name, limits)

    tags = exiftool_tags(cleaned.data, tmp_path, ".pdf" if sample == "pdf" else ".jpg")
    assert tag_groups(tags) <= {"File", "PDF", "JFIF", "Composite"}
    assert not [name for name in tags if "Author" in name or "Creator" in name]


def test_pdf_jpeg_wrapped_in_flate_is_unwrapped_and_cleaned(limits):
    document = pikepdf.open(io.BytesIO(samples.pdf_with_metadata(pages=1)))
    image = document.pages[0].Resources.XObject.Im1
    image.write(
        zlib.compress(samples.jpeg_with_metadata(orientation=1)),
        filter=Array([Name.FlateDecode, Name.DCTDecode]),
        type_check=False,
    )
    buffer = io.BytesIO()
    document.save(buffer)

    cleaned = clean_upload(buffer.getvalue(), "cv.pdf", limits)

    images = pdf_reader(cleaned.data).pages[0].images
    assert exif_tags(images[0].data) == {}
    assert "location" in cleaned.removed


def jp2_box(kind: bytes, payload: bytes) -> bytes:
    return (len(payload) + 8).to_bytes(4, "big") + kind + payload


def test_jpeg2000_xml_and_uuid_boxes_are_removed():
    image = (
        jpeg2000.SIGNATURE
        + jp2_box(b"ftyp", b"jp2 \x00\x00\x00\x00jp2 ")
        + jp2_box(b"xml ", samples.XMP_PACKET)
        + jp2_box(b"uuid", jpeg2000.EXIF_UUID + samples.camera_exif(1, thumbnail=False))
        + jp2_box(b"jp2c", b"\xff\x4f\xff\x51codestream")
    )

    cleaned, removed = jpeg2000.strip(image)

    assert removed == {"xmp metadata", "camera details"}
    assert [kind for kind, _ in jpeg2000.boxes(cleaned)] == [b"jP  ", b"ftyp", b"jp2c"]
    assert not jpeg2000.has_metadata(cleaned)
