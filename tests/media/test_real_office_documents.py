"""Documents written by real office software (LibreOffice, see `libreoffice/make_samples.py`)
are accepted and come back clean with the same text, as an independent reader sees them: the
zip and every XML part scanned directly, every embedded picture read by exiftool."""

import base64
import io
import re
import zipfile
from pathlib import Path

import pytest

from services.contracts.media import Removed
from services.media.cleaning import clean_upload
from tests.media import samples
from tests.media.office_packages import PRINTER, with_parts
from tests.media.readers import exiftool_tags_of_each, needs_exiftool, text_runs

FOLDER = Path(__file__).parent / "libreoffice"
WRITTEN = sorted(path.name for path in FOLDER.iterdir() if path.suffix != ".py")
PICTURE_SIGNATURES = (b"\xff\xd8\xff", b"\x89PNG", b"GIF8", b"II*\x00", b"MM\x00*")
DATES_WRITTEN = (b"2026-05-0", b"2026:05:0")
IDENTIFYING_TAGS = frozenset(
    {"Artist", "Copyright", "Make", "Model", "Software", "ImageDescription", "Comment"}
)
IDENTIFYING_GROUPS = ("GPS", "XMP", "IPTC", "Photoshop", "ExifIFD", "MakerNotes")


def original(name: str) -> bytes:
    return (FOLDER / name).read_bytes()


def parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def is_xml(data: bytes) -> bool:
    return data.lstrip().startswith(b"<")


def with_printer(data: bytes) -> bytes:
    """A real OpenDocument file whose settings name a printer, as they do on a machine that
    has one (the samples were written where none was installed)."""
    settings = parts(data)["settings.xml"].decode()
    blob = base64.b64encode(f"{PRINTER}\x00SGENPRT\x00".encode()).decode()
    settings = settings.replace(
        '<config:config-item config:name="PrinterName" config:type="string"/>',
        f'<config:config-item config:name="PrinterName" config:type="string">{PRINTER}'
        "</config:config-item>",
    ).replace(
        '<config:config-item config:name="PrinterSetup" config:type="base64Binary"/>',
        f'<config:config-item config:name="PrinterSetup" config:type="base64Binary">{blob}'
        "</config:config-item>",
    )
    assert PRINTER in settings
    return with_parts(data, {"settings.xml": settings})


def test_the_samples_are_what_office_software_wrote():
    assert WRITTEN == [
        "cv.docx",
        "cv.odt",
        "esitys.odp",
        "esitys.pptx",
        "palkat.ods",
        "palkat.xlsx",
    ]
    for name in WRITTEN:
        written = b"".join(parts(original(name)).values())
        assert b"LibreOffice" in written
        assert samples.AUTHOR.encode() in written and samples.COMMENTER.encode() in written


@pytest.mark.parametrize("name", WRITTEN)
def test_every_document_is_accepted_as_what_it_is(limits, name):
    cleaned = clean_upload(original(name), name, limits)

    assert cleaned.file_type.extensions[0] == Path(name).suffix
    assert {Removed.AUTHOR, Removed.COMMENT_AUTHORS, Removed.LOCATION} <= cleaned.removed


@pytest.mark.parametrize("name", WRITTEN)
def test_no_name_date_rsid_or_printer_is_left_in_any_part(limits, name):
    cleaned = clean_upload(original(name), name, limits)

    for part, data in parts(cleaned.data).items():
        assert samples.give_aways_in(data) == [], part
        assert PRINTER.encode() not in data, part
        assert not [date for date in DATES_WRITTEN if date in data], part
        if is_xml(data):
            assert b"rsid" not in data.lower(), part


@needs_exiftool
@pytest.mark.parametrize("name", WRITTEN)
def test_exiftool_finds_no_location_or_names_in_any_picture(limits, tmp_path, name):
    cleaned = parts(clean_upload(original(name), name, limits).data)
    pictures = {part: data for part, data in cleaned.items() if data.startswith(PICTURE_SIGNATURES)}

    assert len(pictures) >= 4
    for part, tags in exiftool_tags_of_each(pictures, tmp_path).items():
        assert not [tag for tag in tags if tag.startswith(IDENTIFYING_GROUPS)], part
        assert not [tag for tag in tags if tag.split(":")[-1] in IDENTIFYING_TAGS], part
        assert samples.give_aways_in(" ".join(tags.values()).encode()) == [], part


@pytest.mark.parametrize("name", WRITTEN)
def test_visible_text_runs_are_unchanged_in_every_part(limits, name):
    before = parts(original(name))
    after = parts(clean_upload(original(name), name, limits).data)

    compared = 0
    for part, data in after.items():
        if is_xml(data) and part in before and not part.endswith(("meta.xml", "core.xml")):
            assert text_runs(data) == text_runs(before[part]), part
            compared += bool(text_runs(data))
    assert compared >= 1


@pytest.mark.parametrize("name", ["cv.odt", "cv.docx", "palkat.ods", "palkat.xlsx"])
def test_comments_and_tracked_changes_stay_without_their_authors(limits, name):
    cleaned = b"".join(parts(clean_upload(original(name), name, limits).data).values())

    assert re.search(rb"Hyv\xc3\xa4!|Tarkista", cleaned)
    assert re.search(
        rb"<w:ins |<w:del |<text:changed-region|<table:cell-content-change|<rcc ", cleaned
    )
    assert samples.COMMENTER.encode() not in cleaned


@pytest.mark.parametrize("name", ["cv.odt", "palkat.ods", "esitys.odp"])
def test_the_printers_name_and_set_up_are_removed_from_the_settings(limits, name):
    cleaned = clean_upload(with_printer(original(name)), name, limits)

    settings = parts(cleaned.data)["settings.xml"]
    assert PRINTER.encode() not in settings
    assert base64.b64encode(PRINTER.encode())[:20] not in settings
    assert {Removed.PRINTER_NAME, Removed.PRINTER_SETTINGS} <= cleaned.removed


@pytest.mark.parametrize("name", ["cv.odt", "palkat.ods", "esitys.odp"])
def test_opendocument_parts_that_only_describe_are_removed_with_their_manifest_entries(
    limits, name
):
    cleaned = parts(clean_upload(original(name), name, limits).data)

    assert "manifest.rdf" not in cleaned
    assert not [part for part in cleaned if part.startswith("Thumbnails/")]
    manifest = cleaned["META-INF/manifest.xml"]
    assert b"manifest.rdf" not in manifest and b"Thumbnails/" not in manifest
    assert [part for part in cleaned if part.startswith("Configurations2/")]


def test_cleaning_a_cleaned_document_changes_nothing_more(limits):
    once = clean_upload(original("cv.odt"), "cv.odt", limits)
    twice = clean_upload(once.data, "cv.odt", limits)

    assert twice.data == once.data
    assert twice.removed == set()


def test_empty_parts_libreoffice_writes_pass_through_as_they_are(limits):
    with_empty_part = with_parts(
        original("cv.odt"), {"Configurations2/accelerator/current.xml": b""}
    )

    cleaned = parts(clean_upload(with_empty_part, "cv.odt", limits).data)

    assert cleaned["Configurations2/accelerator/current.xml"] == b""
