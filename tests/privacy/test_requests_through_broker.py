"""Requests and their answers: the export's contents, due dates, inspections, rectification."""

import base64
import hashlib
import io
import json
import zipfile
from datetime import UTC, datetime, timedelta

import pytest

from services.contracts.errors import Conflict, Forbidden, InvalidInput, NotFound
from services.contracts.privacy import ResultExpired, ResultNotReady
from services.infra.clock import HELSINKI
from services.infra.storage import make_s3_client
from tests.conftest import run_now
from tests.privacy.conftest import attach, booked_coachee, completed, step
from tests.privacy.test_erasure_through_broker import add_note


def register(rpc, kind: str, username: str, actor=None, **fields) -> dict:
    return rpc.privacy.register_request({"kind": kind, "username": username, **fields}, actor)


def answer_file(rpc, request_id: str, kind: str, actor=None) -> bytes:
    return base64.b64decode(rpc.privacy.fetch_result(request_id, kind, actor)["content"])


def coachee_actor(coachee: dict) -> dict:
    return {"account_id": coachee["account_id"], "role": "coachee"}


def test_export_holds_what_was_entered_in_every_service(rpc, catalogue, subscribers, media_store):
    coachee = booked_coachee(
        rpc, catalogue, subscribers["roster"]["id"], message="Haluan apua CV:n kanssa."
    )
    add_note(rpc, catalogue, coachee["booking_id"], "Tavoite: uusi työpaikka keväällä.")
    attachment = attach(rpc, media_store, coachee)

    request = completed(rpc, register(rpc, "export", coachee["username"])["id"])
    archive = zipfile.ZipFile(io.BytesIO(answer_file(rpc, request["id"], "export")))

    names = set(archive.namelist())
    assert {f"{s}.json" for s in ("accounts", "bookings", "media", "billing", "privacy")} <= names
    attached = archive.read("attachments/media/1-cv.pdf")
    assert hashlib.sha256(attached).hexdigest() == attachment["sha256"]
    assert json.loads(archive.read("media.json"))[0]["data"]["name"] == "cv.pdf"
    account = json.loads(archive.read("accounts.json"))[0]["data"]
    assert account["name"] == "Maija Meikäläinen"
    assert account["phone"] == "+358401234567"
    assert account["member_number"] == "M-1"
    assert account["username"] == coachee["username"]
    bookings = json.loads(archive.read("bookings.json"))
    assert bookings[0]["data"]["message"] == "Haluan apua CV:n kanssa."
    assert bookings[1]["data"]["body"] == "Tavoite: uusi työpaikka keväällä."
    assert json.loads(archive.read("privacy.json"))[0]["data"]["kind"] == "export"
    assert "Haluan apua CV:n kanssa." in archive.read("summary.html").decode()
    assert step(request, "media", "export")["result"] == {"items": 1, "files": 1}


def test_export_can_be_downloaded_for_seven_days_by_its_subject_then_it_is_deleted(
    rpc, catalogue, subscribers, containers, clock, s3_config
):
    coachee = booked_coachee(rpc, catalogue, subscribers["roster"]["id"])
    request = completed(rpc, register(rpc, "export", coachee["username"])["id"])
    assert answer_file(rpc, request["id"], "export", coachee_actor(coachee))[:2] == b"PK"
    stranger = {"account_id": catalogue["coach"]["actor"]["account_id"], "role": "coachee"}
    with pytest.raises(NotFound):
        rpc.privacy.fetch_result(request["id"], "export", stranger)

    clock.advance(timedelta(days=7))
    assert run_now(containers["privacy"], "delete_expired_answers") >= 1

    with pytest.raises(ResultExpired):
        rpc.privacy.fetch_result(request["id"], "export", None)
    client = make_s3_client(s3_config)
    versions = client.list_object_versions(
        Bucket=s3_config["S3_BUCKET"], Prefix=f"privacy/answers/{request['id']}"
    )
    assert versions.get("Versions", []) == [] and versions.get("DeleteMarkers", []) == []


def test_answer_is_not_ready_while_a_participant_is_down(rpc, catalogue, subscribers, containers):
    coachee = booked_coachee(rpc, catalogue, subscribers["roster"]["id"])
    containers["bookings"].stop()
    request = register(rpc, "export", coachee["username"])

    with pytest.raises(ResultNotReady):
        rpc.privacy.fetch_result(request["id"], "export", None)


