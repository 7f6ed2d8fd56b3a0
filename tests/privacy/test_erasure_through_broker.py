"""Erasure sagas with accounts, bookings, billing and media running: order, what is left,
resuming after a participant or the privacy service was down, idempotence, the dry run."""

import uuid

import pytest
from sqlalchemy import select, text

from services.bookings.service import BookingsService
from services.contracts.errors import InvalidInput, NotFound
from services.contracts.names import ALL_SERVICES
from services.infra.storage import make_s3_client
from services.infra.tables import erasure_results
from services.privacy.service import PrivacyService
from tests.conftest import wait_for
from tests.media.uploads import versions_of
from tests.privacy.conftest import STEP_RETRY_BASE, attach, booked_coachee, completed, step


def add_note(rpc, catalogue, booking_id: str, body: str) -> None:
    rpc.bookings.add_note(booking_id, {"body": body}, catalogue["coach"]["actor"])


def erase(rpc, username: str) -> dict:
    return rpc.privacy.register_request({"kind": "erasure", "username": username}, None)


def rows_mentioning(engine, marker: str) -> dict[str, int]:
    """Every table of a database whose rows contain `marker` anywhere, with how many rows."""
    found = {}
    with engine.connect() as connection:
        tables = connection.execute(
            text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        ).scalars()
        for table in list(tables):
            count = connection.execute(
                text(f'SELECT count(*) FROM "{table}" AS row WHERE row::text LIKE :pattern'),
                {"pattern": f"%{marker}%"},
            ).scalar_one()
            if count:
                found[table] = count
    return found


def objects_mentioning(s3_config, marker: str) -> list[str]:
    """Every version of every object in the bucket whose key or content contains `marker`."""
    client = make_s3_client(s3_config)
    bucket = s3_config["S3_BUCKET"]
    found = []
    for page in client.get_paginator("list_object_versions").paginate(Bucket=bucket):
        for version in page.get("Versions", []):
            body = client.get_object(
                Bucket=bucket, Key=version["Key"], VersionId=version["VersionId"]
            )["Body"].read()
            if marker in version["Key"] or marker.encode() in body:
                found.append(version["Key"])
    return found


def test_erasure_runs_every_step_in_order_and_leaves_the_account_anonymised(
    rpc, catalogue, subscribers
):
    coachee = booked_coachee(rpc, catalogue, subscribers["roster"]["id"])
    add_note(rpc, catalogue, coachee["booking_id"], "Tavoitteena uusi työpaikka.")

    done = completed(rpc, erase(rpc, coachee["username"])["id"])

    assert [(s["participant"], s["action"]) for s in done["steps"]] == [
        ("accounts", "disable_login"),
        ("bookings", "erase"),
        ("media", "erase"),
        ("billing", "erase"),
        ("accounts", "erase"),
        ("privacy", "erase"),
    ]
    completions = [s["completed_at"] for s in done["steps"]]
    assert completions == sorted(completions)
    assert step(done, "accounts", "erase")["result"]["items_anonymised"] == 1
    assert step(done, "bookings", "erase")["result"]["messages"]
    with pytest.raises(NotFound):
        rpc.accounts.get_account(coachee["account_id"], None)
    left = rpc.bookings.export_personal_data(coachee["account_id"])["items"]
    assert [item["group"] for item in left] == ["bookings"]
    assert (left[0]["data"]["message"], left[0]["data"]["member_number"]) == ("", None)
    assert left[0]["data"]["subscriber_id"] == subscribers["roster"]["id"]


def test_after_erasure_only_the_retained_billing_lines_hold_a_marker_planted_in_personal_data(
    rpc, catalogue, subscribers, engines, s3_config, media_store, admin
):
    marker = f"mrk{uuid.uuid4().hex[:12]}"
    coachee = booked_coachee(
        rpc,
        catalogue,
        subscribers["manual"]["id"],
        message=f"Viesti {marker}",
        name=f"Maija {marker}",
        email=f"{marker}@example.fi",
        member_number=f"{marker}-7",
    )
    add_note(rpc, catalogue, coachee["booking_id"], f"Muistiinpano {marker}")
    attach(rpc, media_store, coachee, f"cv-{marker}.pdf")
    stored = rpc.media.export_personal_data(coachee["account_id"])["files"][0]["key"]
    rpc.bookings.decide_eligibility(coachee["booking_id"], True, admin)
    wait_for(lambda: rows_mentioning(engines["billing"], marker))
    export = rpc.privacy.register_request({"kind": "export", "username": coachee["username"]}, None)
    completed(rpc, export["id"])
    # In S3 the marker is in the export answer (the ZIP names the file); media's copy is cleaned.
    assert rows_mentioning(engines["accounts"], marker) and objects_mentioning(s3_config, marker)
    assert rows_mentioning(engines["media"], marker) == {"attachments": 1}
    assert versions_of(media_store, stored)

    done = completed(rpc, erase(rpc, coachee["username"])["id"])

    found = {name: rows_mentioning(engines[name], marker) for name in ALL_SERVICES}
    retained = step(done, "billing", "erase")["result"]
    assert {name: set(tables) for name, tables in found.items() if tables} == {
        "billing": {"billable_lines"}
    }
    assert retained["items_retained"] >= 1
    assert any("Accounting Act" in reason for reason in retained["messages"])
    assert objects_mentioning(s3_config, marker) == []
    assert versions_of(media_store, stored) == []
    assert step(done, "media", "erase")["result"]["items_removed"] == 1
    assert step(done, "privacy", "erase")["result"]["items_removed"] == 1
    assert rpc.privacy.get_request(export["id"], None)["result_available"] is False


