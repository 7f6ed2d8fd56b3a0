"""Writes the office documents beside this script with LibreOffice, as real office software
writes them, so the tests clean files nobody shaped by hand.

Run `.venv/bin/python -m tests.media.libreoffice.make_samples` where LibreOffice is installed
(Debian: libreoffice-writer-nogui, libreoffice-calc-nogui, libreoffice-impress-nogui). The
written files are committed, so the tests need no LibreOffice.

Each source is an OpenDocument flat XML file written here: a text, a spreadsheet and a
presentation, each with an author and dates in its metadata, a user-defined field, a printer
in its settings, revision-session ids, a comment with its author's name, initials and date, a
tracked change (text and spreadsheet) and pictures — a GPS-tagged photo (JPEG), an animated
GIF with a comment and XMP, a PNG with text notes and a scanned page as TIFF. LibreOffice
opens each and saves it as OpenDocument and as Office Open XML.
"""

import base64
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from tests.media import samples

HERE = Path(__file__).parent
CONVERSIONS = {
    "cv.fodt": ("odt", "docx:MS Word 2007 XML"),
    "palkat.fods": ("ods", "xlsx:Calc MS Excel 2007 XML"),
    "esitys.fodp": ("odp", "pptx:Impress MS PowerPoint 2007 XML"),
}
PRINTER = f"{samples.COMPANY} kerros 3"
NAMESPACES = " ".join(
    f'xmlns:{prefix}="{uri}"'
    for prefix, uri in {
        "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
        "style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
        "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
        "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
        "draw": "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0",
        "presentation": "urn:oasis:names:tc:opendocument:xmlns:presentation:1.0",
        "svg": "urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0",
        "fo": "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0",
        "xlink": "http://www.w3.org/1999/xlink",
        "dc": "http://purl.org/dc/elements/1.1/",
        "meta": "urn:oasis:names:tc:opendocument:xmlns:meta:1.0",
        "config": "urn:oasis:names:tc:opendocument:xmlns:config:1.0",
        "officeooo": "http://openoffice.org/2009/office",
        "loext": "urn:org:documentfoundation:names:experimental:office:xmlns:loext:1.0",
    }.items()
)


def meta() -> str:
    return (
        "<office:meta>"
        f"<meta:initial-creator>{samples.AUTHOR}</meta:initial-creator>"
        f"<dc:creator>{samples.AUTHOR}</dc:creator>"
        "<meta:creation-date>2026-05-01T12:00:00</meta:creation-date>"
        "<dc:date>2026-05-02T12:00:00</dc:date>"
        "<meta:editing-cycles>7</meta:editing-cycles>"
        "<meta:editing-duration>PT3H12M</meta:editing-duration>"
        f"<meta:printed-by>{samples.AUTHOR}</meta:printed-by>"
        "<meta:print-date>2026-05-02T13:00:00</meta:print-date>"
        '<meta:template xlink:type="simple" xlink:title="CV" '
        'xlink:href="file:///home/maija.meikalainen/Mallit/cv.ott"/>'
        f'<meta:user-defined meta:name="Kotiosoite">{samples.ADDRESS}</meta:user-defined>'
        "</office:meta>"
    )


def settings() -> str:
    items = {
        "PrinterName": ("string", PRINTER),
        "PrinterSetup": ("base64Binary", base64.b64encode(PRINTER.encode()).decode()),
        "Rsid": ("int", "1150676"),
        "RsidRoot": ("int", "1150676"),
    }
    return (
        '<office:settings><config:config-item-set config:name="ooo:configuration-settings">'
        + "".join(
            f'<config:config-item config:name="{name}" config:type="{kind}">{value}'
            "</config:config-item>"
            for name, (kind, value) in items.items()
        )
        + "</config:config-item-set></office:settings>"
    )


def annotation(text: str) -> str:
    return (
        f"<office:annotation><dc:creator>{samples.COMMENTER}</dc:creator>"
        "<dc:date>2026-05-03T11:00:00</dc:date>"
        "<meta:creator-initials>KK</meta:creator-initials>"
        f"<text:p>{text}</text:p></office:annotation>"
    )


def change_info() -> str:
    return (
        f"<office:change-info><dc:creator>{samples.COMMENTER}</dc:creator>"
        "<dc:date>2026-05-03T10:00:00</dc:date></office:change-info>"
    )


def picture(name: str, data: bytes, width: str = "3cm", height: str = "2cm") -> str:
    return (
        f'<draw:frame draw:name="{name}" svg:width="{width}" svg:height="{height}" '
        'text:anchor-type="as-char"><draw:image><office:binary-data>'
        f"{base64.b64encode(data).decode()}"
        "</office:binary-data></draw:image></draw:frame>"
    )


def pictures() -> dict[str, bytes]:
    return {
        "valokuva": samples.camera_jpeg(96, 64),
        "animaatio": samples.gif_with_metadata(),
        "kaavio": samples.png_with_metadata(samples.photo(48, 32)),
        "skannaus": samples.tiff_with_metadata(pages=1),
    }


