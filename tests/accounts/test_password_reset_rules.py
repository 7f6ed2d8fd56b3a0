"""The pure parts of password resets: the mail in each language, when a queued mail may no
longer go, the throttling keys, the settings and the contract's schemas."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from marshmallow import ValidationError

from services.accounts.reset_mail import ResetMail, compose
from services.accounts.reset_mail_sender import reason_not_to_send
from services.accounts.settings import settings_from
from services.accounts.throttle import reset_throttle_keys, throttle_keys
from services.contracts.accounts import PasswordResetConfirmation, PasswordResetRequest

NOW = datetime(2027, 3, 1, 12, 0, tzinfo=UTC)
SENDER = "Valmennuskalenteri <noreply@valmennuskalenteri.local>"


def reset_mail(**changes) -> ResetMail:
    values = {
        "job_id": uuid.UUID(int=7),
        "language": "fi",
        "username": "iloinen-kettu-42",
        "recipient_name": "Maija Meikäläinen",
        "recipient_email": "maija@example.fi",
        "token": "abc-DEF_123",
        "valid_minutes": 60,
        "link_base_url": "https://valmennus.example",
    }
    return ResetMail(**{**values, **changes})


@pytest.mark.parametrize(
    ("language", "subject", "greeting", "minutes"),
    [
        ("fi", "Uusi salasana", "Hei Maija Meikäläinen,", "voimassa 60 minuuttia"),
        ("sv", "Nytt lösenord", "Hej Maija Meikäläinen,", "gäller i 60 minuter"),
        ("en", "A new password", "Hello Maija Meikäläinen,", "for 60 minutes"),
    ],
)
def test_the_mail_speaks_its_language_and_links_to_the_reset_page(
    language, subject, greeting, minutes
):
    message = compose(reset_mail(language=language), SENDER, NOW)

    text = message.get_content()
    assert message["Subject"] == subject
    assert message["To"].addresses[0].addr_spec == "maija@example.fi"
    assert message["Content-Language"] == language
    assert text.startswith(greeting + "\n")
    assert "https://valmennus.example/unohtunut-salasana/uusi?token=abc-DEF_123\n" in text
    assert "iloinen-kettu-42" in text
    assert minutes in text
    assert text.rstrip().endswith("Valmennuskalenteri")


def test_a_mail_to_an_account_without_a_name_greets_without_one():
    message = compose(reset_mail(recipient_name=None), SENDER, NOW)

    assert message.get_content().startswith("Hei,\n")


def reset_row(**changes) -> dict:
    return {
        "used_at": None,
        "revoked_at": None,
        "expires_at": NOW + timedelta(minutes=30),
        "email": "maija@example.fi",
        "disabled_permanently": False,
        "disabled_until": None,
        "erased_at": None,
        **changes,
    }


def test_a_queued_mail_goes_only_while_its_reset_and_account_are_usable():
    assert reason_not_to_send(reset_row(), NOW) is None
    assert reason_not_to_send(reset_row(used_at=NOW), NOW) == "the reset was used"
    assert reason_not_to_send(reset_row(revoked_at=NOW), NOW) == "a newer reset replaced it"
    assert reason_not_to_send(reset_row(expires_at=NOW), NOW) == "the reset has expired"
    not_in_use = "the account is not in use"
    assert reason_not_to_send(reset_row(disabled_permanently=True), NOW) == not_in_use
    later = NOW + timedelta(days=1)
    assert reason_not_to_send(reset_row(disabled_until=later), NOW) == not_in_use
    assert reason_not_to_send(reset_row(erased_at=NOW), NOW) == not_in_use
    assert reason_not_to_send(reset_row(email=None), NOW) == not_in_use


def test_reset_requests_are_counted_apart_from_failed_logins_and_by_the_login_as_given():
    reset_keys = reset_throttle_keys(" Maija@Example.fi ", "192.0.2.1")

    assert reset_keys == reset_throttle_keys("maija@example.fi", "192.0.2.1")
    assert not set(reset_keys) & set(throttle_keys("maija@example.fi", "192.0.2.1"))
    assert reset_throttle_keys("iloinen-kettu-42", "192.0.2.1")[0] != reset_keys[0]


def test_a_reset_link_lives_an_hour_and_points_at_the_local_gateway_by_default():
    assert settings_from({}).resets.valid_for == timedelta(hours=1)
    assert settings_from({}).resets.link_base_url == "http://127.0.0.1:8000"
    configured = settings_from(
        {"PASSWORD_RESET_VALID_SECONDS": "600", "ACCOUNT_LINK_BASE_URL": "https://x.example/"}
    ).resets
    assert configured.valid_for == timedelta(minutes=10)
    assert configured.link_base_url == "https://x.example"


def test_a_reset_request_is_in_finnish_unless_another_known_language_is_asked_for():
    assert PasswordResetRequest().load({"login": "maija"})["language"] == "fi"
    assert PasswordResetRequest().load({"login": "maija", "language": "sv"})["language"] == "sv"
    with pytest.raises(ValidationError) as caught:
        PasswordResetRequest().load({"login": "maija", "language": "de"})
    assert "language" in caught.value.messages


def test_a_new_password_has_the_length_rules_of_every_new_password():
    with pytest.raises(ValidationError) as caught:
        PasswordResetConfirmation().load({"token": "t", "password": "short"})
    assert set(caught.value.messages) == {"password"}
    with pytest.raises(ValidationError) as caught:
        PasswordResetConfirmation().load({"token": "", "password": "Pitka-Salasana-2027"})
    assert set(caught.value.messages) == {"token"}