def test_erasure_waits_for_a_participant_that_is_down_and_resumes_when_it_is_back(
    rpc, catalogue, subscribers, containers, start, clock
):
    coachee = booked_coachee(rpc, catalogue, subscribers["roster"]["id"])
    add_note(rpc, catalogue, coachee["booking_id"], "Tavoitteena uusi työpaikka.")
    containers["bookings"].stop()

    request = erase(rpc, coachee["username"])

    def bookings_failed():
        found = rpc.privacy.get_request(request["id"], None)
        return found if step(found, "bookings", "erase")["attempts"] == 1 else None

    waiting = wait_for(bookings_failed)
    assert waiting["status"] == "open"
    assert step(waiting, "accounts", "disable_login")["status"] == "done"
    assert "bookings did not answer" in step(waiting, "bookings", "erase")["last_error"]
    assert all(s["status"] == "pending" for s in waiting["steps"][1:])

    start(BookingsService)
    clock.advance(STEP_RETRY_BASE)
    done = completed(rpc, request["id"])

    assert step(done, "bookings", "erase")["attempts"] == 2
    assert step(done, "bookings", "erase")["last_error"] is None
    assert (
        rpc.bookings.export_personal_data(coachee["account_id"])["items"][0]["data"]["message"]
        == ""
    )


def stored_erasure(engine, request_id: str) -> dict | None:
    """What a participant stored as its answer to an erasure request, once it applied it."""
    with engine.connect() as connection:
        return connection.execute(
            select(erasure_results.c.result).where(erasure_results.c.request_id == request_id)
        ).scalar()


def test_erasure_resumes_after_the_privacy_service_was_killed_and_applies_each_step_once(
    rpc, catalogue, subscribers, containers, start, clock, engines
):
    coachee = booked_coachee(rpc, catalogue, subscribers["roster"]["id"])
    add_note(rpc, catalogue, coachee["booking_id"], "Tavoitteena uusi työpaikka.")
    containers["bookings"].stop()
    request = erase(rpc, coachee["username"])
    wait_for(
        lambda: step(rpc.privacy.get_request(request["id"], None), "bookings", "erase")["attempts"]
    )

    containers["privacy"].kill()
    start(BookingsService)
    # The call the killed service sent is still queued: bookings applies it when it is back.
    applied = wait_for(lambda: stored_erasure(engines["bookings"], request["id"]))
    start(PrivacyService)
    clock.advance(STEP_RETRY_BASE)
    done = completed(rpc, request["id"])

    assert applied["items_removed"] >= 1
    assert step(done, "bookings", "erase")["result"] == {
        key: applied[key]
        for key in ("items_removed", "items_anonymised", "items_retained", "messages")
    }
    assert step(done, "accounts", "disable_login")["attempts"] == 1
    assert all(s["status"] == "done" for s in done["steps"])


def test_repeating_an_erasure_changes_nothing_more(rpc, catalogue, subscribers):
    coachee = booked_coachee(rpc, catalogue, subscribers["roster"]["id"])
    add_note(rpc, catalogue, coachee["booking_id"], "Tavoitteena uusi työpaikka.")
    first = completed(rpc, erase(rpc, coachee["username"])["id"])
    same_request = rpc.bookings.erase_personal_data(coachee["account_id"], first["id"])

    with pytest.raises(InvalidInput):
        erase(rpc, coachee["username"])
    again = rpc.bookings.erase_personal_data(coachee["account_id"], str(uuid.uuid4()))

    assert same_request == {**step(first, "bookings", "erase")["result"], "done": True}
    assert again["items_removed"] == 0
    assert (
        rpc.accounts.erase_personal_data(coachee["account_id"], str(uuid.uuid4()))[
            "items_anonymised"
        ]
        == 0
    )


def test_dry_run_tells_what_each_service_would_do_and_changes_nothing(
    rpc, catalogue, subscribers, media_store
):
    coachee = booked_coachee(rpc, catalogue, subscribers["roster"]["id"])
    add_note(rpc, catalogue, coachee["booking_id"], "Tavoitteena uusi työpaikka.")
    attach(rpc, media_store, coachee)
    before = rpc.bookings.export_personal_data(coachee["account_id"])
    media_before = rpc.media.export_personal_data(coachee["account_id"])

    preview = rpc.privacy.preview_erasure(coachee["username"], None)

    by_service = {answer["service"]: answer for answer in preview["services"]}
    assert list(by_service) == ["bookings", "media", "billing", "accounts", "privacy"]
    assert by_service["accounts"]["items_anonymised"] == 1
    assert by_service["media"]["items_removed"] == 1
    assert by_service["bookings"]["items_removed"] >= 1 and by_service["bookings"]["messages"]
    assert all(answer["available"] for answer in preview["services"])
    assert rpc.accounts.get_account(coachee["account_id"], None)["username"] == coachee["username"]
    assert rpc.bookings.export_personal_data(coachee["account_id"]) == before
    assert rpc.media.export_personal_data(coachee["account_id"]) == media_before
    assert versions_of(media_store, media_before["files"][0]["key"])


def test_coachees_own_erasure_request_from_accounts_runs_the_saga(rpc, catalogue, subscribers):
    coachee = booked_coachee(rpc, catalogue, subscribers["roster"]["id"])

    accepted = rpc.accounts.request_erasure(coachee["account_id"], coachee["password"])

    def registered():
        try:
            return rpc.privacy.get_request(accepted["request_id"], None)
        except NotFound:
            return None

    request = wait_for(registered)
    assert request["origin"] == "subject"
    assert request["login_name"] == coachee["username"]
    assert completed(rpc, request["id"])["kind"] == "erasure"
    with pytest.raises(NotFound):
        rpc.accounts.get_account(coachee["account_id"], None)
