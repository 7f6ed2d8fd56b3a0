"""Text that needs shaping, laid out as glyphs from left to right.

The Unicode bidirectional algorithm (python-bidi) gives each character its embedding level; each
run of one level is shaped by HarfBuzz in its direction, so Arabic letters join and marks sit on
their letters; the runs are then put in visual order (rule L2). Each glyph keeps the characters
it was shaped from, in logical order, so the PDF's ToUnicode map lets a reader search and copy
the text as it was written.
"""

from dataclasses import dataclass
from itertools import groupby

import uharfbuzz as hb
from bidi import algorithm as bidi

from services.infra.pdf.fonts import Font

FEATURES = {"kern": True, "liga": True}


@dataclass(frozen=True, slots=True)
class PlacedGlyph:
    """A glyph at (`x`, `y`) from the start of the text, in thousandths of the font size."""

    glyph: int
    text: str
    x: float
    y: float


def embedding_levels(text: str) -> list[int]:
    """The resolved embedding level of each character of `text` (odd: right to left). The
    characters the algorithm sets aside (format controls such as ZWNJ) take the level of the
    character before them, so they stay in their run and still affect its shaping."""
    storage = bidi.get_empty_storage()
    storage["base_level"] = bidi.get_base_level(text)
    storage["base_dir"] = "LR"[storage["base_level"]]
    bidi.get_embedding_levels(text, storage)
    for index, character in enumerate(storage["chars"]):
        character["index"] = index
    for stage in (
        bidi.explicit_embed_and_overrides,
        bidi.resolve_weak_types,
        bidi.resolve_neutral_types,
        bidi.resolve_implicit_levels,
    ):
        stage(storage, False)
    resolved: list[int | None] = [None] * len(text)
    for character in storage["chars"]:
        resolved[character["index"]] = character["level"]
    levels = []
    previous = storage["base_level"]
    for level in resolved:
        previous = previous if level is None else level
        levels.append(previous)
    return levels


def visual_order(runs: list[tuple[int, list]]) -> list[tuple[int, list]]:
    """Runs of (level, glyphs) in logical order, reordered for display by rule L2: from the
    highest level down to the lowest odd one, each sequence of runs at that level or above
    is reversed."""
    if not runs:
        return runs
    levels = [level for level, _ in runs]
    lowest_odd = min((level for level in levels if level % 2), default=None)
    if lowest_odd is None:
        return runs
    ordered = list(runs)
    for level in range(max(levels), lowest_odd - 1, -1):
        index = 0
        while index < len(ordered):
            if ordered[index][0] < level:
                index += 1
                continue
            end = index
            while end < len(ordered) and ordered[end][0] >= level:
                end += 1
            ordered[index:end] = reversed(ordered[index:end])
            index = end
    return ordered


def shaped_run(font: Font, text: str, right_to_left: bool) -> list[tuple[int, str, int, int, int]]:
    """HarfBuzz's glyphs for one run, left to right: (glyph, characters, advance, x offset,
    y offset) in font units. A cluster's characters go with its first glyph."""
    buffer = hb.Buffer()
    buffer.add_str(text)
    buffer.guess_segment_properties()
    buffer.direction = "rtl" if right_to_left else "ltr"
    buffer.cluster_level = hb.BufferClusterLevel.MONOTONE_CHARACTERS
    hb.shape(font.hb_font, buffer, FEATURES)
    starts = sorted({info.cluster for info in buffer.glyph_infos})
    ends = dict(zip(starts, [*starts[1:], len(text)], strict=True))
    given: set[int] = set()
    glyphs = []
    for info, position in zip(buffer.glyph_infos, buffer.glyph_positions, strict=True):
        cluster = info.cluster
        characters = "" if cluster in given else text[cluster : ends[cluster]]
        given.add(cluster)
        glyphs.append(
            (info.codepoint, characters, position.x_advance, position.x_offset, position.y_offset)
        )
    return glyphs


def shaped(font: Font, text: str) -> tuple[list[PlacedGlyph], float]:
    """`text` as placed glyphs, left to right, and its width, in thousandths of the font size."""
    levels = embedding_levels(text)
    runs = []
    start = 0
    for level, members in groupby(levels):
        length = len(list(members))
        runs.append((level, shaped_run(font, text[start : start + length], level % 2 == 1)))
        start += length
    placed = []
    x = 0.0
    for _, glyphs in visual_order(runs):
        for glyph, characters, advance, x_offset, y_offset in glyphs:
            placed.append(
                PlacedGlyph(glyph, characters, x + x_offset * font.scale, y_offset * font.scale)
            )
            x += advance * font.scale
    return placed, x
