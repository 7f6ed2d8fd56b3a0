"""Attachments through the gateway's HTTP API, with every service, the broker, databases and S3."""

import hashlib
import uuid
from datetime import datetime, time, timedelta
from urllib.parse import quote

import pytest
from nameko.standalone.rpc import ClusterRpcProxy

from gateway.service import GatewayService
from services.contracts.accounts import ADMIN, COACH, PRIVACY
from services.infra.clock import HELSINKI
from services.infra.storage import ObjectStore, make_s3_client
from tests.conftest import free_port
from tests.gateway.api_client import ApiClient, unique
from tests.gateway.conftest import PASSWORD, start_gateway
from tests.media import samples
from tests.media.readers import ORIENTATION, exif_tags
from tests.media.test_hostile_files import png_header_only

PROGRAM = b"MZ\x90\x00" + bytes(60)


@pytest.fixture(scope="module")
def gateway_url(module_container_factory, base_config, s3_config):
    """The gateway as the shared fixture starts it, plus the storage attachments need."""
    return start_gateway(module_container_factory, base_config, **s3_config)


@pytest.fixture
def rpc(service_containers, base_config):
    with ClusterRpcProxy(base_config, timeout=30) as proxy:
        yield proxy


def next_week_tuesday_at_ten() -> str:
    today = datetime.now(HELSINKI).date()
    tuesday = today + timedelta(days=7 - today.weekday() + 1)
    return datetime.combine(tuesday, time(10), HELSINKI).isoformat()


def staff_login(client, rpc, admin_actor: dict, role: str):
    username = unique(role)
    created = rpc.accounts.create_staff(
        {"username": username, "role": role, "name": "Veera", "email": f"{username}@example.fi"},
        admin_actor,
    )
    login = client.log_in(username, created["initial_password"])
    return created["account"]["id"], login


@pytest.fixture
def world(client, rpc, make_admin):
    """A booking next Tuesday with its coachee, the assigned coach, another coach, an admin and
    privacy staff, each logged in."""
    admin = make_admin()
    admin_actor = {"account_id": admin.account_id, "role": ADMIN}
    service = rpc.bookings.create_service(
        {
            "name": unique("Uraohjaus "),
            "duration_minutes": 60,
            "specifications": ["Työnhaku"],
            "delivery_methods": ["video"],
        },
        admin_actor,
    )
    hours = [{"weekday": day, "starts": "08:00", "ends": "16:00"} for day in range(5)]
    coaches = {}
    for name in ("coach", "other_coach"):
        account_id, login = staff_login(client, rpc, admin_actor, COACH)
        coach = rpc.bookings.create_coach(
            {"account_id": account_id, "name": name, "service_ids": [service["id"]]}, admin_actor
        )
        rpc.bookings.set_working_hours(coach["id"], hours, admin_actor)
        coaches[name] = (coach, login)
    subscriber = rpc.billing.create_subscriber(
        {
            "name": unique("Liitto "),
            "business_id": "0112038-9",
            "billing_contact_emails": ["laskutus@example.fi"],
            "eligibility_method": "manual",
        },
        admin_actor,
    )
    created = rpc.bookings.create_booking(
        {
            "service_id": service["id"],
            "specification_id": service["specifications"][0]["id"],
            "delivery_method": "video",
            "starts_at": next_week_tuesday_at_ten(),
            "coach_id": coaches["coach"][0]["id"],
            "coachee": {
                "name": samples.AUTHOR,
                "email": f"{unique('maija')}@example.fi",
                "phone": "040 123 4567",
                "subscriber_id": subscriber["id"],
                "member_number": unique("M"),
                "password": PASSWORD,
            },
        }
    )
    return {
        "booking": created["booking"],
        "coachee": client.log_in(created["username"], PASSWORD),
        "coach": coaches["coach"][1],
        "other_coach": coaches["other_coach"][1],
        "admin": client.log_in(admin.username, admin.password),
        "privacy": staff_login(client, rpc, admin_actor, PRIVACY)[1],
    }


def attach(client, world, data: bytes, name: str, login=None, headers=None):
    login = login or world["coachee"]
    return client.request(
        "POST",
        f"/api/bookings/{world['booking']['id']}/attachments",
        headers={**login.with_bearer(), **(headers or {})},
        files={"file": (name, data, "application/octet-stream")},
    )