def text_document() -> str:
    drawn = "".join(picture(name, data) for name, data in pictures().items())
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document {NAMESPACES} '
        'office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text">'
        + meta()
        + settings()
        + "<office:automatic-styles>"
        '<style:style style:name="P1" style:family="paragraph">'
        '<style:text-properties officeooo:rsid="0011a2b3" officeooo:paragraph-rsid="0011a2b3"/>'
        "</style:style>"
        '<style:style style:name="T1" style:family="text">'
        '<style:text-properties officeooo:rsid="0022c4d5"/></style:style>'
        "</office:automatic-styles><office:body><office:text>"
        '<text:tracked-changes text:track-changes="true">'
        '<text:changed-region text:id="ct1"><text:insertion>'
        + change_info()
        + "</text:insertion></text:changed-region>"
        '<text:changed-region text:id="ct2"><text:deletion>'
        + change_info()
        + "<text:p>vanha taito</text:p></text:deletion></text:changed-region>"
        "</text:tracked-changes>"
        f'<text:h text:outline-level="1">Ansioluettelo</text:h>'
        f'<text:p text:style-name="P1">{samples.DOCUMENT_TEXT}</text:p>'
        '<text:p text:style-name="P1">Taidot: <text:change text:change-id="ct2"/>'
        '<text:change-start text:change-id="ct1"/>'
        '<text:span text:style-name="T1">uusi taito</text:span>'
        '<text:change-end text:change-id="ct1"/>.</text:p>'
        f'<text:p text:style-name="P1">Kommentoitu{annotation("Hyvä!")} kohta.</text:p>'
        f"<text:p>{drawn}</text:p>"
        "</office:text></office:body></office:document>"
    )


def spreadsheet() -> str:
    shapes = "".join(
        picture(name, data).replace('text:anchor-type="as-char"', "")
        for name, data in pictures().items()
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document {NAMESPACES} '
        'office:version="1.3" '
        'office:mimetype="application/vnd.oasis.opendocument.spreadsheet">'
        + meta()
        + settings()
        + "<office:body><office:spreadsheet>"
        '<table:tracked-changes><table:cell-content-change table:id="ct1">'
        '<table:cell-address table:column="1" table:row="1" table:table="0"/>'
        + change_info()
        + "<table:previous><table:change-track-table-cell>"
        "<text:p>3100</text:p></table:change-track-table-cell></table:previous>"
        "</table:cell-content-change></table:tracked-changes>"
        '<table:table table:name="Palkat"><table:shapes>' + shapes + "</table:shapes>"
        "<table:table-row>"
        "<table:table-cell><text:p>Kuukausi</text:p></table:table-cell>"
        "<table:table-cell><text:p>Palkka</text:p></table:table-cell></table:table-row>"
        "<table:table-row><table:table-cell>"
        f"<text:p>Toukokuu</text:p>{annotation('Tarkista')}</table:table-cell>"
        '<table:table-cell office:value-type="float" office:value="3200">'
        "<text:p>3200</text:p></table:table-cell></table:table-row>"
        "</table:table></office:spreadsheet></office:body></office:document>"
    )


def presentation() -> str:
    frames = "".join(
        picture(name, data).replace(
            'text:anchor-type="as-char" ', f'svg:x="{n * 4}cm" svg:y="10cm" '
        )
        for n, (name, data) in enumerate(pictures().items())
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document {NAMESPACES} '
        'office:version="1.3" '
        'office:mimetype="application/vnd.oasis.opendocument.presentation">'
        + meta()
        + settings()
        + "<office:body><office:presentation>"
        '<draw:page draw:name="Esittely">'
        '<draw:frame svg:x="2cm" svg:y="2cm" svg:width="20cm" svg:height="3cm">'
        f"<draw:text-box><text:p>{samples.DOCUMENT_TEXT}</text:p></draw:text-box></draw:frame>"
        + frames
        + f'<officeooo:annotation svg:x="1cm" svg:y="1cm"><dc:creator>{samples.COMMENTER}'
        "</dc:creator><dc:date>2026-05-03T11:00:00</dc:date>"
        "<meta:creator-initials>KK</meta:creator-initials>"
        "<text:p>Lisää kuva</text:p></officeooo:annotation>"
        "</draw:page></office:presentation></office:body></office:document>"
    )


SOURCES = {"cv.fodt": text_document, "palkat.fods": spreadsheet, "esitys.fodp": presentation}


def convert(source: Path, target: str, profile: Path, output: Path) -> None:
    subprocess.run(
        [
            shutil.which("soffice") or "soffice",
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            target,
            "--outdir",
            str(output),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        for name, write in SOURCES.items():
            source = work / name
            source.write_text(write(), encoding="utf-8")
            for target in CONVERSIONS[name]:
                convert(source, target, work / "profile", work / "out")
        for written in sorted((work / "out").iterdir()):
            shutil.copyfile(written, HERE / written.name)
            print(f"wrote {written.name} ({written.stat().st_size} bytes)", file=sys.stderr)


if __name__ == "__main__":
    main()
