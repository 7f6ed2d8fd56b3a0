"""JPEG: identifying metadata goes, the compressed picture and its orientation stay."""

import io
import struct

from services.media.cleaning import clean_upload
from tests.media import samples
from tests.media.readers import (
    GPS_IFD,
    ORIENTATION,
    exif_tags,
    exiftool_tags,
    needs_exiftool,
    opened,
    pixels,
)

REMOVED = {
    "camera details",
    "location",
    "thumbnail",
    "camera maker notes",
    "serial numbers",
    "xmp metadata",
    "captions and credits",
    "image comment",
    "extra pictures",
    "hidden data",
}


def test_gps_camera_and_author_metadata_are_removed_and_reported(limits):
    cleaned = clean_upload(samples.jpeg_with_metadata(), "kuva.jpg", limits)

    image = opened(cleaned.data)
    assert image.getexif().get_ifd(GPS_IFD) == {}
    assert [marker for marker, _ in image.applist] == ["APP0", "APP1"]
    assert not {"xmp", "photoshop", "comment", "mp"} & set(image.info)
    assert cleaned.removed == REMOVED
    assert cleaned.file_type.content_type == "image/jpeg"


def test_nothing_identifying_survives_anywhere_in_the_bytes(limits):
    cleaned = clean_upload(samples.jpeg_with_metadata(), "kuva.jpg", limits)

    assert samples.give_aways_in(cleaned.data) == []
    assert cleaned.data.count(b"\xff\xd8") == 1


def test_orientation_is_the_only_exif_tag_left(limits):
    cleaned = clean_upload(samples.jpeg_with_metadata(orientation=6), "kuva.jpg", limits)

    assert exif_tags(cleaned.data) == {ORIENTATION: 6}


def test_upright_photo_keeps_no_exif_at_all(limits):
    cleaned = clean_upload(samples.jpeg_with_metadata(orientation=1), "kuva.jpg", limits)

    assert exif_tags(cleaned.data) == {}
    assert "APP1" not in [marker for marker, _ in opened(cleaned.data).applist]


def test_pixels_decode_identically(limits):
    original = samples.jpeg_with_metadata()

    cleaned = clean_upload(original, "kuva.jpg", limits)

    assert pixels(cleaned.data) == pixels(original)


def test_progressive_jpeg_with_icc_profile_keeps_scans_and_profile(limits):
    buffer = io.BytesIO()
    profile = b"\x00" * 128 + b"acsp" + b"\x00" * 64
    samples.photo().save(
        buffer,
        "JPEG",
        progressive=True,
        icc_profile=profile,
        exif=samples.camera_exif(3),
        comment=samples.ADDRESS.encode(),
    )

    cleaned = clean_upload(buffer.getvalue(), "kuva.JPEG", limits)

    image = opened(cleaned.data)
    assert image.info["icc_profile"] == profile
    assert image.info.get("progressive") == 1
    assert exif_tags(cleaned.data) == {ORIENTATION: 3}
    assert pixels(cleaned.data) == pixels(buffer.getvalue())


def test_jfif_thumbnail_is_removed(limits):
    plain = clean_upload(samples.jpeg_with_metadata(1), "kuva.jpg", limits).data
    thumbnail = b"\x02\x02" + b"THUMBNAILpix"
    jfif = b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01" + thumbnail
    with_thumbnail = plain[:2] + b"\xff\xe0" + struct.pack(">H", len(jfif) + 2) + jfif + plain[20:]

    cleaned = clean_upload(with_thumbnail, "kuva.jpg", limits)

    assert "thumbnail" in cleaned.removed
    assert b"THUMBNAILpix" not in cleaned.data
    assert pixels(cleaned.data) == pixels(plain)


@needs_exiftool
def test_exiftool_finds_only_orientation_and_rendering_data(limits, tmp_path):
    cleaned = clean_upload(samples.jpeg_with_metadata(orientation=6), "kuva.jpg", limits)

    tags = exiftool_tags(cleaned.data, tmp_path, ".jpg")

    groups = {name.split("]")[0].strip("[") for name in tags}
    assert groups <= {"File", "JFIF", "IFD0", "Composite"}
    assert [name for name in tags if name.startswith("[IFD0]")] == ["[IFD0] Orientation"]
    assert tags["[IFD0] Orientation"] == "6"
    assert "[File] Comment" not in tags
