"""Privacy through the gateway: requests and their answers, a coachee's own requests, the
erasure and retention previews, the audit log and the breach register, each with its roles."""

import io
import zipfile
from datetime import UTC, datetime, timedelta

import pytest

from tests.conftest import wait_for
from tests.gateway.conftest import Person


@pytest.fixture
def officer(client, make_privacy_officer):
    person = make_privacy_officer()
    return client.log_in(person.username, person.password)


@pytest.fixture
def coachee(make_coachee) -> Person:
    return make_coachee()


def register(client, officer, kind: str, username: str, **fields):
    return client.request(
        "POST",
        "/api/privacy/requests",
        headers=officer.with_csrf(),
        json={"kind": kind, "username": username, **fields},
    )


def completed(client, login, request_id: str) -> dict:
    def finished():
        response = client.request(
            "GET", f"/api/privacy/requests/{request_id}", headers=login.with_bearer()
        )
        return response.json() if response.json().get("status") == "completed" else None

    return wait_for(finished, seconds=60)


def test_privacy_staff_register_an_export_and_download_the_zip(client, officer, coachee):
    created = register(client, officer, "export", coachee.username)

    assert created.status_code == 201, created.text
    request = created.json()
    assert request["login_name"] == coachee.username and request["overdue"] is False
    assert [step["status"] for step in request["steps"]] == ["pending"] * 5
    done = completed(client, officer, request["id"])
    assert {step["participant"] for step in done["steps"]} >= {"accounts", "bookings", "media"}

    download = client.request(
        "GET", f"/api/privacy/requests/{request['id']}/export.zip", headers=officer.with_bearer()
    )
    assert download.status_code == 200
    assert download.headers["Content-Type"] == "application/zip"
    assert "attachment" in download.headers["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(download.content))
    assert "summary.html" in archive.namelist()
    listed = client.request("GET", "/api/privacy/requests", headers=officer.with_bearer())
    assert request["id"] in [item["id"] for item in listed.json()["items"]]


def test_coachee_asks_for_an_export_with_the_password_and_downloads_only_their_own(
    client, coachee, make_coachee
):
    login = client.log_in(coachee.username, coachee.password)
    wrong = client.request(
        "POST", "/api/me/export", headers=login.with_csrf(), json={"password": "väärin-aivan"}
    )
    accepted = client.request(
        "POST", "/api/me/export", headers=login.with_csrf(), json={"password": coachee.password}
    )

    assert wrong.status_code == 422 and wrong.json()["error"]["code"] == "wrong_password"
    assert accepted.status_code == 202
    request_id = accepted.json()["request_id"]
    assert completed(client, login, request_id)["origin"] == "subject"
    own = client.request(
        "GET", f"/api/privacy/requests/{request_id}/export.zip", headers=login.with_bearer()
    )
    assert own.status_code == 200
    other = make_coachee()
    other_login = client.from_another_address().log_in(other.username, other.password)
    for path in ("", "/export.zip"):
        refused = client.request(
            "GET", f"/api/privacy/requests/{request_id}{path}", headers=other_login.with_bearer()
        )
        assert refused.status_code == 404


def test_a_coachee_lists_only_their_own_requests_newest_first_with_the_download(
    client, officer, coachee, make_coachee
):
    other = make_coachee()
    rectification = register(
        client, officer, "rectification", coachee.username, description="Nimi väärin"
    ).json()
    others = register(client, officer, "inspection", other.username).json()
    login = client.log_in(coachee.username, coachee.password)
    accepted = client.request(
        "POST", "/api/me/export", headers=login.with_csrf(), json={"password": coachee.password}
    )
    export_id = accepted.json()["request_id"]
    completed(client, login, export_id)

    listed = client.request("GET", "/api/me/requests", headers=login.with_bearer())

    assert listed.status_code == 200, listed.text
    items = listed.json()["items"]
    assert [item["id"] for item in items] == [export_id, rectification["id"]]
    export, open_one = items
    assert export["kind"] == "export" and export["status"] == "completed"
    assert export["download"] == f"/api/privacy/requests/{export_id}/export.zip"
    assert {"received_at", "due_at", "completed_at", "result_expires_at"} <= set(export)
    assert open_one["status"] == "open" and open_one["download"] is None
    assert "description" not in open_one and "login_name" not in open_one
    download = client.request("GET", export["download"], headers=login.with_bearer())
    assert download.status_code == 200 and download.content[:2] == b"PK"
    other_login = client.from_another_address().log_in(other.username, other.password)
    theirs = client.request("GET", "/api/me/requests", headers=other_login.with_bearer())
    assert [item["id"] for item in theirs.json()["items"]] == [others["id"]]


def test_own_requests_are_for_a_logged_in_coachee_only(client, officer):
    assert client.request("GET", "/api/me/requests").status_code == 401
    staff = client.request("GET", "/api/me/requests", headers=officer.with_bearer())
    assert staff.status_code == 403


def test_coachee_erasure_request_ends_the_login_and_erases_the_account(client, coachee, officer):
    login = client.log_in(coachee.username, coachee.password)

    accepted = client.request(
        "POST", "/api/me/erasure", headers=login.with_csrf(), json={"password": coachee.password}
    )

    assert accepted.status_code == 202
    request_id = accepted.json()["request_id"]
    wait_for(
        lambda: (
            client.request(
                "GET", f"/api/privacy/requests/{request_id}", headers=officer.with_bearer()
            ).status_code
            == 200
        )
    )
    done = completed(client, officer, request_id)
    assert done["kind"] == "erasure" and done["origin"] == "subject"
    assert client.request("GET", "/api/me", headers=login.with_bearer()).status_code == 401
    assert client.try_log_in(coachee.username, coachee.password).status_code == 401


def test_inspection_answer_is_a_pdf_and_not_an_export(client, officer, coachee):
    request = register(client, officer, "inspection", coachee.username).json()
    completed(client, officer, request["id"])
    base = f"/api/privacy/requests/{request['id']}"

    pdf = client.request("GET", f"{base}/inspection.pdf", headers=officer.with_bearer())
    as_zip = client.request("GET", f"{base}/export.zip", headers=officer.with_bearer())

    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert pdf.headers["Content-Type"] == "application/pdf"
    assert as_zip.status_code == 404
    assert request["number_in_year"] >= 1


def test_rectification_is_completed_by_linking_the_change(client, officer, coachee):
    request = register(
        client, officer, "rectification", coachee.username, description="Sähköposti väärin"
    ).json()
    path = f"/api/privacy/requests/{request['id']}"

    linked = client.request(
        "PATCH", path, headers=officer.with_csrf(), json={"change_link": "/api/audit?subject=x"}
    )
    again = client.request(
        "PATCH", path, headers=officer.with_csrf(), json={"change_link": "/api/audit?subject=x"}
    )

    assert linked.status_code == 200
    assert linked.json()["status"] == "completed"
    assert linked.json()["change_link"] == "/api/audit?subject=x"
    assert again.status_code == 409


def test_registering_for_an_unknown_username_names_the_field(client, officer):
    response = register(client, officer, "export", "eiketaan0000")
    assert response.status_code == 422
    assert "username" in response.json()["error"]["fields"]


def test_erasure_preview_answers_per_service_and_changes_nothing(client, officer, coachee):
    response = client.request(
        "GET",
        "/api/privacy/erasure-preview",
        headers=officer.with_bearer(),
        params={"username": coachee.username},
    )

    assert response.status_code == 200
    services = {answer["service"]: answer for answer in response.json()["services"]}
    assert services["accounts"]["items_anonymised"] == 1
    assert client.try_log_in(coachee.username, coachee.password).status_code == 200


def test_retention_preview_and_audit_log_are_for_privacy_staff_only(client, officer, make_admin):
    admin = make_admin()
    admin_login = client.from_another_address().log_in(admin.username, admin.password)

    preview = client.request("GET", "/api/privacy/retention/preview", headers=officer.with_bearer())
    refused = client.request("GET", "/api/audit", headers=admin_login.with_bearer())

    assert preview.status_code == 200 and "created_before" in preview.json()
    assert refused.status_code == 403

    def denial_logged():
        found = client.request(
            "GET",
            "/api/audit",
            headers=officer.with_bearer(),
            params={"actor": admin.account_id},
        )
        assert found.status_code == 200
        return [e for e in found.json()["items"] if e["action"] == "access_denied"]

    entry = wait_for(denial_logged)[0]
    assert entry["source"] == "gateway" and entry["detail"]["route"] == "/api/audit"


def test_admin_records_a_breach_and_privacy_staff_see_its_deadline(client, officer, make_admin):
    admin = make_admin()
    admin_login = client.from_another_address().log_in(admin.username, admin.password)
    discovered = datetime.now(UTC) - timedelta(hours=1)

    created = client.request(
        "POST",
        "/api/breaches",
        headers=admin_login.with_csrf(),
        json={
            "discovered_at": discovered.isoformat(),
            "description": "Varmuuskopio lähetetty väärään osoitteeseen",
            "personal_data_involved": "Valmennettavien nimiä",
        },
    )

    assert created.status_code == 201
    breach = created.json()
    notify_by = datetime.fromisoformat(breach["notify_by"])
    assert abs(notify_by - (discovered + timedelta(hours=72))) < timedelta(seconds=1)
    listed = client.request("GET", "/api/breaches", headers=officer.with_bearer())
    assert breach["id"] in [item["id"] for item in listed.json()["items"]]
    notified = client.request(
        "PATCH",
        f"/api/breaches/{breach['id']}",
        headers=officer.with_csrf(),
        json={"authority_notified_at": datetime.now(UTC).isoformat()},
    )
    assert notified.status_code == 200 and notified.json()["authority_notified_at"]


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/api/privacy/requests"),
        ("POST", "/api/privacy/requests"),
        ("GET", "/api/privacy/retention/preview"),
        ("GET", "/api/audit"),
        ("GET", "/api/breaches"),
    ],
)
def test_a_coachee_cannot_use_the_privacy_staff_routes(client, coachee, method, path):
    login = client.log_in(coachee.username, coachee.password)
    response = client.request(method, path, headers=login.with_bearer(), json={})
    assert response.status_code == 403


def test_privacy_routes_need_a_login(client):
    assert client.request("GET", "/api/privacy/requests").status_code == 401
    assert client.request("POST", "/api/me/export", json={"password": "x"}).status_code == 401
