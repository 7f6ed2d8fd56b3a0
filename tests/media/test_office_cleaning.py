"""Office documents: properties, custom data and people's names go; content and images stay,
the images without their metadata. Checked by reading the zip and XML directly."""

import io
import xml.etree.ElementTree as ElementTree
import zipfile

import pytest

from services.contracts.media import MetadataRemains, UnsupportedType
from services.media.cleaning import clean_upload
from tests.media import samples
from tests.media.readers import exif_tags

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MACRO_ENABLED = "application/vnd.ms-word.document.macroEnabled.main+xml"


def parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def xml(data: bytes) -> ElementTree.Element:
    return ElementTree.fromstring(data)


def attribute_values(root: ElementTree.Element, local_name: str) -> list[str]:
    return [
        value
        for element in root.iter()
        for name, value in element.attrib.items()
        if name.rsplit("}", 1)[-1] == local_name
    ]


def test_docx_properties_are_emptied_and_custom_parts_removed(limits):
    cleaned = clean_upload(samples.docx_with_metadata(), "cv.docx", limits)

    cleaned_parts = parts(cleaned.data)
    assert list(xml(cleaned_parts["docProps/core.xml"])) == []
    assert list(xml(cleaned_parts["docProps/app.xml"])) == []
    assert "docProps/custom.xml" not in cleaned_parts
    assert not [name for name in cleaned_parts if name.startswith("customXml/")]
    assert b"custom" not in cleaned_parts["_rels/.rels"]
    assert b"custom.xml" not in cleaned_parts["[Content_Types].xml"]
    assert {"author", "company", "custom_properties", "custom_xml"} <= cleaned.removed


def test_docx_comment_and_tracked_change_authors_are_emptied(limits):
    cleaned = clean_upload(samples.docx_with_metadata(), "cv.docx", limits)

    cleaned_parts = parts(cleaned.data)
    comments = xml(cleaned_parts["word/comments.xml"])
    document = xml(cleaned_parts["word/document.xml"])
    people = xml(cleaned_parts["word/people.xml"])
    assert set(attribute_values(comments, "author")) == {""}
    assert set(attribute_values(comments, "initials")) == {""}
    assert set(attribute_values(document, "author")) == {""}
    assert set(attribute_values(people, "userId") + attribute_values(people, "author")) == {""}


def test_docx_text_and_markup_compatibility_survive(limits):
    cleaned = clean_upload(samples.docx_with_metadata(), "cv.docx", limits)

    document = parts(cleaned.data)["word/document.xml"]
    texts = [element.text for element in xml(document).iter(f"{W}t")]
    assert texts == [samples.DOCUMENT_TEXT, "Lisätty", "Kommentoitu"]
    assert b'mc:Ignorable="w14"' in document
    assert b"xmlns:w14=" in document


def test_docx_attached_template_no_longer_names_the_authors_folder(limits):
    cleaned = clean_upload(samples.docx_with_metadata(), "cv.docx", limits)

    relationships = parts(cleaned.data)["word/_rels/document.xml.rels"]
    assert b"maija" not in relationships.lower()
    assert b"customXml" not in relationships
    assert "file_paths" in cleaned.removed


def test_docx_photos_lose_gps_and_keep_their_pixels(limits):
    photos = [samples.jpeg_with_metadata(orientation=1) for _ in range(2)]

    cleaned = clean_upload(samples.docx_with_metadata(photos), "cv.docx", limits)

    cleaned_parts = parts(cleaned.data)
    for number in (1, 2):
        picture = cleaned_parts[f"word/media/image{number}.jpeg"]
        assert exif_tags(picture) == {}
        assert samples.SERIAL.encode() not in picture
    assert {"gps", "exif", "xmp", "thumbnail"} <= cleaned.removed


def test_nothing_identifying_survives_in_any_docx_part(limits):
    cleaned = clean_upload(samples.docx_with_metadata(), "cv.docx", limits)

    leaks = {name: samples.give_aways_in(data) for name, data in parts(cleaned.data).items()}
    assert {name: found for name, found in leaks.items() if found} == {}


def test_rewritten_package_has_no_dates_comments_or_extra_fields(limits):
    cleaned = clean_upload(samples.docx_with_metadata(), "cv.docx", limits)

    with zipfile.ZipFile(io.BytesIO(cleaned.data)) as archive:
        assert archive.comment == b""
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert {info.extra for info in archive.infolist()} == {b""}


@pytest.mark.parametrize(
    ("make", "name", "authors_part"),
    [
        (samples.xlsx_with_metadata, "palkat.xlsx", "xl/comments1.xml"),
        (samples.pptx_with_metadata, "esitys.pptx", "ppt/commentAuthors.xml"),
    ],
)
def test_xlsx_and_pptx_lose_properties_and_comment_authors(limits, make, name, authors_part):
    cleaned = clean_upload(make(), name, limits)

    cleaned_parts = parts(cleaned.data)
    assert list(xml(cleaned_parts["docProps/core.xml"])) == []
    assert "docProps/custom.xml" not in cleaned_parts
    authors = xml(cleaned_parts[authors_part])
    assert {
        element.text or "" for element in authors.iter() if element.tag.endswith("}author")
    } <= {""}
    assert set(attribute_values(authors, "name")) <= {""}
    assert [samples.give_aways_in(data) for data in cleaned_parts.values()] == [
        [] for _ in cleaned_parts
    ]


def test_odt_metadata_annotation_author_and_printer_are_removed(limits):
    cleaned = clean_upload(samples.odt_with_metadata(), "cv.odt", limits)

    cleaned_parts = parts(cleaned.data)
    meta = xml(cleaned_parts["meta.xml"])
    assert [len(child) for child in meta] == [0]
    content = cleaned_parts["content.xml"].decode()
    assert samples.DOCUMENT_TEXT in content
    assert samples.COMMENTER not in content
    assert samples.COMPANY.encode() not in cleaned_parts["settings.xml"]
    assert exif_tags(cleaned_parts["Pictures/kuva.jpg"]) == {}
    assert {"author", "custom_properties", "printer_name", "gps"} <= cleaned.removed


def test_odt_mimetype_stays_first_and_uncompressed(limits):
    cleaned = clean_upload(samples.odt_with_metadata(), "cv.odt", limits)

    with zipfile.ZipFile(io.BytesIO(cleaned.data)) as archive:
        first = archive.infolist()[0]
        assert first.filename == "mimetype"
        assert first.compress_type == zipfile.ZIP_STORED
    assert cleaned.data[30:38] == b"mimetype"


def test_macro_enabled_document_named_docx_is_refused(limits):
    with pytest.raises(UnsupportedType) as refused:
        clean_upload(samples.docx_with_metadata(main_type=MACRO_ENABLED), "cv.docx", limits)

    assert "accepted_types" in refused.value.fields


def test_document_with_an_embedded_object_is_refused_as_uncleanable(limits):
    package = io.BytesIO(samples.docx_with_metadata())
    with zipfile.ZipFile(package, "a") as archive:
        archive.writestr("word/embeddings/oleObject1.bin", b"\xd0\xcf\x11\xe0" + b"\x00" * 60)

    with pytest.raises(MetadataRemains) as refused:
        clean_upload(package.getvalue(), "cv.docx", limits)

    assert "oleObject1.bin" in refused.value.message
