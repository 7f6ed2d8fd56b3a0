"""Sample files full of identifying metadata, built by the tests themselves.

Every sample carries the same give-aways, so a test can search a cleaned file for them: the
author's name, a street address, a camera serial number and the GPS position of Helsinki's
railway station.
"""

import io
import struct
import zipfile
import zlib

import piexif
import pikepdf
import pillow_heif
from pikepdf import Array, Dictionary, Name
from PIL import Image, PngImagePlugin, TiffImagePlugin

AUTHOR = "Maija Meikäläinen"
COMMENTER = "Kalle Kommentoija"
COMPANY = "Salainen Oy"
ADDRESS = "Kaivokatu 1"
SERIAL = "SN-998877"
LATITUDE = ((60, 1), (10, 1), (16, 1))
LONGITUDE = ((24, 1), (56, 1), (29, 1))
XMP_PACKET = (
    '<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>'
    '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
    'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    '<rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/" '
    'xmlns:exif="http://ns.adobe.com/exif/1.0/" exif:GPSLatitude="60,10.27N">'
    f"<dc:creator><rdf:Seq><rdf:li>{AUTHOR}</rdf:li></rdf:Seq></dc:creator>"
    '</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>'
).encode()
GIVE_AWAYS = (AUTHOR.encode(), COMMENTER.encode(), COMPANY.encode(), ADDRESS.encode(), b"SN-998877")


def give_aways_in(data: bytes) -> list[bytes]:
    return [found for found in GIVE_AWAYS if found in data]


