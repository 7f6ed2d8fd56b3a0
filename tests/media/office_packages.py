"""Office packages shaped as Word, Excel and PowerPoint write them, with the parts LibreOffice
never writes: revision-session ids, paragraph and comment ids, modern and threaded comments,
people and persons, printer settings, a document id, the folder a workbook was saved in,
embedded fonts and workbooks, an empty font table. And helpers that change a real package.
"""

import io
import struct
import zipfile

from tests.media import samples

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
W15 = "http://schemas.microsoft.com/office/word/2012/wordml"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
OFFICE_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PRINTER = f"{samples.COMPANY} kerros 3"
RSIDS = ("00A1B2C3", "00D4E5F6", "0012AB34")
PARAGRAPH_IDS = ("5F3A9C21", "6B2D4E80", "1C7E9A55")
DURABLE_ID = "3E8F1A2B"
XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
PROPERTY_TYPES = {
    "docProps/core.xml": "application/vnd.openxmlformats-package.core-properties+xml",
    "docProps/app.xml": "application/vnd.openxmlformats-officedocument.extended-properties+xml",
}


def relationships(*items: tuple[str, str, str] | tuple[str, str, str, str]) -> str:
    """Each item: id, type (after the officeDocument or package base), target[, mode]."""
    rows = []
    for item in items:
        rel_id, kind, target = item[:3]
        base = PACKAGE_RELS if kind.startswith("metadata/") else OFFICE_RELS
        mode = f' TargetMode="{item[3]}"' if len(item) == 4 else ""
        rows.append(f'<Relationship Id="{rel_id}" Type="{base}/{kind}" Target="{target}"{mode}/>')
    return f'{XML_HEAD}<Relationships xmlns="{PACKAGE_RELS}">{"".join(rows)}</Relationships>'


def content_types(defaults: dict[str, str], overrides: dict[str, str]) -> str:
    rows = [f'<Default Extension="{ext}" ContentType="{kind}"/>' for ext, kind in defaults.items()]
    rows += [
        f'<Override PartName="/{name}" ContentType="{kind}"/>' for name, kind in overrides.items()
    ]
    return (
        f'{XML_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        + "".join(rows)
        + "</Types>"
    )


