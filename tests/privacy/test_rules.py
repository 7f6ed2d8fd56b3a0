"""Privacy rules as pure functions: due dates, retention years, saga order and backoff, files."""

import io
import json
import zipfile
from datetime import UTC, datetime, timedelta

import pypdf
import pytest

from services.infra.clock import HELSINKI
from services.privacy.answer_files import export_zip, summary_html
from services.privacy.deadlines import breach_notify_by, is_overdue, request_due_at
from services.privacy.inspection_pdf import inspection_pdf
from services.privacy.plans import Backoff, steps_of
from services.privacy.retention import (
    cohort_year,
    created_before,
    erasure_deadline,
    erasure_due_from,
    preview_cutoff,
)
from services.privacy.saga import merged


def helsinki(*parts) -> datetime:
    return datetime(*parts, tzinfo=HELSINKI)


@pytest.mark.parametrize(
    ("received", "due"),
    [
        (helsinki(2027, 3, 15, 14, 0), helsinki(2027, 4, 16)),
        (helsinki(2027, 1, 31, 9, 0), helsinki(2027, 3, 1)),
        (helsinki(2028, 1, 31, 9, 0), helsinki(2028, 3, 1)),
        (helsinki(2027, 12, 20, 9, 0), helsinki(2028, 1, 21)),
    ],
    ids=["mid-month", "31-jan-to-28-feb", "leap-year-29-feb", "over-new-year"],
)
def test_request_is_due_by_the_end_of_the_same_day_next_month(received, due):
    assert request_due_at(received) == due


def test_due_date_counts_from_the_helsinki_day_of_receipt():
    received_late_utc = datetime(2027, 3, 14, 22, 30, tzinfo=UTC)  # 15 March 00:30 in Helsinki
    assert request_due_at(received_late_utc) == helsinki(2027, 4, 16)


def test_request_is_overdue_only_while_open_after_its_due_time():
    due = helsinki(2027, 4, 16)
    assert is_overdue(due, completed=False, now=due)
    assert not is_overdue(due, completed=False, now=due - timedelta(seconds=1))
    assert not is_overdue(due, completed=True, now=due + timedelta(days=9))


def test_breach_must_be_notified_within_72_hours_of_discovery():
    discovered = datetime(2027, 3, 1, 10, 0, tzinfo=UTC)
    assert breach_notify_by(discovered) == datetime(2027, 3, 4, 10, 0, tzinfo=UTC)


def test_account_created_in_2018_is_erased_from_new_year_2020_until_end_of_january():
    created = helsinki(2018, 6, 1, 12, 0)
    assert erasure_due_from(created) == helsinki(2020, 1, 1)
    assert erasure_deadline(created) == helsinki(2020, 2, 1)


def test_cohort_year_is_the_helsinki_year_of_creation():
    new_year_in_helsinki = datetime(2018, 12, 31, 22, 30, tzinfo=UTC)  # 1.1.2019 00:30
    assert cohort_year(new_year_in_helsinki) == 2019
    assert erasure_due_from(new_year_in_helsinki) == helsinki(2021, 1, 1)


@pytest.mark.parametrize(
    ("now", "cutoff"),
    [
        (helsinki(2019, 12, 31, 23, 59), helsinki(2018, 1, 1)),
        (helsinki(2020, 1, 1, 0, 0), helsinki(2019, 1, 1)),
        (helsinki(2020, 1, 31, 23, 59), helsinki(2019, 1, 1)),
        (helsinki(2020, 2, 1, 0, 0), helsinki(2019, 1, 1)),
        (helsinki(2020, 12, 31, 23, 59), helsinki(2019, 1, 1)),
    ],
    ids=["new-years-eve", "new-year", "end-of-january", "february", "end-of-year"],
)
def test_daily_run_takes_accounts_created_before_the_start_of_last_year(now, cutoff):
    assert created_before(now) == cutoff
    assert created_before(now.astimezone(UTC)) == cutoff


def test_preview_in_december_shows_the_january_run_of_the_year_before_last():
    assert preview_cutoff(helsinki(2019, 12, 15, 12, 0)) == helsinki(2019, 1, 1)
    assert preview_cutoff(helsinki(2019, 11, 15, 12, 0)) == helsinki(2018, 1, 1)


def test_erasure_disables_the_login_first_and_erases_the_account_last():
    steps = steps_of("erasure")
    assert steps[0] == ("accounts", "disable_login")
    assert [participant for participant, _ in steps[1:4]] == ["bookings", "media", "billing"]
    assert steps[4] == ("accounts", "erase")
    assert steps[-1] == ("privacy", "erase")