def photo(width: int = 96, height: int = 64) -> Image.Image:
    """A picture with structure in it, so lossy coding and orientation show."""
    image = Image.new("RGB", (width, height))
    image.putdata(
        [
            ((x * 255) // width, (y * 255) // height, ((x // 8 + y // 8) % 2) * 200)
            for y in range(height)
            for x in range(width)
        ]
    )
    return image


def camera_exif(orientation: int = 6, thumbnail: bool = True) -> bytes:
    """EXIF as a phone writes it: camera, owner, serial numbers, GPS and a thumbnail that has
    EXIF of its own."""
    tags = {
        "0th": {
            piexif.ImageIFD.Make: b"Canon",
            piexif.ImageIFD.Model: b"EOS 5D",
            piexif.ImageIFD.Orientation: orientation,
            piexif.ImageIFD.Artist: AUTHOR.encode(),
            piexif.ImageIFD.ImageDescription: ADDRESS.encode(),
        },
        "Exif": {
            piexif.ExifIFD.BodySerialNumber: SERIAL.encode(),
            piexif.ExifIFD.MakerNote: b"maker note " + SERIAL.encode(),
            piexif.ExifIFD.DateTimeOriginal: b"2026:05:01 12:00:00",
        },
        "GPS": {
            piexif.GPSIFD.GPSLatitudeRef: b"N",
            piexif.GPSIFD.GPSLatitude: LATITUDE,
            piexif.GPSIFD.GPSLongitudeRef: b"E",
            piexif.GPSIFD.GPSLongitude: LONGITUDE,
        },
    }
    if thumbnail:
        small = io.BytesIO()
        photo(32, 24).save(small, "JPEG", exif=camera_exif(orientation, thumbnail=False))
        tags["1st"] = {piexif.ImageIFD.Compression: 6}
        tags["thumbnail"] = small.getvalue()
    return piexif.dump(tags)


def segment(marker: int, payload: bytes) -> bytes:
    return bytes((0xFF, marker)) + struct.pack(">H", len(payload) + 2) + payload


def jpeg_with_metadata(orientation: int = 6, image: Image.Image | None = None) -> bytes:
    """A photo with EXIF (GPS, serials, thumbnail), XMP and extended XMP, IPTC, a comment, a
    multi-picture segment and a second picture after the end of the first."""
    buffer = io.BytesIO()
    (image or photo()).save(buffer, "JPEG", quality=90, exif=camera_exif(orientation))
    data = buffer.getvalue()
    extended_xmp = (
        b"http://ns.adobe.com/xmp/extension/\x00"
        + b"0" * 32
        + struct.pack(">II", len(XMP_PACKET), 0)
        + XMP_PACKET
    )
    iptc = b"\x1c\x02\x50" + struct.pack(">H", len(AUTHOR.encode())) + AUTHOR.encode()
    photoshop = b"Photoshop 3.0\x00" + b"8BIM\x04\x04\x00\x00" + struct.pack(">I", len(iptc)) + iptc
    extra = (
        segment(0xE1, b"http://ns.adobe.com/xap/1.0/\x00" + XMP_PACKET)
        + segment(0xE1, extended_xmp)
        + segment(0xED, photoshop)
        + segment(0xFE, f"Kuvattu osoitteessa {ADDRESS}".encode())
        + segment(0xE2, b"MPF\x00" + b"\x00" * 16)
    )
    second_picture = io.BytesIO()
    photo(16, 16).save(second_picture, "JPEG", exif=camera_exif(1, thumbnail=False))
    return data[:2] + extra + data[2:] + second_picture.getvalue()


def png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def png_with_metadata(image: Image.Image | None = None) -> bytes:
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", AUTHOR)
    info.add_text("Comment", f"Kuvattu osoitteessa {ADDRESS}", zip=True)
    info.add_itxt("XML:com.adobe.xmp", XMP_PACKET.decode())
    buffer = io.BytesIO()
    (image or photo()).save(buffer, "PNG", pnginfo=info, exif=camera_exif(1, thumbnail=False))
    data = buffer.getvalue()
    end = data.rindex(b"IEND") - 4
    extra = png_chunk(b"tIME", struct.pack(">HBBBBB", 2026, 5, 1, 12, 0, 0)) + png_chunk(
        b"prVt", SERIAL.encode()
    )
    return data[:end] + extra + data[end:]


def webp_with_metadata(orientation: int = 6, lossless: bool = False) -> bytes:
    buffer = io.BytesIO()
    photo().save(
        buffer,
        "WEBP",
        exif=camera_exif(orientation, thumbnail=False),
        xmp=XMP_PACKET,
        lossless=lossless,
    )
    return buffer.getvalue()


def gif_with_metadata() -> bytes:
    """An animated GIF (two frames, looping) with a comment naming a place, XMP with the
    author and a GPS position, and a serial number after its end."""
    first = photo(32, 24).convert("P")
    second = photo(32, 24).transpose(Image.Transpose.FLIP_LEFT_RIGHT).convert("P")
    buffer = io.BytesIO()
    first.save(
        buffer,
        "GIF",
        save_all=True,
        append_images=[second],
        loop=0,
        duration=200,
        comment=f"Kuvattu osoitteessa {ADDRESS}".encode(),
    )
    xmp_trailer = bytes([1]) + bytes(range(255, -1, -1)) + b"\x00"
    xmp = b"\x21\xff\x0bXMP DataXMP" + XMP_PACKET + xmp_trailer
    return buffer.getvalue()[:-1] + xmp + b";" + SERIAL.encode()


def gps_directory(at: int) -> bytes:
    """A little-endian GPS image file directory placed at offset `at` of a TIFF file."""
    values_at = at + 2 + 4 * 12 + 4
    latitude, longitude = (
        b"".join(struct.pack("<II", *part) for part in position)
        for position in (LATITUDE, LONGITUDE)
    )
    entries = [
        struct.pack("<HHI4s", 1, 2, 2, b"N"),
        struct.pack("<HHII", 2, 5, 3, values_at),
        struct.pack("<HHI4s", 3, 2, 2, b"E"),
        struct.pack("<HHII", 4, 5, 3, values_at + 24),
    ]
    return struct.pack("<H", len(entries)) + b"".join(entries) + bytes(4) + latitude + longitude


def tiff_with_metadata(pages: int = 2, compression: str = "tiff_lzw") -> bytes:
    """A scan as a TIFF: pages with the scanner's software and make, the author as artist, the
    address as description, the company as copyright, XMP and a GPS directory."""

    def saved(gps_at: int) -> bytes:
        info = TiffImagePlugin.ImageFileDirectory_v2()
        info[271], info[272], info[305] = "Canon", "imageFORMULA", "Scanner 1.0"
        info[315], info[270], info[33432] = AUTHOR, ADDRESS, COMPANY
        info[700] = XMP_PACKET
        info.tagtype[700] = 1
        info[34853] = gps_at
        info.tagtype[34853] = 4
        buffer = io.BytesIO()
        rest = [photo(48, 64).convert("L") for _ in range(pages - 1)]
        photo(64, 48).save(
            buffer,
            "TIFF",
            tiffinfo=info,
            compression=compression,
            save_all=True,
            append_images=rest,
        )
        return buffer.getvalue()

    length = len(saved(0))
    at = length + length % 2
    data = saved(at)
    return data + bytes(at - len(data)) + gps_directory(at)


def heic_with_metadata(width: int = 96, height: int = 64) -> bytes:
    heif = pillow_heif.from_pillow(photo(width, height))
    buffer = io.BytesIO()
    heif.save(buffer, exif=camera_exif(1, thumbnail=False), xmp=XMP_PACKET, quality=90)
    return buffer.getvalue()


def pdf_with_metadata(
    pages: int = 2, picture: bytes | None = None, size: tuple[int, int] = (96, 64)
) -> bytes:
    """A PDF with text, a GPS-tagged photo on each page, document information, XMP (document
    and page level), application data and an embedded file."""
    document = pikepdf.new()
    font = document.make_indirect(
        Dictionary(Type=Name.Font, Subtype=Name.Type1, BaseFont=Name.Helvetica)
    )
    image = pikepdf.Stream(document, picture or jpeg_with_metadata(orientation=1))
    image.update(
        {
            "/Type": Name.XObject,
            "/Subtype": Name.Image,
            "/Width": size[0],
            "/Height": size[1],
            "/ColorSpace": Name.DeviceRGB,
            "/BitsPerComponent": 8,
            "/Filter": Name.DCTDecode,
        }
    )
    for number in range(1, pages + 1):
        content = (
            f"BT /F1 18 Tf 72 720 Td (Ansioluettelo sivu {number}) Tj ET "
            "q 192 0 0 128 72 400 cm /Im1 Do Q"
        ).encode()
        page = Dictionary(
            Type=Name.Page,
            MediaBox=Array([0, 0, 595, 842]),
            Resources=Dictionary(
                Font=Dictionary(F1=font), XObject=Dictionary(Im1=document.make_indirect(image))
            ),
            Contents=pikepdf.Stream(document, content),
            PieceInfo=Dictionary(Word=Dictionary(Private=pikepdf.String(AUTHOR))),
        )
        document.pages.append(pikepdf.Page(page))
    document.docinfo["/Author"] = AUTHOR
    document.docinfo["/Creator"] = f"Word ({COMPANY})"
    document.docinfo["/Title"] = f"CV, {ADDRESS}"
    with document.open_metadata(set_pikepdf_as_editor=False) as meta:
        meta["dc:creator"] = [AUTHOR]
        meta["dc:description"] = ADDRESS
    document.pages[0].obj.Metadata = document.make_stream(XMP_PACKET)
    attached = pikepdf.AttachedFileSpec(document, ADDRESS.encode(), mime_type="text/plain")
    document.attachments["kotiosoite.txt"] = attached
    document.pages[0].obj.Annots = Array(
        [
            Dictionary(
                Type=Name.Annot,
                Subtype=Name.FileAttachment,
                Rect=Array([10, 10, 30, 30]),
                FS=attached.obj,
            )
        ]
    )
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def camera_jpeg(width: int = 48, height: int = 32) -> bytes:
    """A small photo with a phone's EXIF (GPS, serial numbers, a thumbnail) and nothing else."""
    buffer = io.BytesIO()
    photo(width, height).save(buffer, "JPEG", quality=90, exif=camera_exif(orientation=1))
    return buffer.getvalue()


def inline_image(picture: bytes, declaration: bytes = b"/F /DCT") -> bytes:
    """A 48×32 RGB image drawn inline in a content stream: BI, its declaration, ID, data, EI."""
    return b"BI /W 48 /H 32 /CS /RGB /BPC 8 " + declaration + b" ID " + picture + b"\nEI"


PHOTO_PLACES = ("page", "form", "pattern", "appearance", "glyph")


def pdf_drawing_a_photo(place: str = "page", drawing: bytes | None = None) -> bytes:
    """One page of text and `camera_jpeg()` drawn inline from the page's content, a form
    XObject, a tiling pattern, an annotation's appearance or a Type 3 glyph. `drawing` replaces
    the inline image: `/Im1 Do` draws the photo as an image object instead."""
    document = pikepdf.new()
    picture = camera_jpeg()
    images = Dictionary()
    if drawing is None:
        drawing = inline_image(picture)
    else:
        images.Im1 = document.make_stream(
            picture,
            Type=Name.XObject,
            Subtype=Name.Image,
            Width=48,
            Height=32,
            ColorSpace=Name.DeviceRGB,
            BitsPerComponent=8,
            Filter=Name.DCTDecode,
        )
    painting = b"q 48 0 0 32 0 0 cm " + drawing + b" Q"
    drawn = {"BBox": Array([0, 0, 48, 32]), "Resources": Dictionary(XObject=images)}
    helvetica = Dictionary(Type=Name.Font, Subtype=Name.Type1, BaseFont=Name.Helvetica)
    resources = Dictionary(Font=Dictionary(F1=helvetica), XObject=Dictionary(images))
    page = Dictionary(Type=Name.Page, MediaBox=Array([0, 0, 595, 842]), Resources=resources)
    content = b"BT /F1 18 Tf 72 720 Td (Ansioluettelo) Tj ET "
    if place == "page":
        content += painting
    elif place == "form":
        resources.XObject.Fm1 = document.make_stream(painting, Subtype=Name.Form, **drawn)
        content += b"q 4 0 0 4 72 400 cm /Fm1 Do Q"
    elif place == "pattern":
        resources.Pattern = Dictionary(
            P1=document.make_stream(
                painting, PatternType=1, PaintType=1, TilingType=1, XStep=48, YStep=32, **drawn
            )
        )
        content += b"/Pattern cs /P1 scn 72 400 192 128 re f"
    elif place == "appearance":
        appearance = document.make_stream(painting, Subtype=Name.Form, **drawn)
        page.Annots = Array(
            [
                Dictionary(
                    Type=Name.Annot,
                    Subtype=Name.Stamp,
                    Rect=Array([72, 400, 264, 528]),
                    AP=Dictionary(N=appearance),
                )
            ]
        )
    elif place == "glyph":
        resources.Font.T3 = Dictionary(
            Type=Name.Font,
            Subtype=Name.Type3,
            FontBBox=drawn["BBox"],
            FontMatrix=Array([0.02, 0, 0, 0.02, 0, 0]),
            CharProcs=Dictionary(a=document.make_stream(b"48 0 d0 " + painting)),
            Encoding=Dictionary(Type=Name.Encoding, Differences=Array([97, Name.a])),
            FirstChar=97,
            LastChar=97,
            Widths=Array([48]),
            Resources=drawn["Resources"],
        )
        content += b"BT /T3 200 Tf 72 400 Td (a) Tj ET"
    page.Contents = document.make_stream(content)
    document.pages.append(pikepdf.Page(page))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Default Extension="jpeg" ContentType="image/jpeg"/>'
    '<Override PartName="/{main}" ContentType="{main_type}"/>'
    '<Override PartName="/docProps/core.xml" '
    'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
    '<Override PartName="/docProps/app.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>'
    '<Override PartName="/docProps/custom.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.custom-properties+xml"/>'
    "</Types>"
)
PACKAGE_RELATIONSHIPS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="{main}"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/'
    'metadata/core-properties" Target="docProps/core.xml"/>'
    '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/extended-properties" Target="docProps/app.xml"/>'
    '<Relationship Id="rId4" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/custom-properties" Target="docProps/custom.xml"/>'
    "</Relationships>"
)
CORE_PROPERTIES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
    'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
    'xmlns:dcterms="http://purl.org/dc/terms/" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
    f"<dc:title>CV</dc:title><dc:creator>{AUTHOR}</dc:creator>"
    f"<cp:lastModifiedBy>{AUTHOR}</cp:lastModifiedBy>"
    '<dcterms:created xsi:type="dcterms:W3CDTF">2026-05-01T12:00:00Z</dcterms:created>'
    "</cp:coreProperties>"
)
APP_PROPERTIES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
    'extended-properties"><Application>Microsoft Office Word</Application>'
    f"<Company>{COMPANY}</Company><Manager>{COMMENTER}</Manager></Properties>"
)
CUSTOM_PROPERTIES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
    'custom-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/'
    'docPropsVTypes"><property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" '
    f'name="Kotiosoite"><vt:lpwstr>{ADDRESS}</vt:lpwstr></property></Properties>'
)
WORD = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
DOCX_MAIN_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
DOCUMENT_TEXT = "Ansioluettelo: kymmenen vuotta projektipäällikkönä"