def test_upload_list_download_delete(client, world):
    uploaded = attach(client, world, samples.jpeg_with_metadata(6), "Kesäkuva.jpg")
    assert uploaded.status_code == 201, uploaded.text
    attachment = uploaded.json()
    bearer = world["coachee"].with_bearer()

    listed = client.request(
        "GET", f"/api/bookings/{world['booking']['id']}/attachments", headers=bearer
    )
    downloaded = client.request("GET", f"/api/attachments/{attachment['id']}", headers=bearer)

    assert {"location", "camera details", "xmp metadata"} <= set(attachment["removed_metadata"])
    assert [item["id"] for item in listed.json()["items"]] == [attachment["id"]]
    assert downloaded.status_code == 200
    assert downloaded.headers["Content-Type"] == "image/jpeg"
    assert downloaded.headers["Content-Disposition"] == (
        "attachment; filename=Kesakuva.jpg; filename*=UTF-8''" + quote("Kesäkuva.jpg")
    )
    assert downloaded.headers["Cache-Control"] == "no-store"
    assert downloaded.headers["X-Content-Type-Options"] == "nosniff"
    assert hashlib.sha256(downloaded.content).hexdigest() == attachment["sha256"]
    assert exif_tags(downloaded.content) == {ORIENTATION: 6}
    assert samples.give_aways_in(downloaded.content) == []

    deleted = client.request("DELETE", f"/api/attachments/{attachment['id']}", headers=bearer)
    assert deleted.status_code == 204
    gone = client.request("GET", f"/api/attachments/{attachment['id']}", headers=bearer)
    assert gone.status_code == 404
    assert gone.json()["error"]["code"] == "not_found"


def test_download_and_list_follow_who_may_see_the_booking(client, world):
    attachment = attach(client, world, samples.pdf_with_metadata(), "cv.pdf").json()
    booking_files = f"/api/bookings/{world['booking']['id']}/attachments"
    statuses = {}

    for who in ("coachee", "coach", "other_coach", "admin", "privacy"):
        bearer = world[who].with_bearer()
        download = client.request("GET", f"/api/attachments/{attachment['id']}", headers=bearer)
        listing = client.request("GET", booking_files, headers=bearer)
        statuses[who] = (download.status_code, listing.status_code)
    anonymous = client.request("GET", f"/api/attachments/{attachment['id']}")

    assert statuses == {
        "coachee": (200, 200),
        "coach": (200, 200),
        "other_coach": (404, 404),
        "admin": (200, 200),
        "privacy": (200, 200),
    }
    assert anonymous.status_code == 401


def test_only_the_coachee_attaches_and_deletes(client, world):
    attachment = attach(client, world, samples.png_with_metadata(), "kuva.png").json()

    by_coach = attach(client, world, samples.png_with_metadata(), "k.png", world["coach"])
    by_admin = client.request(
        "DELETE", f"/api/attachments/{attachment['id']}", headers=world["admin"].with_bearer()
    )

    assert by_coach.status_code == 403
    assert by_admin.status_code == 403


def test_a_cookie_session_needs_the_csrf_token_to_upload(client, world):
    coachee = world["coachee"]
    path = f"/api/bookings/{world['booking']['id']}/attachments"
    files = {"file": ("kuva.png", samples.png_with_metadata(), "image/png")}

    forged = client.request("POST", path, headers=coachee.with_cookie(), files=files)
    genuine = client.request("POST", path, headers=coachee.with_csrf(), files=files)

    assert forged.status_code == 403
    assert genuine.status_code == 201


@pytest.mark.parametrize(
    ("data", "name", "status", "code"),
    [
        (PROGRAM, "ohjelma.exe", 415, "unsupported_media_type"),
        (samples.jpeg_with_metadata(), "kuva.png", 415, "unsupported_media_type"),
        (png_header_only(20000, 20000), "pommi.png", 422, "decompression_bomb"),
        (samples.jpeg_with_metadata()[:1500], "rikki.jpg", 422, "malformed_file"),
        (bytes(10 * 1024 * 1024 + 1), "iso.pdf", 413, "too_large"),
        (bytes(12 * 1024 * 1024), "isompi.pdf", 413, "too_large"),
        (b"", "tyhja.pdf", 422, "invalid_input"),
    ],
    ids=["program", "mismatch", "bomb", "malformed", "just-too-large", "far-too-large", "empty"],
)
def test_refused_uploads_get_json_errors(client, world, data, name, status, code):
    response = attach(client, world, data, name)

    assert response.status_code == status, response.text
    assert response.json()["error"]["code"] == code
    listed = client.request(
        "GET",
        f"/api/bookings/{world['booking']['id']}/attachments",
        headers=world["coachee"].with_bearer(),
    )
    assert listed.json()["items"] == []


