"""Infra's PDF drawing: every script printed, searchable and in reading order, in flat memory."""

import io

import pikepdf
import pypdf

from services.infra.pdf import BOLD, REGULAR, PdfDocument
from services.infra.pdf.fonts import font
from services.infra.pdf.shaping import embedding_levels, shaped


def one_page_document(out) -> PdfDocument:
    document = PdfDocument(out, 595, 842, title="t")
    document.new_page()
    return document


def text_of(*texts: str, style: str = REGULAR) -> str:
    out = io.BytesIO()
    document = one_page_document(out)
    for index, text in enumerate(texts):
        document.text(50, 800 - 20 * index, text, style)
    document.close()
    return pypdf.PdfReader(io.BytesIO(out.getvalue())).pages[0].extract_text()


def test_text_too_wide_for_its_column_is_cut_with_an_ellipsis():
    long_name = "Työnhakuvalmennus ja urasuunnittelu pitkälle"
    document = one_page_document(io.BytesIO())

    shown = document.fitted(long_name, REGULAR, 8, 80)

    assert shown.endswith("…") and long_name.startswith(shown[:-1])
    assert document.text_width(shown, REGULAR, 8) <= 80
    assert document.fitted("Uraohjaus", REGULAR, 8, 80) == "Uraohjaus"


def test_text_with_brackets_and_backslashes_survives():
    assert "Oy (Ab) \\ ääkköset" in text_of("Oy (Ab) \\ ääkköset")


def test_names_in_every_script_extract_intact_in_both_styles():
    names = [
        "Анна Кузнецова",
        "محمد عبدالله",
        "Nguyễn Thị Hồng Ngọc",
        "Máret Áilu Ŋuvttoš",
        "Αλέξανδρος Παπαδόπουλος",
    ]

    for style in (REGULAR, BOLD):
        text = text_of(*names, style=style)
        for name in names:
            assert name in text, (style, name)


def test_a_name_written_with_combining_marks_prints_composed():
    assert "Nguyễn Thơ" in text_of("Nguye\u0302\u0303n Tho\u031b")


def test_a_character_the_fonts_lack_prints_as_a_replacement_mark_not_as_nothing():
    assert "Wang \ufffd\ufffd\ufffd" in text_of("Wang 王小明")


def test_arabic_is_joined_and_runs_from_right_to_left():
    arabic = font(REGULAR)

    placed, _ = shaped(arabic, "محمد عبدالله")

    right_to_left = sorted(placed, key=lambda glyph: -glyph.x)
    assert "".join(glyph.text for glyph in right_to_left) == "محمد عبدالله"
    isolated = [arabic.glyph[letter] for letter in "محمد"]
    assert [glyph.glyph for glyph in right_to_left[:4]] != isolated, "letters join"


def test_mixed_directions_follow_the_bidirectional_algorithm():
    levels = embedding_levels("Ahmed محمد 42")

    assert levels[:6] == [0] * 6
    assert set(levels[6:10]) == {1}
    assert levels[-2:] == [2, 2]


def test_wrapped_text_breaks_between_words_and_inside_words_too_long_for_a_line():
    document = one_page_document(io.BytesIO())
    text = "Kuvaus on pitkä\nja toisella rivillä " + "x" * 80

    lines = document.wrapped(text, REGULAR, 9, 100)

    assert lines[0].startswith("Kuvaus")
    assert any(line.startswith("ja toisella") for line in lines)
    assert all(document.text_width(line, REGULAR, 9) <= 100 for line in lines)
    assert "".join(lines).replace(" ", "") == text.replace("\n", "").replace(" ", "")


def test_qpdf_finds_nothing_wrong_with_a_document_of_several_pages_in_both_fonts():
    out = io.BytesIO()
    document = PdfDocument(out, 842, 595, title="Raportti: محمد")
    for page in range(3):
        document.new_page()
        document.text(50, 500, f"Sivu {page} Анна", BOLD, 12)
        document.text(50, 480, "محمد عبدالله Nguyễn")
        document.line(50, 470, 300, 470)
    document.close()

    with pikepdf.open(io.BytesIO(out.getvalue())) as pdf:
        assert pdf.check_pdf_syntax() == []
        assert len(pdf.pages) == 3
        assert str(pdf.docinfo["/Title"]) == "Raportti: محمد"


def test_a_document_embeds_only_the_glyphs_it_used():
    out = io.BytesIO()
    document = one_page_document(out)
    document.text(50, 800, "Anna")
    document.close()

    size = len(out.getvalue())

    assert size < 60_000