def office_package(main: str, main_type: str, parts: dict[str, bytes | str]) -> bytes:
    """An OOXML package with core, extended and custom properties and the given parts."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml", CONTENT_TYPES.format(main=main, main_type=main_type)
        )
        archive.writestr("_rels/.rels", PACKAGE_RELATIONSHIPS.format(main=main))
        archive.writestr("docProps/core.xml", CORE_PROPERTIES)
        archive.writestr("docProps/app.xml", APP_PROPERTIES)
        archive.writestr("docProps/custom.xml", CUSTOM_PROPERTIES)
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def docx_with_metadata(photos: list[bytes] | None = None, main_type: str = DOCX_MAIN_TYPE) -> bytes:
    """A CV: text with a tracked change and a comment, GPS-tagged photos, custom XML data and
    a template attached from the author's own folder."""
    photos = photos if photos is not None else [jpeg_with_metadata(orientation=1)]
    image_relationships = "".join(
        f'<Relationship Id="rIdImage{number}" Type="http://schemas.openxmlformats.org/'
        f'officeDocument/2006/relationships/image" Target="media/image{number}.jpeg"/>'
        for number in range(1, len(photos) + 1)
    )
    document = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<w:document xmlns:w="{WORD}" xmlns:w14="http://schemas.microsoft.com/office/word/'
        '2010/wordml" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
        'mc:Ignorable="w14"><w:body>'
        f"<w:p><w:r><w:t>{DOCUMENT_TEXT}</w:t></w:r></w:p>"
        f'<w:p><w:ins w:id="1" w:author="{AUTHOR}" w:date="2026-05-01T12:00:00Z">'
        "<w:r><w:t>Lisätty</w:t></w:r></w:ins>"
        '<w:commentRangeStart w:id="0"/><w:r><w:t>Kommentoitu</w:t></w:r>'
        '<w:commentRangeEnd w:id="0"/></w:p></w:body></w:document>'
    )
    comments = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<w:comments xmlns:w="{WORD}"><w:comment w:id="0" w:author="{COMMENTER}" '
        'w:initials="KK"><w:p><w:r><w:t>Hyvä!</w:t></w:r></w:p></w:comment></w:comments>'
    )
    people = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<w15:people xmlns:w15="http://schemas.microsoft.com/office/word/2012/wordml">'
        f'<w15:person w15:author="{COMMENTER}"><w15:presenceInfo w15:providerId="AD" '
        'w15:userId="S::kalle@example.fi::1234"/></w15:person></w15:people>'
    )
    relationships = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        + image_relationships
        + '<Relationship Id="rIdComments" Type="http://schemas.openxmlformats.org/'
        'officeDocument/2006/relationships/comments" Target="comments.xml"/>'
        '<Relationship Id="rIdPeople" Type="http://schemas.microsoft.com/office/2011/'
        'relationships/people" Target="people.xml"/>'
        '<Relationship Id="rIdCustomXml" Type="http://schemas.openxmlformats.org/'
        'officeDocument/2006/relationships/customXml" Target="../customXml/item1.xml"/>'
        '<Relationship Id="rIdTemplate" Type="http://schemas.openxmlformats.org/'
        'officeDocument/2006/relationships/attachedTemplate" '
        'Target="file:///C:/Users/maija.meikalainen/Templates/CV.dotx" TargetMode="External"/>'
        "</Relationships>"
    )
    parts = {
        "word/document.xml": document,
        "word/comments.xml": comments,
        "word/people.xml": people,
        "word/_rels/document.xml.rels": relationships,
        "customXml/item1.xml": f"<kentät><sähköposti>{AUTHOR}@example.fi</sähköposti></kentät>",
    }
    for number, picture in enumerate(photos, start=1):
        parts[f"word/media/image{number}.jpeg"] = picture
    return office_package("word/document.xml", main_type, parts)


