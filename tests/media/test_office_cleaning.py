"""Office documents: properties, custom data, people's names, dates of comments and changes and
session ids go; content, comments, changes and pictures stay, the pictures without their
metadata; what cannot be vouched for is refused, naming the part. Checked by reading the zip
and XML directly."""

import io
import xml.etree.ElementTree as ElementTree
import zipfile
from pathlib import Path

import pytest

from services.contracts.media import MetadataRemains, UnsupportedType
from services.media import office_xml
from services.media.cleaning import clean_upload
from tests.media import office_packages, samples
from tests.media.readers import exif_tags, pixels

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
    assert {"author", "company", "custom properties", "custom data"} <= cleaned.removed


def test_docx_comment_and_tracked_change_authors_are_emptied(limits):
    cleaned = clean_upload(samples.docx_with_metadata(), "cv.docx", limits)

    cleaned_parts = parts(cleaned.data)
    comments = xml(cleaned_parts["word/comments.xml"])
    document = xml(cleaned_parts["word/document.xml"])
    assert set(attribute_values(comments, "author")) == {""}
    assert set(attribute_values(comments, "initials")) == {""}
    assert set(attribute_values(document, "author")) == {""}
    assert attribute_values(document, "date") == []
    assert "word/people.xml" not in cleaned_parts
    assert b"people" not in cleaned_parts["word/_rels/document.xml.rels"]
    assert {"comment authors", "tracked change authors", "tracked change dates"} <= (
        cleaned.removed
    )


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
    assert "file paths" in cleaned.removed


def test_docx_photos_lose_gps_and_keep_their_pixels(limits):
    photos = [samples.jpeg_with_metadata(orientation=1) for _ in range(2)]

    cleaned = clean_upload(samples.docx_with_metadata(photos), "cv.docx", limits)

    cleaned_parts = parts(cleaned.data)
    for number in (1, 2):
        picture = cleaned_parts[f"word/media/image{number}.jpeg"]
        assert exif_tags(picture) == {}
        assert samples.SERIAL.encode() not in picture
    assert {"location", "camera details", "xmp metadata", "thumbnail"} <= cleaned.removed


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
    assert {"author", "custom properties", "printer name", "location"} <= cleaned.removed


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


def word_parts(limits, **extra) -> tuple[dict[str, bytes], frozenset]:
    cleaned = clean_upload(office_packages.word_document(extra or None), "cv.docx", limits)
    return parts(cleaned.data), cleaned.removed


def test_word_revision_session_ids_and_document_ids_are_removed_everywhere(limits):
    cleaned, removed = word_parts(limits)

    for name, data in cleaned.items():
        assert b"rsid" not in data.lower(), name
        assert b"docId" not in data and b"docVars" not in data, name
        for value in office_packages.RSIDS + office_packages.PARAGRAPH_IDS:
            assert value.encode() not in data, name
    assert {"revision history ids", "document ids", "custom properties"} <= removed


def test_renumbered_paragraph_and_comment_ids_still_match_across_parts(limits):
    cleaned, _ = word_parts(limits)

    comment = xml(cleaned["word/comments.xml"])
    paragraph_id = attribute_values(comment, "paraId")[0]
    assert attribute_values(xml(cleaned["word/commentsExtended.xml"]), "paraId") == [paragraph_id]
    ids = xml(cleaned["word/commentsIds.xml"])
    extensible = xml(cleaned["word/commentsExtensible.xml"])
    assert attribute_values(ids, "paraId") == [paragraph_id]
    assert attribute_values(ids, "durableId") == attribute_values(extensible, "durableId")
    assert attribute_values(extensible, "dateUtc") == []


def test_word_comments_and_changes_keep_their_text_without_author_or_date(limits):
    cleaned, removed = word_parts(limits)

    document = xml(cleaned["word/document.xml"])
    assert [element.text for element in document.iter(f"{W}delText")] == ["vanha taito"]
    assert [element.text for element in document.iter(f"{W}t")][2] == "uusi taito"
    assert set(attribute_values(document, "author")) == {""}
    assert attribute_values(document, "date") + attribute_values(document, "dateUtc") == []
    assert [element.text for element in xml(cleaned["word/comments.xml"]).iter(f"{W}t")] == [
        "Hyvä!"
    ]
    assert {"tracked change authors", "tracked change dates", "comment dates"} <= removed


def test_word_people_thumbnail_and_template_path_go_with_their_references(limits):
    cleaned, removed = word_parts(limits)

    assert "word/people.xml" not in cleaned and "docProps/thumbnail.jpeg" not in cleaned
    assert b"people" not in cleaned["[Content_Types].xml"]
    assert b"thumbnail" not in cleaned["_rels/.rels"]
    assert b"maija" not in cleaned["word/_rels/settings.xml.rels"].lower()
    assert {"thumbnail", "file paths", "template", "editing time"} <= removed


def test_empty_parts_embedded_fonts_and_web_settings_pass_through(limits):
    original = parts(office_packages.word_document())
    cleaned, _ = word_parts(limits)

    assert cleaned["word/fontTable.xml"] == b""
    assert cleaned["word/fonts/font1.odttf"] == original["word/fonts/font1.odttf"]
    assert b"optimizeForBrowser" in cleaned["word/webSettings.xml"]


