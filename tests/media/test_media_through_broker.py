"""Media over RPC with the real bookings service, broker, database and S3 (moto_server)."""

import hashlib
import time
import uuid
from datetime import datetime, timedelta
from pathlib import Path

import eventlet
import pytest
from nameko.standalone.rpc import ClusterRpcProxy

from services.contracts.bookings import TooLate
from services.contracts.errors import Conflict, Forbidden, InvalidInput, NotFound
from services.contracts.media import (
    DecompressionBomb,
    FileTooLarge,
    MetadataRemains,
    UnsupportedType,
)
from services.media import cleaner
from services.media.attachments import QUARANTINE_PREFIX
from services.media.cleaning import clean_upload
from tests.bookings.conftest import add_coach
from tests.conftest import run_now
from tests.media import office_packages, samples
from tests.media.readers import ORIENTATION, exif_tags, pdf_streams
from tests.media.test_hostile_files import png_header_only
from tests.media.uploads import ingest_request, upload, versions_of

WRITTEN_BY_LIBREOFFICE = Path(__file__).parent / "libreoffice"
OLE_OBJECT = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)


def staff(role: str) -> dict:
    return {"account_id": str(uuid.uuid4()), "role": role}


def test_upload_stores_an_encrypted_clean_copy_and_deletes_the_original(rpc, store, booking):
    attachment = upload(rpc, store, booking, samples.jpeg_with_metadata(6), "Kuva 1.JPG")

    download = rpc.media.get_download(attachment["id"], booking["coachee"])
    stored = store.read(download["key"])
    assert attachment["name"] == "Kuva 1.jpg"
    assert attachment["content_type"] == download["content_type"] == "image/jpeg"
    assert attachment["size"] == len(stored)
    assert attachment["sha256"] == hashlib.sha256(stored).hexdigest()
    assert {"location", "camera details", "xmp metadata", "captions and credits"} <= set(
        attachment["removed_metadata"]
    )
    assert exif_tags(stored) == {ORIENTATION: 6}
    assert samples.give_aways_in(stored) == []
    assert versions_of(store, f"{QUARANTINE_PREFIX}{booking['id']}/") == []


def test_pdf_photo_drawn_inline_is_stored_without_its_exif(rpc, store, booking):
    attachment = upload(rpc, store, booking, samples.pdf_drawing_a_photo("form"), "cv.pdf")

    stored = store.read(rpc.media.get_download(attachment["id"], booking["coachee"])["key"])
    assert attachment["content_type"] == "application/pdf"
    assert {"camera details", "location", "serial numbers"} <= set(attachment["removed_metadata"])
    assert not [stream for stream in pdf_streams(stored) if b"Exif" in stream]
    assert samples.give_aways_in(b"".join(pdf_streams(stored))) == []


def test_every_stored_version_is_encrypted_at_rest(rpc, store, booking):
    upload(rpc, store, booking, samples.png_with_metadata(), "kuva.png")
    upload(rpc, store, booking, samples.docx_with_metadata(), "cv.docx")

    stored = versions_of(store, f"media/attachments/{booking['id']}/")
    assert len(stored) == 2
    for version in stored:
        head = store._client.head_object(
            Bucket=store.bucket, Key=version["Key"], VersionId=version["VersionId"]
        )
        assert head["ServerSideEncryption"] == "AES256"


def test_hostile_upload_is_refused_and_nothing_is_kept(rpc, store, booking):
    with pytest.raises(DecompressionBomb):
        upload(rpc, store, booking, png_header_only(20000, 20000), "pommi.png")

    assert rpc.media.list_attachments(booking["id"], booking["coachee"]) == {"items": []}
    assert versions_of(store, f"media/attachments/{booking['id']}/") == []
    assert versions_of(store, f"{QUARANTINE_PREFIX}{booking['id']}/") == []


def test_refused_type_names_the_accepted_types_across_the_broker(rpc, store, booking):
    with pytest.raises(UnsupportedType) as refused:
        upload(rpc, store, booking, b"MZ\x90\x00" + bytes(60), "ohjelma.exe")

    assert "application/pdf (.pdf)" in refused.value.fields["accepted_types"]
    assert "image/tiff (.tif, .tiff)" in refused.value.fields["accepted_types"]


