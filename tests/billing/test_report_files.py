"""A report's CSV (for Excel) and PDF, built from its lines as they stream past."""

import csv
import io
import os
import tracemalloc
from datetime import UTC, date, datetime

import pypdf

from services.billing.reports.csv_form import ReportCsv
from services.billing.reports.pdf_form import ROWS_PER_PAGE, ReportPdf
from services.billing.reports.rows import ReportHeading
from tests.billing.report_lines import line

MARCH = date(2027, 3, 1)
TOTALS = [{"service": "Uraohjaus", "lines": 3, "sessions": 2}]


def heading(member_number_label="Jäsennumero", version=1, reason=None) -> ReportHeading:
    return ReportHeading(
        subscriber_name="Insinööriliitto",
        business_id="0112038-9",
        period=MARCH,
        version=version,
        reason=reason,
        issued_at=datetime(2027, 4, 5, 21, 0, tzinfo=UTC),
        member_number_label=member_number_label,
    )


def csv_bytes(lines, report_heading=None, totals=TOTALS) -> bytes:
    out = io.BytesIO()
    writer = ReportCsv(out, report_heading or heading())
    for each in lines:
        writer.add(each)
    writer.finish(totals)
    return out.getvalue()


def csv_rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))


def pdf_of(lines, report_heading=None, totals=TOTALS) -> pypdf.PdfReader:
    out = io.BytesIO()
    writer = ReportPdf(out, report_heading or heading())
    for each in lines:
        writer.add(each)
    writer.finish(totals)
    return pypdf.PdfReader(io.BytesIO(out.getvalue()))


def test_csv_is_utf8_with_a_byte_order_mark_semicolons_and_crlf_lines():
    data = csv_bytes([line(0)])

    assert data.startswith(b"\xef\xbb\xbf")
    header = data[3:].split(b"\r\n")[0].decode("utf-8")
    assert header.split(";")[:3] == ["Päivä", "Aika", "Palvelu"]
    assert b"\r\n" in data and b"\n" not in data.replace(b"\r\n", b"")


def test_csv_row_shows_the_session_in_helsinki_time_and_its_member():
    rows = csv_rows(csv_bytes([line(0)]))

    assert rows[1][:9] == [
        "2027-03-01",
        "09.00–10.00",
        "Uraohjaus",
        "Työnhaku",
        "Videoyhteys",
        "Kaisa Valmentaja",
        "Jäsen 0",
        "M-0",
        "1",
    ]


def test_member_number_column_appears_only_when_the_subscriber_wants_it():
    with_number = csv_rows(csv_bytes([line(0)], heading("Jäsennumero")))
    without = csv_rows(csv_bytes([line(0)], heading(member_number_label=None)))

    assert "Jäsennumero" in with_number[0] and "M-0" in with_number[1]
    assert "Jäsennumero" not in without[0] and "M-0" not in without[1]


def test_csv_ends_with_totals_per_service_after_a_blank_row():
    rows = csv_rows(csv_bytes([line(0), line(1)]))

    blank = rows.index([])
    service_column = rows[0].index("Palvelu")
    quantity_column = rows[0].index("Määrä")
    totals = [(row[0], row[service_column], row[quantity_column]) for row in rows[blank + 1 :]]
    assert totals == [("Yhteensä", "Uraohjaus", "2"), ("Yhteensä", "Kaikki palvelut", "2")]


def test_text_excel_would_run_as_a_formula_is_made_harmless_but_numbers_stay_numbers():
    rows = csv_rows(csv_bytes([line(0, member_name='=HYPERLINK("x")', quantity=-1)]))

    assert rows[1][6] == '\'=HYPERLINK("x")'
    assert rows[1][rows[0].index("Määrä")] == "-1"


def test_a_correction_names_the_month_it_corrects():
    correction = line(0, period=date(2027, 4, 1), session_period=MARCH, quantity=-1)

    rows = csv_rows(csv_bytes([correction]))

    assert rows[1][rows[0].index("Oikaisu")] == "oikaisu 2027-03"


def test_pdf_pages_hold_the_lines_under_the_heading_and_end_with_the_totals():
    lines = [line(number) for number in range(ROWS_PER_PAGE + 5)]

    pdf = pdf_of(lines, heading(version=2, reason="Tilaaja pyysi (uudelleen)"))

    assert len(pdf.pages) == 2
    first, last = (page.extract_text() for page in (pdf.pages[0], pdf.pages[-1]))
    assert "Laskutusraportti 2027-03: Insinööriliitto" in first
    assert "versio 2" in first and "Tilaaja pyysi (uudelleen)" in first
    assert "Jäsen 0" in first and "M-0" in first
    assert f"Jäsen {ROWS_PER_PAGE + 4}" in last
    assert "Yhteensä palveluittain" in last and "Kaikki palvelut" in last
    assert pdf.metadata.title == "Laskutusraportti 2027-03: Insinööriliitto"


def test_pdf_of_a_subscriber_without_member_numbers_shows_none():
    text = pdf_of([line(7)], heading(member_number_label=None)).pages[0].extract_text()

    assert "Jäsen 7" in text
    assert "M-7" not in text and "Jäsennumero" not in text


def test_member_names_in_any_script_print_intact():
    names = {
        "cyrillic": "Анна Кузнецова",
        "arabic": "محمد عبدالله",
        "vietnamese": "Nguyễn Thị Hồng Ngọc",
        "sami": "Máret Áilu Ŋuvttoš",
        "greek": "Αλέξανδρος Παπαδόπουλος",
    }
    lines = [line(number, member_name=name) for number, name in enumerate(names.values())]

    text = pdf_of(lines).pages[0].extract_text()

    for script, name in names.items():
        assert name in text, script


def test_a_report_of_several_pages_is_one_document_with_every_page_in_order():
    lines = [line(number) for number in range(3 * ROWS_PER_PAGE + 1)]

    pdf = pdf_of(lines)

    assert len(pdf.pages) == 4
    assert f"Jäsen {ROWS_PER_PAGE}" in pdf.pages[1].extract_text()
    assert "Sivu 3" in pdf.pages[2].extract_text()
    assert "Kaikki palvelut" in pdf.pages[3].extract_text()
    assert pdf.metadata.title == "Laskutusraportti 2027-03: Insinööriliitto"


def peak_bytes_building(count: int) -> int:
    """Peak memory of building both forms of a report of `count` lines into files."""
    tracemalloc.start()
    try:
        with open(os.devnull, "wb") as csv_out, open(os.devnull, "wb") as pdf_out:
            csv_writer = ReportCsv(csv_out, heading())
            pdf_writer = ReportPdf(pdf_out, heading())
            for number in range(count):
                each = line(number)
                csv_writer.add(each)
                pdf_writer.add(each)
            csv_writer.finish(TOTALS)
            pdf_writer.finish(TOTALS)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_building_a_report_takes_flat_memory_however_many_lines_it_has():
    """Once a first report has read the fonts, eight pages fill the bounded cache of text
    widths; four times as many pages take no more."""
    peak_bytes_building(1)
    eight_pages = 8 * ROWS_PER_PAGE - 5

    small, large = peak_bytes_building(eight_pages), peak_bytes_building(4 * eight_pages)

    assert large < small * 1.3