def test_word_pictures_of_every_kind_are_cleaned_with_the_same_pixels(limits):
    original = parts(office_packages.word_document())
    cleaned, removed = word_parts(limits)

    for name in ("word/media/image1.gif", "word/media/image2.tif", "word/media/image3.bmp"):
        assert pixels(cleaned[name]) == pixels(original[name]), name
        assert samples.give_aways_in(cleaned[name]) == [], name
    emf = cleaned["word/media/image4.emf"]
    assert len(emf) == len(original["word/media/image4.emf"])
    assert samples.AUTHOR.encode("utf-16-le") not in emf
    assert {"location", "image comment", "hidden data", "description"} <= removed


def test_excel_printer_settings_go_with_the_sheets_reference_to_them(limits):
    cleaned = clean_upload(office_packages.excel_workbook(), "palkat.xlsx", limits)

    cleaned_parts = parts(cleaned.data)
    assert not [name for name in cleaned_parts if "printerSettings" in name]
    sheet = xml(cleaned_parts["xl/worksheets/sheet1.xml"])
    page_setup = next(element for element in sheet.iter() if element.tag.endswith("pageSetup"))
    assert page_setup.get(f"{{{office_packages.R}}}id") is None
    assert b"printerSettings" not in cleaned_parts["xl/worksheets/_rels/sheet1.xml.rels"]
    assert {"printer name", "printer settings"} <= cleaned.removed


def test_excel_saved_folder_document_id_persons_and_comment_dates_are_removed(limits):
    cleaned = clean_upload(office_packages.excel_workbook(), "palkat.xlsx", limits)

    cleaned_parts = parts(cleaned.data)
    workbook = cleaned_parts["xl/workbook.xml"]
    assert b"absPath" not in workbook and b"revisionPtr" not in workbook
    persons = xml(cleaned_parts["xl/persons/person.xml"])
    assert set(attribute_values(persons, "displayName") + attribute_values(persons, "userId")) == {
        ""
    }
    threaded = xml(cleaned_parts["xl/threadedComments/threadedComment1.xml"])
    assert attribute_values(threaded, "dT") == []
    assert b"Tarkista" in cleaned_parts["xl/threadedComments/threadedComment1.xml"]
    assert b"maija" not in cleaned_parts["xl/drawings/vmlDrawing1.vml"].lower()
    assert [samples.give_aways_in(data) for data in cleaned_parts.values()] == [
        [] for _ in cleaned_parts
    ]


def test_powerpoint_modern_comments_and_the_embedded_workbook_are_cleaned(limits):
    cleaned = clean_upload(office_packages.powerpoint_presentation(), "esitys.pptx", limits)

    cleaned_parts = parts(cleaned.data)
    authors = xml(cleaned_parts["ppt/authors.xml"])
    assert set(attribute_values(authors, "name") + attribute_values(authors, "userId")) == {""}
    comments = xml(cleaned_parts["ppt/comments/modernComment_100_ABCD1234.xml"])
    assert set(attribute_values(comments, "created")) == {office_xml.NEUTRAL_DATE}
    assert attribute_values(xml(cleaned_parts["ppt/slides/slide1.xml"]), "val") == ["1"]
    embedded = parts(cleaned_parts["ppt/embeddings/Microsoft_Excel_Worksheet.xlsx"])
    assert not [name for name in embedded if "printerSettings" in name]
    assert samples.give_aways_in(b"".join(embedded.values())) == []
    assert {"comment authors", "comment dates", "printer name"} <= cleaned.removed


def test_a_package_inside_an_embedded_package_is_refused_naming_it(limits):
    inner = office_packages.excel_workbook(
        {"xl/embeddings/Microsoft_Word_Document.docx": samples.docx_with_metadata()}
    )

    with pytest.raises(MetadataRemains) as refused:
        clean_upload(office_packages.powerpoint_presentation(inner), "esitys.pptx", limits)

    assert "xl/embeddings/Microsoft_Word_Document.docx" in refused.value.message


@pytest.mark.parametrize(
    ("part", "content"),
    [
        ("word/embeddings/oleObject1.bin", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)),
        ("word/embeddings/ohjelma.exe", b"MZ\x90\x00" + bytes(60)),
        ("word/activeX/activeX1.bin", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)),
    ],
    ids=["ole-object", "program", "activex"],
)
def test_embedded_objects_and_programs_are_refused_naming_the_part(limits, part, content):
    with pytest.raises(MetadataRemains) as refused:
        clean_upload(office_packages.word_document({part: content}), "cv.docx", limits)

    assert part in refused.value.message


def test_macros_in_a_document_named_docx_are_refused_naming_the_part(limits):
    macros = {"word/vbaProject.bin": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)}

    with pytest.raises(UnsupportedType) as refused:
        clean_upload(office_packages.word_document(macros), "cv.docx", limits)

    assert "word/vbaProject.bin" in refused.value.message


