"""A font embedded as the glyphs one document used: a Type 0 font over a CIDFontType2 whose
character ids are the glyph ids (Identity-H, `CIDToGIDMap /Identity`), the TrueType subset from
HarfBuzz, the glyphs' widths, and a ToUnicode map from each glyph to the characters it was drawn
for, so that text can be searched and copied."""

import hashlib
import struct
from itertools import islice

from services.infra.pdf.fonts import Font
from services.infra.pdf.objects import PdfFile, name, number, reference

NONSYMBOLIC = 32
STEM_V = 80
MAPPINGS_PER_BLOCK = 100
TO_UNICODE_START = b"""/CIDInit /ProcSet findresource begin
12 dict begin
begincmap
/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def
/CMapName /Adobe-Identity-UCS def
/CMapType 2 def
1 begincodespacerange
<0000> <FFFF>
endcodespacerange
"""
TO_UNICODE_END = b"""endcmap
CMapName currentdict /CMap defineresource pop
end
end
"""


def subset_name(font: Font, glyphs: list[int]) -> str:
    """The font's name with the six-letter tag PDF asks of a subset, from the glyphs it holds."""
    digest = hashlib.sha256(struct.pack(f">{len(glyphs)}H", *glyphs)).digest()
    return "".join(chr(ord("A") + byte % 26) for byte in digest[:6]) + "+" + font.name


def widths(font: Font, glyphs: list[int]) -> bytes:
    """The /W array: runs of consecutive glyph ids, each with its widths."""
    parts = []
    run: list[int] = []
    for glyph in glyphs:
        if run and glyph != run[-1] + 1:
            parts.append(run)
            run = []
        run.append(glyph)
    if run:
        parts.append(run)
    return (
        b"["
        + b" ".join(
            b"%d [%s]" % (run[0], b" ".join(number(round(font.width[g])) for g in run))
            for run in parts
        )
        + b"]"
    )


def to_unicode(characters: dict[int, str]) -> bytes:
    mapped = iter(sorted((glyph, text) for glyph, text in characters.items() if text))
    blocks = [TO_UNICODE_START]
    while block := list(islice(mapped, MAPPINGS_PER_BLOCK)):
        blocks.append(b"%d beginbfchar\n" % len(block))
        blocks.extend(
            b"<%04X> <%s>\n" % (glyph, text.encode("utf-16-be").hex().upper().encode())
            for glyph, text in block
        )
        blocks.append(b"endbfchar\n")
    blocks.append(TO_UNICODE_END)
    return b"".join(blocks)


def descriptor(font: Font, font_name: str, font_file: int) -> bytes:
    box = struct.unpack(">4h", font.table("head")[36:44])
    ascender, descender = struct.unpack(">hh", font.table("hhea")[4:8])
    os2 = font.table("OS/2")
    cap_height = struct.unpack(">h", os2[88:90])[0] if len(os2) >= 90 else ascender
    metrics = (*box, ascender, descender, cap_height)
    scaled = [number(round(value * font.scale)) for value in metrics]
    return (
        b"<< /Type /FontDescriptor /FontName %s /Flags %d /FontBBox [%s] /ItalicAngle 0 "
        b"/Ascent %s /Descent %s /CapHeight %s /StemV %d /FontFile2 %s >>"
        % (
            name(font_name),
            NONSYMBOLIC,
            b" ".join(scaled[:4]),
            scaled[4],
            scaled[5],
            scaled[6],
            STEM_V,
            reference(font_file),
        )
    )


def embed(pdf: PdfFile, font_id: int, font: Font, characters: dict[int, str]) -> None:
    """Write the font as object `font_id` (reserved by the pages that use it), with
    `characters`: each glyph used and the text it stands for ("" if none)."""
    glyphs = sorted(characters.keys() | {0})
    font_name = subset_name(font, glyphs)
    program = font.subset(set(glyphs))
    font_file = pdf.add_stream(program, b"/Length1 %d " % len(program))
    cid_font = pdf.add(
        b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont %s "
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> "
        b"/FontDescriptor %s /CIDToGIDMap /Identity /W %s >>"
        % (
            name(font_name),
            reference(pdf.add(descriptor(font, font_name, font_file))),
            widths(font, glyphs),
        )
    )
    unicode_map = pdf.add_stream(to_unicode(characters))
    pdf.write(
        font_id,
        b"<< /Type /Font /Subtype /Type0 /BaseFont %s /Encoding /Identity-H "
        b"/DescendantFonts [%s] /ToUnicode %s >>"
        % (name(font_name), reference(cid_font), reference(unicode_map)),
    )