def test_export_and_inspection_collect_from_every_service_and_rectification_has_no_saga():
    services = {participant for participant, _ in steps_of("export")}
    assert services == {"accounts", "bookings", "media", "billing", "privacy"}
    assert steps_of("inspection") == steps_of("export")
    assert steps_of("rectification") == ()


def test_failed_step_waits_twice_as_long_each_time_up_to_the_cap():
    backoff = Backoff(base=timedelta(seconds=30), cap=timedelta(minutes=5))
    waits = [backoff.delay_after(attempts).total_seconds() for attempts in range(1, 7)]
    assert waits == [30, 60, 120, 240, 300, 300]


def test_pages_of_an_erasure_add_up_and_keep_each_reason_once():
    first = {"items_removed": 2, "items_anonymised": 1, "items_retained": 1, "messages": ["A"]}
    second = {"items_removed": 3, "items_anonymised": 0, "items_retained": 1, "messages": ["A"]}
    total = merged("erase", merged("erase", None, first), second)
    assert total == {
        "items_removed": 5,
        "items_anonymised": 1,
        "items_retained": 2,
        "messages": ["A"],
    }


def test_pages_of_an_export_are_joined():
    first = {"items": [{"group": "g", "id": "1", "data": {}}], "files": [], "done": False}
    second = {"items": [{"group": "g", "id": "2", "data": {}}], "files": [{"key": "k"}]}
    total = merged("export", merged("export", None, first), second)
    assert [item["id"] for item in total["items"]] == ["1", "2"]
    assert total["files"] == [{"key": "k"}]


COLLECTED = [
    {
        "service": "accounts",
        "items": [{"group": "account", "id": "a1", "data": {"name": "Maija <b>M</b>"}}],
        "files": [],
    },
    {
        "service": "media",
        "items": [],
        "files": [
            {"key": "attachments/x/cv.pdf", "name": "../cv.pdf", "content_type": "x"},
            {"key": "attachments/x/gone.pdf", "name": "gone.pdf", "content_type": "x"},
        ],
    },
]
REQUEST = {
    "id": "r1",
    "login_name": "sinikettu1234",
    "received_at": helsinki(2027, 3, 1, 9, 0),
    "number_in_year": 2,
    "free_of_charge": False,
}
NOW = helsinki(2027, 3, 2, 9, 0)


def test_export_zip_has_a_json_per_service_the_files_found_and_a_summary():
    files = {"attachments/x/cv.pdf": b"%PDF cv"}
    archive = zipfile.ZipFile(io.BytesIO(export_zip(COLLECTED, REQUEST, files.get, NOW)))

    assert sorted(archive.namelist()) == [
        "accounts.json",
        "attachments/media/1-cv.pdf",
        "media.json",
        "summary.html",
    ]
    assert json.loads(archive.read("accounts.json"))[0]["data"]["name"] == "Maija <b>M</b>"
    assert archive.read("attachments/media/1-cv.pdf") == b"%PDF cv"


def test_summary_escapes_what_people_typed():
    page = summary_html(COLLECTED, "sinikettu1234", NOW)
    assert "Maija &lt;b&gt;M&lt;/b&gt;" in page
    assert "<b>M</b>" not in page
    assert "sinikettu1234" in page


def pdf_text(document: bytes) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(document)).pages)


def test_inspection_pdf_names_the_login_and_says_a_second_one_is_not_free():
    document = inspection_pdf(COLLECTED, REQUEST, NOW)
    assert document.startswith(b"%PDF")
    text = pdf_text(document)
    assert "sinikettu1234" in text
    assert "Tarkastus 2." in text
    assert "maksullinen" in text
    assert "Maija <b>M</b>" in text


def test_inspection_pdf_prints_names_in_every_script_as_written():
    names = {
        "cyrillic": "Анна Кузнецова",
        "arabic": "محمد عبدالله",
        "vietnamese": "Nguyễn Thị Hồng Ngọc",
    }
    collected = [
        {
            "service": "accounts",
            "items": [
                {"group": "account", "id": script, "data": {"name": name}}
                for script, name in names.items()
            ],
            "files": [],
        }
    ]

    text = pdf_text(inspection_pdf(collected, REQUEST, NOW))

    for script, name in names.items():
        assert name in text, script


def test_inspection_pdf_wraps_long_values_and_continues_on_further_pages():
    short = {"group": "booking", "id": "1", "data": {"notes": "lyhyt"}}
    long_value = " ".join(f"sana{number}" for number in range(1500))
    long = {"group": "booking", "id": "2", "data": {"notes": long_value}}
    collected = [{"service": "bookings", "items": [short, long], "files": []}]

    reader = pypdf.PdfReader(io.BytesIO(inspection_pdf(collected, REQUEST, NOW)))

    assert len(reader.pages) > 2
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "sana0 " in text and "sana1499" in text
    assert "sivu 2" in reader.pages[1].extract_text()