def test_office_and_gif_uploads_say_in_plain_words_what_was_removed(rpc, store, booking):
    written = (WRITTEN_BY_LIBREOFFICE / "cv.odt").read_bytes()

    document = upload(rpc, store, booking, written, "CV.odt")
    animation = upload(rpc, store, booking, samples.gif_with_metadata(), "animaatio.gif")

    assert document["content_type"] == "application/vnd.oasis.opendocument.text"
    assert {"author", "comment authors", "tracked change authors", "location"} <= set(
        document["removed_metadata"]
    )
    assert animation["content_type"] == "image/gif"
    assert set(animation["removed_metadata"]) == {"image comment", "xmp metadata", "hidden data"}
    stored = store.read(rpc.media.get_download(document["id"], booking["coachee"])["key"])
    assert samples.give_aways_in(stored) == []


def test_document_with_an_embedded_program_is_refused_naming_it(rpc, store, booking):
    document = office_packages.word_document({"word/embeddings/oleObject1.bin": OLE_OBJECT})

    with pytest.raises(MetadataRemains) as refused:
        upload(rpc, store, booking, document, "cv.docx")

    assert "word/embeddings/oleObject1.bin" in refused.value.message
    assert versions_of(store, f"media/attachments/{booking['id']}/") == []


def test_file_over_the_limit_is_refused_before_it_is_read(rpc, store, booking):
    slot = rpc.media.prepare_upload(booking["id"], booking["coachee"])
    store.put(slot["quarantine_key"], bytes(slot["max_bytes"] + 1), "application/octet-stream")

    with pytest.raises(FileTooLarge):
        rpc.media.ingest_upload(ingest_request(booking, slot, "a.pdf"), booking["coachee"])
    assert slot["max_bytes"] == 10 * 1024 * 1024
    assert versions_of(store, slot["quarantine_key"]) == []


@pytest.mark.parametrize("media_settings", [{"MEDIA_MAX_BOOKING_FILES": 2}], indirect=True)
def test_a_booking_has_room_for_a_limited_number_of_files(rpc, store, booking):
    upload(rpc, store, booking, samples.png_with_metadata(), "1.png")
    upload(rpc, store, booking, samples.png_with_metadata(), "2.png")

    with pytest.raises(FileTooLarge):
        rpc.media.prepare_upload(booking["id"], booking["coachee"])


@pytest.mark.parametrize("media_settings", [{"MEDIA_MAX_BOOKING_BYTES": 3000}], indirect=True)
def test_a_booking_has_room_for_a_limited_number_of_bytes(rpc, store, booking):
    first = upload(rpc, store, booking, samples.jpeg_with_metadata(1), "1.jpg")

    assert rpc.media.prepare_upload(booking["id"], booking["coachee"])["max_bytes"] == (
        3000 - first["size"]
    )
    with pytest.raises(FileTooLarge):
        upload(rpc, store, booking, samples.jpeg_with_metadata(1), "2.jpg")


def test_repeated_ingest_and_idempotency_key_return_the_first_attachment(rpc, store, booking):
    slot = rpc.media.prepare_upload(booking["id"], booking["coachee"])
    store.put(slot["quarantine_key"], samples.png_with_metadata(), "application/octet-stream")
    request = ingest_request(booking, slot, "kuva.png", idempotency_key="liite-1")

    first = rpc.media.ingest_upload(request, booking["coachee"])
    redelivered = rpc.media.ingest_upload(request, booking["coachee"])
    retried = upload(rpc, store, booking, samples.png_with_metadata(), "x.png", None, "liite-1")

    assert redelivered == first == retried
    assert len(rpc.media.list_attachments(booking["id"], booking["coachee"])["items"]) == 1
    assert versions_of(store, f"{QUARANTINE_PREFIX}{booking['id']}/") == []


def test_download_is_for_the_owner_the_assigned_coach_admins_and_privacy_staff(
    rpc, store, booking, catalogue, admin
):
    attachment = upload(rpc, store, booking, samples.pdf_with_metadata(), "cv.pdf")
    other_coach = add_coach(rpc, admin, catalogue["service"]["id"], name="Toinen Valmentaja")

    for allowed in (booking["coachee"], catalogue["coach"]["actor"], admin, staff("privacy")):
        assert rpc.media.get_download(attachment["id"], allowed)["name"] == "cv.pdf"
    for refused in (other_coach["actor"], staff("coachee"), staff("subscriber")):
        with pytest.raises(NotFound):
            rpc.media.get_download(attachment["id"], refused)