ODT = Path(__file__).parent / "libreoffice" / "cv.odt"


def test_opendocument_basic_macros_are_refused_naming_the_module(limits):
    module = (
        '<?xml version="1.0"?><script:module xmlns:script="http://openoffice.org/2000/script"/>'
    )
    document = office_packages.with_parts(ODT.read_bytes(), {"Basic/Standard/Module1.xml": module})

    with pytest.raises(UnsupportedType) as refused:
        clean_upload(document, "cv.odt", limits)

    assert "Basic/Standard/Module1.xml" in refused.value.message


def test_opendocument_ole_object_is_refused_naming_it(limits):
    document = office_packages.with_parts(
        ODT.read_bytes(), {"Object 1": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)}
    )

    with pytest.raises(MetadataRemains) as refused:
        clean_upload(document, "cv.odt", limits)

    assert "Object 1" in refused.value.message


def test_opendocument_embedded_chart_is_cleaned_like_the_document(limits):
    meta = parts(ODT.read_bytes())["meta.xml"]
    chart = parts(ODT.read_bytes())["content.xml"]
    document = office_packages.with_parts(
        ODT.read_bytes(), {"Object 1/meta.xml": meta, "Object 1/content.xml": chart}
    )

    cleaned = parts(clean_upload(document, "cv.odt", limits).data)

    assert [len(child) for child in xml(cleaned["Object 1/meta.xml"])] == [0]
    assert samples.give_aways_in(cleaned["Object 1/content.xml"]) == []


def test_password_protected_opendocument_is_refused(limits):
    manifest = parts(ODT.read_bytes())["META-INF/manifest.xml"].replace(
        b'manifest:full-path="content.xml" manifest:media-type="text/xml"/>',
        b'manifest:full-path="content.xml" manifest:media-type="text/xml">'
        b'<manifest:encryption-data manifest:checksum="AAAA"/></manifest:file-entry>',
    )
    document = office_packages.with_parts(ODT.read_bytes(), {"META-INF/manifest.xml": manifest})

    with pytest.raises(UnsupportedType) as refused:
        clean_upload(document, "cv.odt", limits)

    assert "password" in refused.value.message


def test_hd_photo_of_a_corrected_picture_is_kept_and_one_with_metadata_refused(limits):
    plain = office_packages.hd_photo()
    cleaned, _ = word_parts(limits, **{"word/media/hdphoto1.wdp": plain})

    assert cleaned["word/media/hdphoto1.wdp"] == plain
    with pytest.raises(MetadataRemains) as refused:
        word_parts(
            limits, **{"word/media/hdphoto1.wdp": office_packages.hd_photo(samples.XMP_PACKET)}
        )
    assert "word/media/hdphoto1.wdp" in refused.value.message


def test_powerpoint_co_authoring_records_and_pivot_refresher_go(limits):
    changes = (
        f'{office_packages.XML_HEAD}<pc:chgInfo xmlns:pc="http://schemas.microsoft.com/office/'
        f'powerpoint/2013/main/command"><pc:docChgLst><pc:chgData name="{samples.AUTHOR}" '
        'userId="maija@example.fi" providerId="AD"/></pc:docChgLst></pc:chgInfo>'
    )
    presentation = office_packages.with_parts(
        office_packages.powerpoint_presentation(),
        {
            "ppt/changesInfos/changesInfo1.xml": changes,
            "ppt/revisionInfo.xml": changes,
            "ppt/tags/tag1.xml": changes.replace("pc:chgInfo", "pc:tags"),
        },
    )

    cleaned = parts(clean_upload(presentation, "esitys.pptx", limits).data)

    assert "ppt/changesInfos/changesInfo1.xml" not in cleaned
    assert "ppt/revisionInfo.xml" not in cleaned
    assert samples.give_aways_in(cleaned["ppt/tags/tag1.xml"]) == []


def test_excel_data_connections_and_pivot_caches_lose_paths_and_names(limits):
    connections = (
        f'{office_packages.XML_HEAD}<connections xmlns="http://schemas.openxmlformats.org/'
        'spreadsheetml/2006/main"><connection id="1" name="Palkat" '
        'odcFile="C:\\Users\\maija.meikalainen\\Documents\\My Data Sources\\palkat.odc" '
        'sourceFile="\\\\palvelin\\maija\\palkat.accdb"/></connections>'
    )
    pivot = (
        f'{office_packages.XML_HEAD}<pivotCacheDefinition xmlns="http://schemas.openxmlformats.org/'
        f'spreadsheetml/2006/main" refreshedBy="{samples.AUTHOR}" refreshedDate="46000.5"/>'
    )
    workbook = office_packages.excel_workbook(
        {"xl/connections.xml": connections, "xl/pivotCache/pivotCacheDefinition1.xml": pivot}
    )

    cleaned = parts(clean_upload(workbook, "palkat.xlsx", limits).data)

    assert b"maija" not in cleaned["xl/connections.xml"].lower()
    assert samples.give_aways_in(cleaned["xl/pivotCache/pivotCacheDefinition1.xml"]) == []
