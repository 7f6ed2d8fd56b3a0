"""Photos drawn inline in PDF content streams (BI … ID … EI) lose their metadata wherever they
are drawn; every other byte of the content stays as it was."""

import io
import zlib

import pikepdf
import pypdf
import pytest
from pikepdf import Name

from services.contracts.media import MalformedFile, MetadataRemains
from services.media import jpeg, verification
from services.media.cleaned import Cleaned
from services.media.cleaning import clean_upload
from services.media.file_types import PDF
from tests.media import samples
from tests.media.readers import exif_tags, inline_images, pdf_streams, pixels

PAINT = b"q 48 0 0 32 0 0 cm "


def with_page_content(data: bytes, content: bytes, encoding: Name | None = None) -> bytes:
    """The PDF with its page's content replaced: hex-encoded if `encoding` says so, else as it
    is; saved without compressing, which would re-encode it."""
    document = pikepdf.open(io.BytesIO(data))
    if encoding is None:
        document.pages[0].Contents.write(content)
    else:
        document.pages[0].Contents.write(content.hex().encode() + b">", filter=encoding)
    buffer = io.BytesIO()
    document.save(buffer, compress_streams=False)
    return buffer.getvalue()


def page_content(data: bytes) -> bytes:
    return pypdf.PdfReader(io.BytesIO(data)).pages[0].get_contents().get_data()


def image_segments(data: bytes) -> list[jpeg.Segment]:
    """The frame, tables and scans: what a decoder needs to draw the picture."""
    return [s for s in jpeg.parse(data).segments if s.marker in jpeg.IMAGE_MARKERS]


@pytest.mark.parametrize("place", samples.PHOTO_PLACES)
def test_inline_photo_loses_its_exif_wherever_it_is_drawn(limits, place):
    original = samples.pdf_drawing_a_photo(place)
    assert [stream for stream in pdf_streams(original) if b"Exif" in stream]

    cleaned = clean_upload(original, "cv.pdf", limits)

    assert {
        "camera details",
        "location",
        "serial numbers",
        "thumbnail",
        "camera maker notes",
    } <= cleaned.removed
    for stream in pdf_streams(cleaned.data):
        assert b"Exif" not in stream
        assert samples.give_aways_in(stream) == []


def test_inline_photo_keeps_its_pixels_and_the_page_every_other_byte(limits):
    original = samples.pdf_drawing_a_photo("page")

    cleaned = clean_upload(original, "cv.pdf", limits)

    (before,) = inline_images(original)
    (after,) = inline_images(cleaned.data)
    assert exif_tags(after["data"]) == {}
    assert pixels(after["data"]) == pixels(before["data"])
    assert image_segments(after["data"]) == image_segments(before["data"])
    assert after["settings"] == before["settings"]
    assert page_content(cleaned.data) == page_content(original).replace(
        samples.camera_jpeg(), after["data"]
    )
    assert pypdf.PdfReader(io.BytesIO(cleaned.data)).pages[0].extract_text() == "Ansioluettelo"


def test_declared_length_of_an_inline_photo_follows_its_cleaned_data(limits):
    picture = samples.camera_jpeg()
    declaration = b"/F /DCT /L %d" % len(picture)
    original = samples.pdf_drawing_a_photo("page", samples.inline_image(picture, declaration))

    cleaned = clean_upload(original, "cv.pdf", limits)

    (after,) = inline_images(cleaned.data)
    assert after["settings"]["/L"] == len(after["data"]) < len(picture)
    assert jpeg.parse(after["data"]).trailing == b""
    assert exif_tags(after["data"]) == {}


@pytest.mark.parametrize("place", samples.PHOTO_PLACES)
def test_photo_object_drawn_from_anywhere_loses_its_exif(limits, place):
    cleaned = clean_upload(samples.pdf_drawing_a_photo(place, b"/Im1 Do"), "cv.pdf", limits)

    assert {"camera details", "location"} <= cleaned.removed
    assert not [stream for stream in pdf_streams(cleaned.data) if b"Exif" in stream]


def test_inline_photo_wrapped_in_another_filter_is_refused(limits):
    wrapped = samples.inline_image(zlib.compress(samples.camera_jpeg()), b"/F [/Fl /DCT]")

    with pytest.raises(MetadataRemains):
        clean_upload(samples.pdf_drawing_a_photo("form", wrapped), "cv.pdf", limits)


def test_page_encoded_so_that_it_cannot_be_searched_for_photos_is_refused(limits):
    page = PAINT + samples.inline_image(samples.camera_jpeg()) + b" Q"
    encoded = with_page_content(samples.pdf_drawing_a_photo(), page, Name.ASCIIHexDecode)

    with pytest.raises(MetadataRemains):
        clean_upload(encoded, "cv.pdf", limits)


def test_inline_photo_data_without_its_declaration_is_refused_as_damaged(limits):
    page = PAINT + b"/W 48 /H 32 /F /DCT ID " + samples.camera_jpeg() + b"\nEI Q"
    damaged = with_page_content(samples.pdf_drawing_a_photo(), page)

    with pytest.raises(MalformedFile):
        clean_upload(damaged, "cv.pdf", limits)


def test_verification_refuses_an_inline_photo_that_still_has_exif(limits):
    with pytest.raises(MetadataRemains) as refused:
        verification.verify(Cleaned(samples.pdf_drawing_a_photo(), PDF, frozenset()), limits)

    assert "JPEG segment 0xE1" in refused.value.message
