"""Forgotten passwords in the accounts service over RPC, on the real broker, database and SMTP
sink: the mail and its link, setting the password, the token used once, replaced or expired,
the same silence for unknown and disabled logins, throttling and the privacy contract."""

import hashlib
import re
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from services.contracts.accounts import InvalidResetToken
from services.contracts.errors import InvalidInput, Throttled, Unauthenticated
from tests.accounts.conftest import PASSWORD, log_in, unique
from tests.conftest import run_now, wait_for

NEW_PASSWORD = "Syksyn-Lehdet-Putoavat-7"
LINK = re.compile(r"(\S+)/unohtunut-salasana/uusi\?token=([A-Za-z0-9_-]+)")


def ask(accounts, login: str, address: str | None = None, language: str = "fi") -> None:
    request = {"login": login, "client_address": address or unique("client-"), "language": language}
    assert accounts.request_password_reset(request) is None


def send_mails(accounts_container) -> None:
    """Sends the due mails now; the service's own timer may have taken some of them first."""
    run_now(accounts_container, "send_password_reset_mails")


def mails_to(smtp_sink, email: str, count: int) -> list:
    return wait_for(lambda: (found := smtp_sink.received(to=email))[count - 1 :] and found)


def mailed_token(accounts, accounts_container, smtp_sink, login: str, email: str) -> str:
    already = len(smtp_sink.received(to=email))
    ask(accounts, login)
    send_mails(accounts_container)
    return LINK.search(mails_to(smtp_sink, email, already + 1)[-1].get_content())[2]


@pytest.fixture
def coachee(accounts, registration):
    created = accounts.register_coachee(registration)
    return {**created, "email": registration["email"].lower()}


def test_a_mailed_link_sets_a_new_password_and_ends_every_session(
    accounts, accounts_container, smtp_sink, coachee
):
    sessions = [log_in(accounts, coachee["username"])["token"] for _ in range(2)]

    token = mailed_token(
        accounts, accounts_container, smtp_sink, coachee["username"], coachee["email"]
    )
    (mail,) = smtp_sink.received(to=coachee["email"])
    assert mail["Subject"] == "Uusi salasana"
    assert LINK.search(mail.get_content())[1] == "http://127.0.0.1:8000"
    assert coachee["username"] in mail.get_content()
    assert accounts.check_password_reset({"token": token}) == {"valid": True}

    assert accounts.reset_password({"token": token, "password": NEW_PASSWORD}) is None

    for session in sessions:
        with pytest.raises(Unauthenticated):
            accounts.resolve_session(session)
    with pytest.raises(Unauthenticated):
        log_in(accounts, coachee["username"], password=PASSWORD)
    assert log_in(accounts, coachee["username"], password=NEW_PASSWORD)["token"]
    with pytest.raises(InvalidResetToken) as reused:
        accounts.reset_password({"token": token, "password": "Toinen-Uusi-Salasana-8"})
    assert list(reused.value.fields) == ["token"]
    with pytest.raises(InvalidResetToken):
        accounts.check_password_reset({"token": token})


def test_the_database_keeps_only_the_tokens_hash(
    accounts, accounts_container, smtp_sink, coachee, service_databases
):
    token = mailed_token(
        accounts, accounts_container, smtp_sink, coachee["username"], coachee["email"]
    )

    engine = create_engine(service_databases["accounts"], poolclass=NullPool)
    with engine.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT r::text AS reset, m::text AS mail, r.token_hash FROM password_resets r "
                "JOIN password_reset_mails m ON m.password_reset_id = r.id "
                "WHERE r.account_id = :account"
            ),
            {"account": coachee["account_id"]},
        ).all()
    engine.dispose()
    (row,) = rows
    assert bytes(row.token_hash) == hashlib.sha256(token.encode()).digest()
    assert token not in row.reset and token not in row.mail


def test_a_weak_new_password_is_refused_naming_it_and_the_link_still_works(
    accounts, accounts_container, smtp_sink, coachee
):
    token = mailed_token(
        accounts, accounts_container, smtp_sink, coachee["username"], coachee["email"]
    )

    with pytest.raises(InvalidInput) as caught:
        accounts.reset_password({"token": token, "password": "password123"})
    assert list(caught.value.fields) == ["password"]
    with pytest.raises(InvalidInput) as caught:
        accounts.reset_password({"token": token, "password": f"x{coachee['username']}x"})
    assert list(caught.value.fields) == ["password"]
    assert accounts.check_password_reset({"token": token}) == {"valid": True}