def package(parts: dict[str, bytes | str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def with_parts(data: bytes, changed: dict[str, bytes | str | None]) -> bytes:
    """A copy of a package with parts replaced or added (None removes one), order kept."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as original, zipfile.ZipFile(buffer, "w") as copy:
        for info in original.infolist():
            if info.filename not in changed:
                copy.writestr(info, original.read(info))
            elif changed[info.filename] is not None:
                copy.writestr(info, changed[info.filename])
        for name, part in changed.items():
            if name not in original.namelist() and part is not None:
                copy.writestr(name, part, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def devmode(printer: str = PRINTER) -> bytes:
    """Printer settings as Windows stores them: the printer's name in the first 32 UTF-16
    characters, then the driver's fields."""
    return printer.encode("utf-16-le").ljust(64, b"\x00") + struct.pack("<HHHH", 0x401, 0, 220, 0)


def emf_with_description(
    description: str = f"Microsoft Office\x00{samples.AUTHOR}\x00\x00",
) -> bytes:
    """A minimal EMF picture whose header describes it: program and picture name."""
    text = description.encode("utf-16-le")
    header_size = 88 + len(text)
    header = struct.pack("<II4i4i", 1, header_size, 0, 0, 10, 10, 0, 0, 100, 100)
    header += b" EMF" + struct.pack(
        "<IIIHHIIIiiii",
        0x10000,
        header_size + 20,
        2,
        1,
        0,
        len(text) // 2,
        88,
        0,
        1024,
        768,
        320,
        240,
    )
    end_of_file = struct.pack("<IIIII", 14, 20, 0, 16, 20)
    return header + text + end_of_file


def hd_photo(xmp: bytes = b"") -> bytes:
    """An HD Photo (JPEG XR) as Word writes one for a corrected picture: one directory saying
    how to decode the image (and, if given, XMP), then the coded image."""
    image = bytes(range(64))
    entries = [(0xBC80, 4, 1, 16), (0xBC81, 4, 1, 16), (0xBCC1, 4, 1, len(image))]
    if xmp:
        entries.append((0x02BC, 1, len(xmp), None))
    directory_size = 2 + 12 * (len(entries) + 1) + 4
    xmp_at = 8 + directory_size
    image_at = xmp_at + len(xmp)
    entries.append((0xBCC0, 4, 1, image_at))
    fields = b"".join(
        struct.pack("<HHII", tag, kind, count, xmp_at if value is None else value)
        for tag, kind, count, value in sorted(entries)
    )
    directory = struct.pack("<H", len(entries)) + fields + bytes(4)
    return b"II\xbc\x01" + struct.pack("<I", 8) + directory + xmp + image


def bmp_with_hidden_data() -> bytes:
    buffer = io.BytesIO()
    samples.photo(24, 16).save(buffer, "BMP")
    return buffer.getvalue() + f"piilotettu {samples.ADDRESS}".encode()


def word_document(extra: dict[str, bytes | str] | None = None) -> bytes:
    """A CV as Word writes it: rsids and paragraph ids everywhere, a comment with its
    extended, id and date parts, people, tracked changes with UTC dates, settings with the
    session ids, a document id, document variables and a template in the author's folder,
    web settings, an empty font table, an embedded font, a thumbnail, and GIF, TIFF, BMP
    and EMF pictures."""
    rsid = (
        f'w:rsidR="{RSIDS[0]}" w:rsidRPr="{RSIDS[1]}" w:rsidRDefault="{RSIDS[2]}" '
        f'w:rsidP="{RSIDS[1]}"'
    )
    ids = [f'w14:paraId="{value}" w14:textId="77777777"' for value in PARAGRAPH_IDS]
    change = (
        f'w:author="{samples.AUTHOR}" w:date="2026-05-03T10:00:00Z" '
        'w16du:dateUtc="2026-05-03T07:00:00Z"'
    )
    namespaces = (
        f'xmlns:w="{W}" xmlns:w14="{W14}" xmlns:w15="{W15}" xmlns:r="{R}" '
        'xmlns:w16du="http://schemas.microsoft.com/office/word/2023/wordml/word16du" '
        'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
        'mc:Ignorable="w14 w15 w16du"'
    )
    pictures = "".join(
        f'<w:r w:rsidR="{RSIDS[0]}"><w:drawing><a:blip xmlns:a="http://schemas.openxmlformats.org/'
        f'drawingml/2006/main" r:embed="rIdPicture{number}"/></w:drawing></w:r>'
        for number in range(1, 5)
    )
    document = (
        f"{XML_HEAD}<w:document {namespaces}><w:body>"
        f'<w:p {ids[0]} {rsid}><w:r w:rsidRPr="{RSIDS[1]}">'
        f"<w:t>{samples.DOCUMENT_TEXT}</w:t></w:r></w:p>"
        f'<w:p {ids[1]} {rsid}><w:r><w:t xml:space="preserve">Taidot: </w:t></w:r>'
        f'<w:del w:id="1" {change}><w:r w:rsidDel="{RSIDS[2]}">'
        "<w:delText>vanha taito</w:delText></w:r></w:del>"
        f'<w:ins w:id="2" {change}><w:r><w:t>uusi taito</w:t></w:r></w:ins>'
        f'<w:r><w:rPr><w:rPrChange w:id="3" {change}><w:rPr/></w:rPrChange></w:rPr>'
        "<w:t>.</w:t></w:r></w:p>"
        f'<w:p {ids[2]}><w:commentRangeStart w:id="0"/><w:r><w:t>Kommentoitu</w:t></w:r>'
        '<w:commentRangeEnd w:id="0"/><w:r><w:commentReference w:id="0"/></w:r>'
        f"{pictures}</w:p>"
        f'<w:sectPr w:rsidR="{RSIDS[0]}" w:rsidSect="{RSIDS[1]}">'
        '<w:pgSz w:w="11906" w:h="16838"/></w:sectPr>'
        "</w:body></w:document>"
    )
    comment_paragraph = "2A4B6C8D"
    comments = (
        f"{XML_HEAD}<w:comments {namespaces}>"
        f'<w:comment w:id="0" w:author="{samples.COMMENTER}" '
        'w:date="2026-05-03T11:00:00Z" w:initials="KK">'
        f'<w:p w14:paraId="{comment_paragraph}" w14:textId="77777777" w:rsidR="{RSIDS[2]}">'
        "<w:r><w:t>Hyvä!</w:t></w:r></w:p></w:comment></w:comments>"
    )
    comments_extended = (
        f'{XML_HEAD}<w15:commentsEx xmlns:w15="{W15}">'
        f'<w15:commentEx w15:paraId="{comment_paragraph}" w15:done="0"/></w15:commentsEx>'
    )
    comments_ids = (
        f'{XML_HEAD}<w16cid:commentsIds xmlns:w16cid="http://schemas.microsoft.com/office/word/2016/wordml/cid">'
        f'<w16cid:commentId w16cid:paraId="{comment_paragraph}" w16cid:durableId="{DURABLE_ID}"/>'
        "</w16cid:commentsIds>"
    )
    comments_extensible = (
        f'{XML_HEAD}<w16cex:commentsExtensible xmlns:w16cex="http://schemas.microsoft.com/office/word/2018/wordml/cex">'
        f'<w16cex:commentExtensible w16cex:durableId="{DURABLE_ID}" '
        'w16cex:dateUtc="2026-05-03T08:00:00Z"/>'
        "</w16cex:commentsExtensible>"
    )
    people = (
        f'{XML_HEAD}<w15:people xmlns:w15="{W15}"><w15:person w15:author="{samples.COMMENTER}">'
        '<w15:presenceInfo w15:providerId="AD" w15:userId="S::kalle@example.fi::1234"/>'
        "</w15:person></w15:people>"
    )
    settings = (
        f"{XML_HEAD}<w:settings {namespaces}>"
        '<w:attachedTemplate r:id="rIdTemplate"/><w:trackRevisions/>'
        f'<w:docVars><w:docVar w:name="Kotiosoite" w:val="{samples.ADDRESS}"/></w:docVars>'
        f'<w:rsids><w:rsidRoot w:val="{RSIDS[0]}"/>'
        + "".join(f'<w:rsid w:val="{value}"/>' for value in RSIDS)
        + '</w:rsids><w14:docId w14:val="1A2B3C4D"/>'
        '<w15:docId w15:val="{6F9619FF-8B86-D011-B42D-00C04FC964FF}"/></w:settings>'
    )
    document_rels = relationships(
        ("rIdStyles", "styles", "styles.xml"),
        ("rIdSettings", "settings", "settings.xml"),
        ("rIdWeb", "webSettings", "webSettings.xml"),
        ("rIdFonts", "fontTable", "fontTable.xml"),
        ("rIdComments", "comments", "comments.xml"),
        ("rIdCommentsEx", "commentsExtended", "commentsExtended.xml"),
        ("rIdCommentsIds", "commentsIds", "commentsIds.xml"),
        ("rIdCommentsExt", "commentsExtensible", "commentsExtensible.xml"),
        ("rIdPeople", "people", "people.xml"),
        ("rIdPicture1", "image", "media/image1.gif"),
        ("rIdPicture2", "image", "media/image2.tif"),
        ("rIdPicture3", "image", "media/image3.bmp"),
        ("rIdPicture4", "image", "media/image4.emf"),
    )
    settings_rels = relationships(
        (
            "rIdTemplate",
            "attachedTemplate",
            "file:///C:\\Users\\maija.meikalainen\\AppData\\Roaming\\Microsoft\\Templates\\CV.dotm",
            "External",
        )
    )
    font_table_rels = relationships(("rIdFont1", "font", "fonts/font1.odttf"))
    word = "application/vnd.openxmlformats-officedocument.wordprocessingml"
    parts = {
        "[Content_Types].xml": content_types(
            {
                "rels": "application/vnd.openxmlformats-package.relationships+xml",
                "xml": "application/xml",
                "gif": "image/gif",
                "tif": "image/tiff",
                "bmp": "image/bmp",
                "emf": "image/x-emf",
                "jpeg": "image/jpeg",
                "odttf": "application/vnd.openxmlformats-officedocument.obfuscatedFont",
            },
            {
                "word/document.xml": f"{word}.document.main+xml",
                "word/styles.xml": f"{word}.styles+xml",
                "word/settings.xml": f"{word}.settings+xml",
                "word/webSettings.xml": f"{word}.webSettings+xml",
                "word/fontTable.xml": f"{word}.fontTable+xml",
                "word/comments.xml": f"{word}.comments+xml",
                "word/commentsExtended.xml": f"{word}.commentsExtended+xml",
                "word/commentsIds.xml": f"{word}.commentsIds+xml",
                "word/commentsExtensible.xml": f"{word}.commentsExtensible+xml",
                "word/people.xml": f"{word}.people+xml",
                **PROPERTY_TYPES,
            },
        ),
        "_rels/.rels": relationships(
            ("rId1", "officeDocument", "word/document.xml"),
            ("rId2", "metadata/core-properties", "docProps/core.xml"),
            ("rId3", "extended-properties", "docProps/app.xml"),
            ("rId4", "metadata/thumbnail", "docProps/thumbnail.jpeg"),
        ),
        "docProps/core.xml": samples.CORE_PROPERTIES,
        "docProps/app.xml": samples.APP_PROPERTIES.replace(
            "<Application>", "<Template>CV.dotm</Template><TotalTime>192</TotalTime><Application>"
        ),
        "docProps/thumbnail.jpeg": samples.camera_jpeg(),
        "word/document.xml": document,
        "word/_rels/document.xml.rels": document_rels,
        "word/styles.xml": f'{XML_HEAD}<w:styles xmlns:w="{W}"/>',
        "word/settings.xml": settings,
        "word/_rels/settings.xml.rels": settings_rels,
        "word/webSettings.xml": (
            f'{XML_HEAD}<w:webSettings xmlns:w="{W}"><w:optimizeForBrowser/></w:webSettings>'
        ),
        "word/fontTable.xml": b"",
        "word/_rels/fontTable.xml.rels": font_table_rels,
        "word/fonts/font1.odttf": bytes(range(256)) * 4,
        "word/comments.xml": comments,
        "word/commentsExtended.xml": comments_extended,
        "word/commentsIds.xml": comments_ids,
        "word/commentsExtensible.xml": comments_extensible,
        "word/people.xml": people,
        "word/media/image1.gif": samples.gif_with_metadata(),
        "word/media/image2.tif": samples.tiff_with_metadata(pages=1),
        "word/media/image3.bmp": bmp_with_hidden_data(),
        "word/media/image4.emf": emf_with_description(),
    }
    return package({**parts, **(extra or {})})


def excel_workbook(extra: dict[str, bytes | str] | None = None) -> bytes:
    """A workbook as Excel writes it: the folder it was saved in, a revision pointer with the
    document's id, the sharing user, printer settings a sheet's page set-up refers to, a
    threaded comment with its person and date, and a legacy comment."""
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    workbook = (
        f'{XML_HEAD}<workbook xmlns="{main}" xmlns:r="{R}" '
        'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
        'xmlns:x15ac="http://schemas.microsoft.com/office/spreadsheetml/2010/11/ac" '
        'xmlns:xr="http://schemas.microsoft.com/office/spreadsheetml/2014/revision" '
        'mc:Ignorable="x15ac xr">'
        '<fileVersion appName="xl" lastEdited="7" lowestEdited="7" rupBuild="27328"/>'
        f'<fileSharing userName="{samples.AUTHOR}"/>'
        '<mc:AlternateContent><mc:Choice Requires="x15">'
        '<x15ac:absPath url="C:\\Users\\maija.meikalainen\\Documents\\"/></mc:Choice>'
        "</mc:AlternateContent>"
        '<xr:revisionPtr revIDLastSave="0" '
        'documentId="13_ncr:1_{0B6F2C0E-7F1A-4A5C-9D2E-1F2A3B4C5D6E}"/>'
        '<sheets><sheet name="Palkat" sheetId="1" r:id="rId1"/></sheets></workbook>'
    )
    sheet = (
        f'{XML_HEAD}<worksheet xmlns="{main}" xmlns:r="{R}"><sheetData>'
        '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1"><v>3200</v></c></row></sheetData>'
        '<pageSetup paperSize="9" orientation="portrait" r:id="rId1"/>'
        '<legacyDrawing r:id="rId3"/></worksheet>'
    )
    person_id = "{4A1B2C3D-0000-4000-8000-000000000001}"
    threaded = (
        f'{XML_HEAD}<ThreadedComments xmlns="http://schemas.microsoft.com/office/spreadsheetml/2018/threadedcomments">'
        f'<threadedComment ref="A1" dT="2026-05-03T11:00:00.00" personId="{person_id}" '
        'id="{5B2C3D4E-0000-4000-8000-000000000002}"><text>Tarkista</text></threadedComment>'
        "</ThreadedComments>"
    )
    persons = (
        f'{XML_HEAD}<personList xmlns="http://schemas.microsoft.com/office/spreadsheetml/2018/threadedcomments">'
        f'<person displayName="{samples.COMMENTER}" id="{person_id}" '
        'userId="kalle@example.fi" providerId="AD"/></personList>'
    )
    comments = (
        f'{XML_HEAD}<comments xmlns="{main}"><authors><author>tc={person_id}</author>'
        f"<author>{samples.COMMENTER}</author></authors><commentList>"
        '<comment ref="A1" authorId="0"><text><t>Tarkista</t></text></comment>'
        "</commentList></comments>"
    )
    sheet_ml = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    parts = {
        "[Content_Types].xml": content_types(
            {
                "rels": "application/vnd.openxmlformats-package.relationships+xml",
                "xml": "application/xml",
                "bin": f"{sheet_ml}.printerSettings",
                "vml": "application/vnd.openxmlformats-officedocument.vmlDrawing",
            },
            {
                "xl/workbook.xml": f"{sheet_ml}.sheet.main+xml",
                "xl/worksheets/sheet1.xml": f"{sheet_ml}.worksheet+xml",
                "xl/sharedStrings.xml": f"{sheet_ml}.sharedStrings+xml",
                "xl/comments1.xml": f"{sheet_ml}.comments+xml",
                "xl/threadedComments/threadedComment1.xml": (
                    "application/vnd.ms-excel.threadedcomments+xml"
                ),
                "xl/persons/person.xml": "application/vnd.ms-excel.person+xml",
                **PROPERTY_TYPES,
            },
        ),
        "_rels/.rels": relationships(
            ("rId1", "officeDocument", "xl/workbook.xml"),
            ("rId2", "metadata/core-properties", "docProps/core.xml"),
            ("rId3", "extended-properties", "docProps/app.xml"),
        ),
        "docProps/core.xml": samples.CORE_PROPERTIES,
        "docProps/app.xml": samples.APP_PROPERTIES,
        "xl/workbook.xml": workbook,
        "xl/_rels/workbook.xml.rels": relationships(
            ("rId1", "worksheet", "worksheets/sheet1.xml"),
            ("rId2", "sharedStrings", "sharedStrings.xml"),
            (
                "rId3",
                "http://schemas.microsoft.com/office/2017/10/relationships/person",
                "persons/person.xml",
            ),
        ).replace(f"{OFFICE_RELS}/http", "http"),
        "xl/sharedStrings.xml": (
            f'{XML_HEAD}<sst xmlns="{main}" count="1" uniqueCount="1"><si><t>Palkka</t></si></sst>'
        ),
        "xl/worksheets/sheet1.xml": sheet,
        "xl/worksheets/_rels/sheet1.xml.rels": relationships(
            ("rId1", "printerSettings", "../printerSettings/printerSettings1.bin"),
            ("rId2", "comments", "../comments1.xml"),
            ("rId3", "vmlDrawing", "../drawings/vmlDrawing1.vml"),
            (
                "rId4",
                "http://schemas.microsoft.com/office/2017/10/relationships/threadedComment",
                "../threadedComments/threadedComment1.xml",
            ),
        ).replace(f"{OFFICE_RELS}/http", "http"),
        "xl/printerSettings/printerSettings1.bin": devmode(),
        "xl/comments1.xml": comments,
        "xl/threadedComments/threadedComment1.xml": threaded,
        "xl/persons/person.xml": persons,
        "xl/drawings/vmlDrawing1.vml": (
            '<xml xmlns:v="urn:schemas-microsoft-com:vml" '
            'xmlns:o="urn:schemas-microsoft-com:office:office">'
            '<v:shape id="_x0000_s1025" type="#_x0000_t202"><v:imagedata o:href="file:///C:/Users/'
            'maija.meikalainen/Kuvat/kuva.png"/></v:shape></xml>'
        ),
    }
    return package({**parts, **(extra or {})})


def powerpoint_presentation(embedded: bytes | None = None) -> bytes:
    """A presentation as PowerPoint writes it: slide creation ids, modern comments with their
    authors' accounts and dates, and a chart's data as an embedded workbook."""
    main = "http://schemas.openxmlformats.org/presentationml/2006/main"
    drawing = "http://schemas.openxmlformats.org/drawingml/2006/main"
    p188 = "http://schemas.microsoft.com/office/powerpoint/2018/8/main"
    author_id = "{7C3D4E5F-0000-4000-8000-000000000003}"
    slide = (
        f'{XML_HEAD}<p:sld xmlns:p="{main}" xmlns:a="{drawing}" xmlns:r="{R}"><p:cSld><p:spTree>'
        f"<p:sp><p:txBody><a:p><a:r><a:t>{samples.DOCUMENT_TEXT}</a:t></a:r></a:p></p:txBody></p:sp>"
        '</p:spTree></p:cSld><p:extLst><p:ext uri="{BB962C8B-B14F-4D97-AF65-F5344CB8AC3E}">'
        '<p14:creationId xmlns:p14="http://schemas.microsoft.com/office/powerpoint/2010/main" '
        'val="2871236721"/></p:ext></p:extLst></p:sld>'
    )
    authors = (
        f'{XML_HEAD}<p188:authorLst xmlns:p188="{p188}"><p188:author id="{author_id}" '
        f'name="{samples.COMMENTER}" initials="KK" userId="kalle@example.fi" providerId="AD"/>'
        "</p188:authorLst>"
    )
    comments = (
        f'{XML_HEAD}<p188:cmLst xmlns:p188="{p188}" xmlns:a="{drawing}">'
        f'<p188:cm id="{{1D2E3F4A-0000-4000-8000-000000000004}}" authorId="{author_id}" '
        'created="2026-05-03T11:00:00.000"><p188:replyLst>'
        f'<p188:reply id="{{2E3F4A5B-0000-4000-8000-000000000005}}" authorId="{author_id}" '
        'created="2026-05-03T12:00:00.000"><p188:txBody><a:p><a:r><a:t>Samaa mieltä</a:t>'
        "</a:r></a:p></p188:txBody></p188:reply></p188:replyLst>"
        "<p188:txBody><a:p><a:r><a:t>Lisää kuva</a:t></a:r></a:p></p188:txBody></p188:cm>"
        "</p188:cmLst>"
    )
    presentation_ml = "application/vnd.openxmlformats-officedocument.presentationml"
    parts = {
        "[Content_Types].xml": content_types(
            {
                "rels": "application/vnd.openxmlformats-package.relationships+xml",
                "xml": "application/xml",
                "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            },
            {
                "ppt/presentation.xml": f"{presentation_ml}.presentation.main+xml",
                "ppt/slides/slide1.xml": f"{presentation_ml}.slide+xml",
                "ppt/authors.xml": "application/vnd.ms-powerpoint.authors+xml",
                "ppt/comments/modernComment_100_ABCD1234.xml": (
                    "application/vnd.ms-powerpoint.comments+xml"
                ),
                "docProps/core.xml": PROPERTY_TYPES["docProps/core.xml"],
            },
        ),
        "_rels/.rels": relationships(
            ("rId1", "officeDocument", "ppt/presentation.xml"),
            ("rId2", "metadata/core-properties", "docProps/core.xml"),
        ),
        "docProps/core.xml": samples.CORE_PROPERTIES,
        "ppt/presentation.xml": f'{XML_HEAD}<p:presentation xmlns:p="{main}"/>',
        "ppt/_rels/presentation.xml.rels": relationships(
            ("rId1", "slide", "slides/slide1.xml"),
            (
                "rId2",
                "http://schemas.microsoft.com/office/2018/10/relationships/authors",
                "authors.xml",
            ),
        ).replace(f"{OFFICE_RELS}/http", "http"),
        "ppt/slides/slide1.xml": slide,
        "ppt/slides/_rels/slide1.xml.rels": relationships(
            (
                "rId1",
                "http://schemas.microsoft.com/office/2018/10/relationships/comments",
                "../comments/modernComment_100_ABCD1234.xml",
            ),
            ("rId2", "package", "../embeddings/Microsoft_Excel_Worksheet.xlsx"),
        ).replace(f"{OFFICE_RELS}/http", "http"),
        "ppt/authors.xml": authors,
        "ppt/comments/modernComment_100_ABCD1234.xml": comments,
        "ppt/embeddings/Microsoft_Excel_Worksheet.xlsx": embedded or excel_workbook(),
    }
    return package(parts)