def test_requests_are_due_in_a_month_and_open_overdue_ones_are_listed_first(
    rpc, catalogue, subscribers, clock
):
    coachee = booked_coachee(rpc, catalogue, subscribers["roster"]["id"])
    received = {
        "recent": clock.now(),
        "overdue": clock.now() - timedelta(days=50),
        "due_soon": clock.now() - timedelta(days=20),
    }
    made = {
        name: register(
            rpc,
            "rectification",
            coachee["username"],
            received_at=at.isoformat(),
            description=f"Puhelinnumero väärin ({name})",
        )
        for name, at in received.items()
    }

    listed = rpc.privacy.list_requests({"kind": "rectification", "status": "open"}, None)
    ids = [item["id"] for item in listed["items"]]
    order = sorted(made, key=lambda name: ids.index(made[name]["id"]))

    assert order == ["overdue", "due_soon", "recent"]
    assert made["overdue"]["overdue"] is True and made["recent"]["overdue"] is False
    due = datetime.fromisoformat(made["recent"]["due_at"])
    assert due == datetime(2027, 4, 2, tzinfo=HELSINKI)


def test_second_inspection_in_a_calendar_year_is_not_free_and_a_new_year_starts_again(
    rpc, catalogue, subscribers, clock
):
    coachee = booked_coachee(rpc, catalogue, subscribers["roster"]["id"])

    first = register(rpc, "inspection", coachee["username"])
    second = register(rpc, "inspection", coachee["username"])
    clock.set(datetime(2027, 12, 31, 22, 30, tzinfo=UTC))  # 1 January 2028 in Helsinki
    next_year = register(rpc, "inspection", coachee["username"])

    assert (first["number_in_year"], first["free_of_charge"]) == (1, True)
    assert (second["number_in_year"], second["free_of_charge"]) == (2, False)
    assert (next_year["number_in_year"], next_year["free_of_charge"]) == (1, True)
    assert first["login_name"] == coachee["username"]
    completed(rpc, second["id"])
    assert answer_file(rpc, second["id"], "inspection").startswith(b"%PDF")
    with pytest.raises(NotFound):
        rpc.privacy.fetch_result(second["id"], "export", None)


def test_rectification_records_what_was_wrong_and_links_the_change(
    rpc, catalogue, subscribers, admin
):
    coachee = booked_coachee(rpc, catalogue, subscribers["roster"]["id"])
    request = register(rpc, "rectification", coachee["username"], description="Sukunimi väärin")
    rpc.accounts.update_account(coachee["account_id"], {"name": "Maija Oikea"}, admin)
    link = f"/api/audit?subject={coachee['account_id']}"

    done = rpc.privacy.record_rectification(request["id"], {"change_link": link}, None)

    assert done["status"] == "completed"
    assert (done["description"], done["change_link"]) == ("Sukunimi väärin", link)
    with pytest.raises(Conflict):
        rpc.privacy.record_rectification(request["id"], {"change_link": link}, None)
    with pytest.raises(InvalidInput) as caught:
        register(rpc, "rectification", coachee["username"])
    assert "description" in caught.value.fields


def test_only_coachees_named_by_their_login_can_be_the_subject_of_a_request(rpc, admin):
    admin_username = rpc.accounts.get_account(admin["account_id"], None)["username"]
    for username in ("eisellaista0000", admin_username):
        with pytest.raises(InvalidInput) as caught:
            register(rpc, "export", username)
        assert caught.value.fields == {"username": ["No coachee has this username."]}


def test_a_coachee_sees_only_their_own_requests_and_cannot_handle_any(rpc, catalogue, subscribers):
    coachee = booked_coachee(rpc, catalogue, subscribers["roster"]["id"])
    own = rpc.privacy.request_own_export(coachee["account_id"], coachee["username"])
    staff_made = register(rpc, "rectification", coachee["username"], description="Väärin")
    actor = coachee_actor(coachee)
    stranger = {"account_id": catalogue["coach"]["actor"]["account_id"], "role": "coachee"}

    assert rpc.privacy.get_request(own["id"], actor)["origin"] == "subject"
    with pytest.raises(NotFound):
        rpc.privacy.get_request(staff_made["id"], stranger)
    with pytest.raises(Forbidden):
        rpc.privacy.list_requests({}, actor)
    with pytest.raises(Forbidden):
        register(rpc, "export", coachee["username"], actor)