def test_a_new_link_replaces_the_earlier_unused_one(
    accounts, accounts_container, smtp_sink, coachee
):
    first = mailed_token(
        accounts, accounts_container, smtp_sink, coachee["username"], coachee["email"]
    )
    second = mailed_token(
        accounts, accounts_container, smtp_sink, coachee["email"], coachee["email"]
    )

    with pytest.raises(InvalidResetToken):
        accounts.check_password_reset({"token": first})
    assert accounts.reset_password({"token": second, "password": NEW_PASSWORD}) is None


def test_a_link_expires_after_an_hour(accounts, accounts_container, smtp_sink, coachee, clock):
    token = mailed_token(
        accounts, accounts_container, smtp_sink, coachee["username"], coachee["email"]
    )

    clock.advance(timedelta(minutes=59))
    assert accounts.check_password_reset({"token": token}) == {"valid": True}
    clock.advance(timedelta(minutes=1))
    with pytest.raises(InvalidResetToken):
        accounts.check_password_reset({"token": token})
    with pytest.raises(InvalidResetToken):
        accounts.reset_password({"token": token, "password": NEW_PASSWORD})
    assert log_in(accounts, coachee["username"])["token"]


def test_a_mail_not_sent_before_its_link_expired_is_not_sent(
    accounts, accounts_container, smtp_sink, coachee, clock
):
    ask(accounts, coachee["username"])
    clock.advance(timedelta(hours=1))

    send_mails(accounts_container)

    assert smtp_sink.received(to=coachee["email"]) == []


def test_unknown_logins_and_disabled_accounts_get_the_same_answer_and_no_mail(
    accounts, accounts_container, smtp_sink, coachee, admin
):
    accounts.set_disabled(coachee["account_id"], {"disabled": True}, admin)
    before = len(smtp_sink.received())

    ask(accounts, coachee["username"])
    ask(accounts, unique("nobody"))
    ask(accounts, f"{unique('nobody')}@example.fi")
    send_mails(accounts_container)

    assert len(smtp_sink.received()) == before


def test_an_email_address_reaches_every_account_it_belongs_to_in_its_language(
    accounts, accounts_container, smtp_sink, registration
):
    first = accounts.register_coachee(registration)
    second = accounts.register_coachee(dict(registration, member_number=unique("M-")))

    ask(accounts, registration["email"].upper(), language="sv")
    send_mails(accounts_container)

    mails = mails_to(smtp_sink, registration["email"], 2)
    assert {mail["Subject"] for mail in mails} == {"Nytt lösenord"}
    usernames = {first["username"], second["username"]}
    assert {u for u in usernames for mail in mails if u in mail.get_content()} == usernames


def test_unknown_and_malformed_tokens_are_refused_naming_the_token(accounts):
    with pytest.raises(InvalidResetToken) as unknown:
        accounts.check_password_reset({"token": uuid.uuid4().hex})
    assert list(unknown.value.fields) == ["token"]
    with pytest.raises(InvalidInput) as malformed:
        accounts.reset_password({"token": "x" * 201, "password": NEW_PASSWORD})
    assert list(malformed.value.fields) == ["token"]


def test_requests_are_throttled_per_login_and_per_address_known_or_not(accounts, coachee, clock):
    for login in (coachee["username"], unique("nobody")):
        for _ in range(3):
            ask(accounts, login)
        with pytest.raises(Throttled) as caught:
            ask(accounts, login)
        assert 0 < caught.value.retry_after <= 15 * 60
    address = unique("10.3.")
    for _ in range(3):
        ask(accounts, unique("nobody"), address=address)
    with pytest.raises(Throttled):
        ask(accounts, unique("somebody"), address=address)
    assert log_in(accounts, coachee["username"])["token"]

    clock.advance(timedelta(minutes=15, seconds=1))
    ask(accounts, coachee["username"])


def test_resets_are_exported_as_times_and_erased_with_the_account(
    accounts, accounts_container, smtp_sink, coachee
):
    token = mailed_token(
        accounts, accounts_container, smtp_sink, coachee["username"], coachee["email"]
    )

    export = accounts.export_personal_data(coachee["account_id"])
    (reset,) = [item for item in export["items"] if item["group"] == "password_resets"]
    assert set(reset["data"]) == {"requested_at", "expires_at", "used_at"}

    result = accounts.erase_personal_data(coachee["account_id"], str(uuid.uuid4()))
    assert result["items_removed"] >= 1
    export = accounts.export_personal_data(coachee["account_id"])
    assert [item["group"] for item in export["items"]] == ["account"]
    with pytest.raises(InvalidResetToken):
        accounts.check_password_reset({"token": token})


def test_expired_resets_are_deleted_with_their_mails(accounts, accounts_container, coachee, clock):
    ask(accounts, coachee["username"])
    clock.advance(timedelta(hours=1))

    assert run_now(accounts_container, "delete_expired_password_resets") >= 1
    export = accounts.export_personal_data(coachee["account_id"])
    assert "password_resets" not in {item["group"] for item in export["items"]}