def xlsx_with_metadata() -> bytes:
    workbook = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<sheets><sheet name="Palkat" sheetId="1"/></sheets></workbook>'
    )
    comments = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<comments xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f"<authors><author>{COMMENTER}</author></authors><commentList/></comments>"
    )
    return office_package(
        "xl/workbook.xml",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
        {"xl/workbook.xml": workbook, "xl/comments1.xml": comments},
    )


def pptx_with_metadata() -> bytes:
    presentation = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<p:presentation xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"/>'
    )
    authors = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<p:cmAuthorLst xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main">'
        f'<p:cmAuthor id="1" name="{COMMENTER}" initials="KK" lastIdx="1" clrIdx="0"/>'
        "</p:cmAuthorLst>"
    )
    return office_package(
        "ppt/presentation.xml",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
        {
            "ppt/presentation.xml": presentation,
            "ppt/commentAuthors.xml": authors,
            "ppt/media/image1.jpeg": jpeg_with_metadata(orientation=1),
        },
    )


OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
ODT_NAMESPACES = (
    f'xmlns:office="{OFFICE}" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" '
    'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" '
    'xmlns:config="urn:oasis:names:tc:opendocument:xmlns:config:1.0" office:version="1.3"'
)


def odt_with_metadata(photos: list[bytes] | None = None) -> bytes:
    """A CV with an annotation, metadata, a printer and GPS-tagged photos (`Pictures/kuva.jpg`
    first)."""
    photos = photos if photos is not None else [jpeg_with_metadata(orientation=1)]
    pictures = {
        f"Pictures/kuva{number if number > 1 else ''}.jpg": photo
        for number, photo in enumerate(photos, start=1)
    }
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ODT_NAMESPACES}>'
        f"<office:body><office:text><text:p>{DOCUMENT_TEXT}"
        f"<office:annotation><dc:creator>{COMMENTER}</dc:creator>"
        "<text:p>Hyvä!</text:p></office:annotation></text:p>"
        "</office:text></office:body></office:document-content>"
    )
    meta = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-meta {ODT_NAMESPACES}>'
        f"<office:meta><meta:initial-creator>{AUTHOR}</meta:initial-creator>"
        f"<dc:creator>{AUTHOR}</dc:creator><meta:editing-duration>PT3H</meta:editing-duration>"
        f'<meta:user-defined meta:name="Kotiosoite">{ADDRESS}</meta:user-defined>'
        "</office:meta></office:document-meta>"
    )
    settings = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-settings {ODT_NAMESPACES}>'
        '<office:settings><config:config-item-set config:name="ooo:configuration-settings">'
        f'<config:config-item config:name="PrinterName" config:type="string">{COMPANY} '
        "kerros 3</config:config-item></config:config-item-set></office:settings>"
        "</office:document-settings>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest='
        '"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">'
        '<manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.text"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        '<manifest:file-entry manifest:full-path="meta.xml" manifest:media-type="text/xml"/>'
        '<manifest:file-entry manifest:full-path="settings.xml" manifest:media-type="text/xml"/>'
        + "".join(
            f'<manifest:file-entry manifest:full-path="{name}" manifest:media-type="image/jpeg"/>'
            for name in pictures
        )
        + "</manifest:manifest>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", content)
        archive.writestr("meta.xml", meta)
        archive.writestr("settings.xml", settings)
        for name, picture in pictures.items():
            archive.writestr(name, picture)
        archive.writestr("META-INF/manifest.xml", manifest)
    return buffer.getvalue()
