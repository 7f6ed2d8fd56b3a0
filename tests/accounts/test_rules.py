"""The accounts service's pure rules: identity codes, details, passwords, throttling, usernames."""

from datetime import UTC, datetime, timedelta

import pytest
from eventlet.semaphore import Semaphore
from marshmallow import ValidationError

from services.accounts.passwords import BUSY_RETRY_SECONDS, PasswordHashing, password_problems
from services.accounts.sessions import SessionLifetimes
from services.accounts.settings import settings_from
from services.accounts.throttle import LoginThrottle
from services.accounts.usernames import new_username
from services.contracts.errors import Throttled
from services.contracts.fields import no_identity_code
from services.contracts.identity_code import contains_identity_code

NOW = datetime(2027, 3, 1, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    "text",
    [
        "131052-308T",
        "Matti 131052-308T",
        "010594Y9021",
        "010594Y9032",
        "120517A1234",
        "010101+0101",
    ],
)
def test_valid_identity_codes_are_recognised_anywhere_in_text(text):
    assert contains_identity_code(text)


@pytest.mark.parametrize(
    "text",
    ["131052-308A", "321052-308T", "member 12345678", "131052-308TX", "040 123 4567", ""],
)
def test_strings_that_only_look_like_identity_codes_pass(text):
    assert not contains_identity_code(text)


def test_identity_code_validator_explains_the_refusal():
    with pytest.raises(ValidationError, match="henkilötunnus"):
        no_identity_code("my id is 131052-308T")


def test_common_short_and_personal_passwords_are_refused():
    assert password_problems("password1") != []
    assert password_problems("qwertyuiop") != []
    assert password_problems("short") != []
    assert password_problems("maija.m@example.fi-2027", "maija.m@example.fi") != []


def test_a_64_character_password_is_accepted_and_verifies():
    password = "kalle-ja-kaisa-kavelivat-kesalla-kauniin-kuusikon-kautta-2027-ok!"[:64]
    assert len(password) == 64
    assert password_problems(password) == []
    hashing = PasswordHashing(memory_kib=19456, time_cost=2, slots=Semaphore(1), wait_seconds=10)
    hashed = hashing.hash(password)
    assert hashed.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    assert hashing.verify(hashed, password)
    assert not hashing.verify(hashed, password[:-1])
    assert not hashing.verify(None, password)


def test_hashes_with_weaker_parameters_need_rehashing():
    weak = PasswordHashing(8192, 1, Semaphore(1), 10).hash("vanha-salasana-123")
    assert PasswordHashing(19456, 2, Semaphore(1), 10).needs_rehash(weak)
    assert not PasswordHashing(8192, 1, Semaphore(1), 10).needs_rehash(weak)


REFERENCE_HASHES = {
    (19456, 2): "$argon2id$v=19$m=19456,t=2,p=1$UbgH75iuLupQbiuoPKWqkw"
    "$1+x5xU9Fgy6H61PP6erYIZL5tkdPrd4iWDDBnIR7qNo",
    (12288, 3): "$argon2id$v=19$m=12288,t=3,p=1$tVEW+zYHvDdPg2+Ma/NOug"
    "$8dRKt3u3Xvx0IPG/Mn2KjphDF4j2n8dRCM7eqOAeVgw",
}
"""Hashes of "vanha-salasana-123" made by argon2's reference implementation (argon2-cffi 25.1),
which hashed this service's passwords before libsodium did."""


@pytest.mark.parametrize("setting", sorted(REFERENCE_HASHES))
def test_hashes_the_reference_implementation_made_still_verify(setting):
    hashing = PasswordHashing(12288, 3, Semaphore(1), 10)
    stored = REFERENCE_HASHES[setting]
    assert hashing.verify(stored, "vanha-salasana-123")
    assert not hashing.verify(stored, "vanha-salasana-124")
    assert hashing.needs_rehash(stored) is (setting != (12288, 3))


@pytest.mark.parametrize(
    "stored",
    [
        "",
        "not a hash",
        "$argon2i$v=19$m=12288,t=3,p=1$tVEW+zYHvDdPg2+Ma/NOug$8dRKt3u3Xvx0IPG/Mn2KjphDF4j2n8dRCM7eqOAeVgw",
        REFERENCE_HASHES[(12288, 3)][:-4],
    ],
)
def test_a_malformed_or_foreign_hash_verifies_nothing(stored):
    hashing = PasswordHashing(12288, 3, Semaphore(1), 10)
    assert not hashing.verify(stored, "vanha-salasana-123")
    assert hashing.needs_rehash("not a hash")


OWASP_ARGON2ID_SETTINGS = {(47104, 1), (19456, 2), (12288, 3), (9216, 4), (7168, 5)}
"""OWASP's Password Storage Cheat Sheet: memory in KiB and passes, each as strong as the others."""


def test_the_default_argon2id_setting_is_one_of_owasps_and_hashes_with_it():
    hashing = settings_from({}).hashing
    assert (hashing.memory_kib, hashing.time_cost) in OWASP_ARGON2ID_SETTINGS
    assert hashing.hash("vanha-salasana-123").startswith("$argon2id$v=19$m=12288,t=3,p=1$")


def test_concurrent_hashes_are_one_unless_configured():
    assert settings_from({}).hashing.slots.balance == 1
    assert settings_from({"PASSWORD_HASH_CONCURRENCY": "3"}).hashing.slots.balance == 3
    assert settings_from({}).hashing.wait_seconds == 10
    assert settings_from({"PASSWORD_HASH_WAIT_SECONDS": "2.5"}).hashing.wait_seconds == 2.5


def test_a_hash_that_cannot_get_a_slot_in_time_is_throttled_and_leaves_the_slot_alone():
    slots = Semaphore(1)
    hashing = PasswordHashing(8192, 1, slots, wait_seconds=0.05)
    slots.acquire()

    with pytest.raises(Throttled) as refused:
        hashing.verify(None, "kuka-tahansa-2027")

    assert refused.value.retry_after == BUSY_RETRY_SECONDS
    assert slots.balance == 0
    slots.release()
    assert hashing.verify(None, "kuka-tahansa-2027") is False
    assert slots.balance == 1


def test_login_lasts_two_days_or_fourteen_with_remember_me():
    lifetimes = SessionLifetimes(normal=timedelta(hours=48), remembered=timedelta(days=14))
    assert lifetimes.expiry(NOW, remember_me=False) == NOW + timedelta(days=2)
    assert lifetimes.expiry(NOW, remember_me=True) == NOW + timedelta(days=14)


def test_throttle_allows_until_the_limit_then_says_when_to_retry():
    throttle = LoginThrottle(limit=3, window=timedelta(minutes=15))
    failures = [NOW - timedelta(minutes=10), NOW - timedelta(minutes=5)]
    assert throttle.retry_after(failures, NOW) is None
    failures.append(NOW - timedelta(minutes=1))
    assert throttle.retry_after(failures, NOW) == 5 * 60
    assert throttle.retry_after(failures, NOW + timedelta(minutes=6)) is None


def test_usernames_are_readable_and_carry_no_name():
    names = {new_username() for _ in range(50)}
    assert len(names) > 40
    assert all(name.isalnum() and name.islower() and name[-4:].isdigit() for name in names)
