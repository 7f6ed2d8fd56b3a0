"""GIF and TIFF uploads (scanned certificates often are TIFF): metadata removed, every frame and
page kept with identical pixels, the same type stored."""

import io
import struct

import pytest
from PIL import Image

from services.contracts.media import DecompressionBomb, MalformedFile
from services.media import gif, tiff
from services.media.cleaning import clean_upload
from tests.media import samples
from tests.media.readers import exiftool_tags, needs_exiftool, tag_groups


def frames(data: bytes) -> list[tuple[bytes, dict]]:
    """Each frame or page as RGB pixels, with what Pillow says about its timing and looping."""
    image = Image.open(io.BytesIO(data))
    found = []
    for number in range(getattr(image, "n_frames", 1)):
        image.seek(number)
        timing = {key: image.info.get(key) for key in ("duration", "loop")}
        found.append((image.convert("RGB").tobytes(), timing))
    return found


def test_gif_comment_xmp_and_trailing_data_are_removed_and_named(limits):
    cleaned = clean_upload(samples.gif_with_metadata(), "animaatio.gif", limits)

    assert cleaned.file_type.content_type == "image/gif"
    assert samples.give_aways_in(cleaned.data) == []
    assert b"XMP DataXMP" not in cleaned.data
    assert cleaned.removed == {"image comment", "xmp metadata", "hidden data"}


def test_gif_frames_timing_and_loop_are_identical(limits):
    original = samples.gif_with_metadata()

    cleaned = clean_upload(original, "animaatio.gif", limits)

    assert len(frames(original)) == 2
    assert frames(cleaned.data) == frames(original)


@pytest.mark.parametrize("compression", ["tiff_lzw", "raw", "tiff_adobe_deflate", "jpeg"])
def test_tiff_pages_keep_identical_pixels(limits, compression):
    original = samples.tiff_with_metadata(pages=3, compression=compression)

    cleaned = clean_upload(original, "todistus.tif", limits)

    assert cleaned.file_type.content_type == "image/tiff"
    assert len(frames(cleaned.data)) == 3
    assert frames(cleaned.data) == frames(original)


def test_tiff_location_author_camera_and_xmp_are_removed_and_named(limits):
    cleaned = clean_upload(samples.tiff_with_metadata(), "todistus.tiff", limits)

    assert samples.give_aways_in(cleaned.data) == []
    assert {tag for page in tiff.parse(cleaned.data).pages for tag in page.fields} <= (
        tiff.KEPT_TAGS
    )
    assert {
        "location",
        "author",
        "camera details",
        "software",
        "description",
        "xmp metadata",
    } <= cleaned.removed


@needs_exiftool
@pytest.mark.parametrize(
    ("make", "suffix"),
    [(samples.gif_with_metadata, ".gif"), (samples.tiff_with_metadata, ".tif")],
    ids=["gif", "tiff"],
)
def test_exiftool_finds_no_location_names_or_xmp(limits, tmp_path, make, suffix):
    original = make()
    assert "XMP-exif" in tag_groups(exiftool_tags(original, tmp_path, suffix))

    tags = exiftool_tags(clean_upload(original, f"kuva{suffix}", limits).data, tmp_path, suffix)

    assert not [group for group in tag_groups(tags) if group.startswith(("GPS", "XMP"))]
    assert not [name for name in tags if name.endswith(("Artist", "Copyright", "Comment", "Make"))]
    assert samples.give_aways_in(" ".join(tags.values()).encode()) == []


def test_tiff_reduced_resolution_page_is_removed_as_a_thumbnail(limits):
    scan = tiff.parse(samples.tiff_with_metadata(pages=2))
    page, small = scan.pages
    flag = tiff.Field(tiff.NEW_SUBFILE_TYPE, tiff.LONG, 1, struct.pack("<I", 1))
    thumbnail = tiff.Page({**small.fields, tiff.NEW_SUBFILE_TYPE: flag}, small.chunks, False)
    data = tiff.encode(tiff.TiffFile(scan.endian, (page, thumbnail), frozenset()))

    cleaned = clean_upload(data, "todistus.tif", limits)

    assert len(tiff.parse(cleaned.data).pages) == 1
    assert "thumbnail" in cleaned.removed


def tiff_reusing_one_strip(strips: int, width: int = 1000) -> bytes:
    """A grey TIFF whose every strip points at the same bytes: small, but copying each strip
    would write `strips` times more."""
    entries = [(256, width), (257, strips), (258, 8), (259, 1), (262, 1), (278, 1)]
    directory_size = 2 + 12 * (len(entries) + 2) + 4
    offsets_at = 8 + directory_size
    counts_at = offsets_at + 4 * strips
    strip_at = counts_at + 4 * strips
    fields = [struct.pack("<HHIHH", tag, tiff.SHORT, 1, value, 0) for tag, value in entries]
    fields.insert(5, struct.pack("<HHII", tiff.STRIP_OFFSETS, tiff.LONG, strips, offsets_at))
    fields.append(struct.pack("<HHII", tiff.STRIP_BYTE_COUNTS, tiff.LONG, strips, counts_at))
    directory = struct.pack("<H", len(fields)) + b"".join(fields) + bytes(4)
    offsets = struct.pack(f"<{strips}I", *[strip_at] * strips)
    counts = struct.pack(f"<{strips}I", *[width] * strips)
    return tiff.LITTLE + struct.pack("<I", 8) + directory + offsets + counts + bytes(width)


def test_tiff_pointing_at_its_data_many_times_is_a_bomb(limits):
    with pytest.raises(DecompressionBomb):
        clean_upload(tiff_reusing_one_strip(500), "pommi.tif", limits)


def test_tiff_whose_pages_loop_is_refused_as_damaged(limits):
    data = bytearray(samples.tiff_with_metadata(pages=1))
    (first,) = struct.unpack("<I", data[4:8])
    (count,) = struct.unpack("<H", data[first : first + 2])
    next_at = first + 2 + 12 * count
    data[next_at : next_at + 4] = struct.pack("<I", first)

    with pytest.raises(MalformedFile):
        clean_upload(bytes(data), "silmukka.tif", limits)


def test_gif_frame_claiming_more_pixels_than_allowed_is_a_bomb(limits):
    data = bytearray(samples.gif_with_metadata())
    parsed = gif.parse(bytes(data))
    first_image = next(n for n, block in enumerate(parsed.blocks) if block.label is None)
    frame = len(parsed.head) + sum(len(block.raw) for block in parsed.blocks[:first_image])
    data[frame + 5 : frame + 9] = struct.pack("<HH", 60000, 60000)

    with pytest.raises(DecompressionBomb):
        clean_upload(bytes(data), "pommi.gif", limits)