def test_unsupported_type_lists_the_accepted_ones(client, world):
    response = attach(client, world, PROGRAM, "ohjelma.exe")

    accepted = response.json()["error"]["fields"]["accepted_types"]
    assert "image/heic (.heic, .heif)" in accepted
    assert "application/vnd.oasis.opendocument.text (.odt)" in accepted
    assert "image/gif (.gif)" in accepted


def test_upload_must_be_multipart_with_a_file_field(client, world):
    path = f"/api/bookings/{world['booking']['id']}/attachments"
    bearer = world["coachee"].with_bearer()

    as_json = client.request("POST", path, headers=bearer, json={"file": "kuva.jpg"})
    wrong_field = client.request(
        "POST", path, headers=bearer, files={"liite": ("kuva.png", samples.png_with_metadata())}
    )

    assert as_json.status_code == 415
    assert wrong_field.status_code == 422
    assert wrong_field.json()["error"]["fields"] == {
        "file": [wrong_field.json()["error"]["message"]]
    }


def test_iphone_photo_is_downloaded_as_a_jpeg(client, world):
    attachment = attach(client, world, samples.heic_with_metadata(), "IMG_0042.HEIC").json()

    downloaded = client.request(
        "GET", f"/api/attachments/{attachment['id']}", headers=world["coachee"].with_bearer()
    )

    assert attachment["name"] == "IMG_0042.jpg"
    assert downloaded.headers["Content-Type"] == "image/jpeg"
    assert "filename=IMG_0042.jpg" in downloaded.headers["Content-Disposition"]
    assert exif_tags(downloaded.content) == {}


def test_same_idempotency_key_gives_the_same_attachment(client, world):
    key = {"Idempotency-Key": str(uuid.uuid4())}

    first = attach(client, world, samples.png_with_metadata(), "kuva.png", headers=key)
    again = attach(client, world, samples.png_with_metadata(), "kuva.png", headers=key)

    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()


def test_unknown_attachment_and_booking_are_not_found(client, world):
    bearer = world["admin"].with_bearer()

    unknown = client.request("GET", f"/api/attachments/{uuid.uuid4()}", headers=bearer)
    not_an_id = client.request("GET", "/api/attachments/cv.pdf", headers=bearer)
    no_booking = client.request("GET", f"/api/bookings/{uuid.uuid4()}/attachments", headers=bearer)

    assert [unknown.status_code, not_an_id.status_code, no_booking.status_code] == [404] * 3


def test_a_file_missing_from_storage_is_not_found(client, world, s3_config):
    attachment = attach(client, world, samples.png_with_metadata(), "kuva.png").json()
    booking_files = f"media/attachments/{world['booking']['id']}/"
    store = ObjectStore(make_s3_client(s3_config), s3_config["S3_BUCKET"])
    store.delete_everywhere(booking_files + attachment["id"])

    response = client.request(
        "GET", f"/api/attachments/{attachment['id']}", headers=world["coachee"].with_bearer()
    )

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_openapi_document_describes_the_attachment_routes(client):
    paths = client.request("GET", "/api/openapi.json").json()["paths"]

    assert set(paths["/api/bookings/{booking_id}/attachments"]) == {"get", "post"}
    assert set(paths["/api/attachments/{attachment_id}"]) == {"get", "delete"}


def test_a_gateway_without_storage_settings_answers_503_for_uploads(
    container_factory, base_config, world
):
    port = free_port()
    config = dict(base_config, WEB_SERVER_ADDRESS=f"127.0.0.1:{port}")
    container_factory(GatewayService, config).start()

    with ApiClient(f"http://127.0.0.1:{port}") as bare:
        response = bare.request(
            "POST",
            f"/api/bookings/{world['booking']['id']}/attachments",
            headers=world["coachee"].with_bearer(),
            files={"file": ("kuva.png", samples.png_with_metadata())},
        )
        health = bare.request("GET", "/healthz")

    assert response.status_code == 503
    assert response.json()["error"]["code"] == "service_unavailable"
    assert health.status_code == 200