def test_staff_downloads_and_refusals_are_audited(
    rpc, store, booking, catalogue, admin, audit_events
):
    attachment = upload(rpc, store, booking, samples.pdf_with_metadata(), "cv.pdf")
    coach = catalogue["coach"]["actor"]
    stranger = staff("coachee")

    rpc.media.get_download(attachment["id"], booking["coachee"])
    rpc.media.get_download(attachment["id"], coach)
    with pytest.raises(NotFound):
        rpc.media.get_download(attachment["id"], stranger)

    mine = [
        (event["action"], event["actor_id"], event["outcome"])
        for event in audit_events()
        if event["subject_id"] == booking["coachee_id"]
    ]
    assert ("attachment_downloaded", coach["account_id"], "ok") in mine
    assert ("access_denied", stranger["account_id"], "denied") in mine
    assert not [event for event in mine if event[1] == booking["coachee_id"]]


def test_listing_follows_who_sees_the_booking(rpc, store, booking, catalogue, admin):
    upload(rpc, store, booking, samples.png_with_metadata(), "kuva.png")
    other_coach = add_coach(rpc, admin, catalogue["service"]["id"], name="Toinen Valmentaja")

    for allowed in (booking["coachee"], catalogue["coach"]["actor"], admin, staff("privacy")):
        items = rpc.media.list_attachments(booking["id"], allowed)["items"]
        assert [item["name"] for item in items] == ["kuva.png"]
    for refused in (other_coach["actor"], staff("coachee")):
        with pytest.raises(NotFound):
            rpc.media.list_attachments(booking["id"], refused)


def test_only_the_bookings_coachee_attaches_files(rpc, booking, catalogue, admin):
    with pytest.raises(Forbidden):
        rpc.media.prepare_upload(booking["id"], catalogue["coach"]["actor"])
    with pytest.raises(Forbidden):
        rpc.media.prepare_upload(booking["id"], admin)
    with pytest.raises(NotFound):
        rpc.media.prepare_upload(booking["id"], staff("coachee"))


def test_files_are_attached_until_the_session_starts(rpc, booking, clock):
    clock.set(datetime.fromisoformat(booking["starts_at"]))

    with pytest.raises(TooLate):
        rpc.media.prepare_upload(booking["id"], booking["coachee"])


def test_an_upload_refused_at_ingest_leaves_nothing_in_quarantine(rpc, store, booking, clock):
    slot = rpc.media.prepare_upload(booking["id"], booking["coachee"])
    store.put(slot["quarantine_key"], samples.png_with_metadata(), "application/octet-stream")
    clock.set(datetime.fromisoformat(booking["starts_at"]))

    with pytest.raises(TooLate):
        rpc.media.ingest_upload(ingest_request(booking, slot, "a.png"), booking["coachee"])

    assert versions_of(store, slot["quarantine_key"]) == []


def test_an_upload_of_another_booking_is_not_ingested(rpc, store, booking):
    slot = rpc.media.prepare_upload(booking["id"], booking["coachee"])
    elsewhere = {"booking_id": str(uuid.uuid4()), "quarantine_key": slot["quarantine_key"]}

    with pytest.raises(InvalidInput):
        rpc.media.ingest_upload({**elsewhere, "filename": "a.png"}, booking["coachee"])


def test_a_cancelled_booking_takes_no_files(rpc, booking, admin):
    rpc.bookings.cancel_booking(booking["id"], admin)

    with pytest.raises(Conflict):
        rpc.media.prepare_upload(booking["id"], booking["coachee"])


def test_the_coachee_deletes_an_attachment_with_every_stored_version(rpc, store, booking):
    attachment = upload(rpc, store, booking, samples.png_with_metadata(), "kuva.png")
    key = rpc.media.get_download(attachment["id"], booking["coachee"])["key"]

    rpc.media.delete_attachment(attachment["id"], booking["coachee"])

    assert versions_of(store, key) == []
    assert rpc.media.list_attachments(booking["id"], booking["coachee"]) == {"items": []}
    with pytest.raises(NotFound):
        rpc.media.get_download(attachment["id"], booking["coachee"])


def test_deleting_is_refused_once_the_session_has_started_and_to_anyone_else(
    rpc, store, booking, clock, admin
):
    attachment = upload(rpc, store, booking, samples.png_with_metadata(), "kuva.png")

    with pytest.raises(Forbidden):
        rpc.media.delete_attachment(attachment["id"], admin)
    with pytest.raises(NotFound):
        rpc.media.delete_attachment(attachment["id"], staff("coachee"))
    clock.set(datetime.fromisoformat(booking["starts_at"]) + timedelta(minutes=1))
    with pytest.raises(TooLate):
        rpc.media.delete_attachment(attachment["id"], booking["coachee"])
    assert len(rpc.media.list_attachments(booking["id"], booking["coachee"])["items"]) == 1


def test_export_lists_the_persons_files(rpc, store, booking):
    photo = upload(rpc, store, booking, samples.heic_with_metadata(), "IMG_1.heic")
    key = rpc.media.get_download(photo["id"], booking["coachee"])["key"]

    exported = rpc.media.export_personal_data(booking["coachee_id"])

    assert exported["service"] == "media"
    assert exported["done"] is True
    assert exported["files"] == [{"key": key, "name": "IMG_1.jpg", "content_type": "image/jpeg"}]
    assert [item["id"] for item in exported["items"]] == [photo["id"]]


def test_erasure_deletes_every_version_and_row_and_a_dry_run_nothing(rpc, store, booking):
    first = upload(rpc, store, booking, samples.png_with_metadata(), "1.png")
    upload(rpc, store, booking, samples.odt_with_metadata(), "2.odt")
    keys = [file["key"] for file in rpc.media.export_personal_data(booking["coachee_id"])["files"]]
    store.put(keys[0], b"an older version", "image/png")
    request_id = str(uuid.uuid4())

    preview = rpc.media.erase_personal_data(booking["coachee_id"], str(uuid.uuid4()), True)
    assert preview["items_removed"] == 2
    assert all(versions_of(store, key) for key in keys)

    erased = rpc.media.erase_personal_data(booking["coachee_id"], request_id)
    again = rpc.media.erase_personal_data(booking["coachee_id"], request_id)

    assert erased == again
    assert erased["items_removed"] == 2
    assert [versions_of(store, key) for key in keys] == [[], []]
    assert rpc.media.export_personal_data(booking["coachee_id"])["files"] == []
    with pytest.raises(NotFound):
        rpc.media.get_download(first["id"], booking["coachee"])


def test_uploads_left_in_quarantine_are_purged(containers, rpc, store, booking):
    slot = rpc.media.prepare_upload(booking["id"], booking["coachee"])
    store.put(slot["quarantine_key"], samples.png_with_metadata(), "application/octet-stream")

    run_now(containers["media"], "purge_stale_uploads")

    assert versions_of(store, slot["quarantine_key"]) == []


def test_the_service_keeps_answering_while_it_cleans(
    rpc, store, booking, service_config, monkeypatch
):
    """Cleaning runs in a native thread: one that holds its thread for a second (as a big
    file's conversion does) leaves the service free to answer."""
    hold_thread = eventlet.patcher.original("time").sleep

    def slow_cleaning(data, filename, limits):
        hold_thread(1.0)
        return clean_upload(data, filename, limits)

    monkeypatch.setattr(cleaner, "clean_upload", slow_cleaning)
    started = time.monotonic()
    ingest = eventlet.spawn(upload, rpc, store, booking, samples.png_with_metadata(), "a.png")
    latencies = []
    with ClusterRpcProxy(service_config("media"), timeout=30) as probe:
        while not ingest.dead:
            asked = time.monotonic()
            probe.media.health()
            latencies.append(time.monotonic() - asked)
            eventlet.sleep(0.02)

    assert ingest.wait()["content_type"] == "image/png"
    assert time.monotonic() - started >= 1.0
    assert len(latencies) > 5
    assert max(latencies) < 0.5
