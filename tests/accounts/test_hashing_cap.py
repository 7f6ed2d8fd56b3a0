"""No more password hashes run at once in one accounts process than PASSWORD_HASH_CONCURRENCY,
and a login that cannot get a slot within PASSWORD_HASH_WAIT_SECONDS is throttled.

The service's own argon2 hasher is wrapped in a gauge that counts, inside the hash threads, how
many hashes run at the same time while many logins arrive in parallel through the broker.
"""

from dataclasses import dataclass, fields, replace

import eventlet
import pytest
from eventlet.patcher import original
from nameko.standalone.rpc import ServiceRpcProxy
from nameko.testing.utils import get_extension

from services.accounts.passwords import BUSY_RETRY_SECONDS, PasswordHashing
from services.accounts.settings import Settings
from services.contracts.errors import Throttled, Unauthenticated
from tests.accounts.conftest import log_in, unique

PARALLEL_LOGINS = 6


class HashGauge:
    """Entered by every hash as it runs: how many ran in all, and the most at once."""

    def __init__(self):
        self.lock = original("threading").Lock()  # hashes run in native threads
        self.running = self.total = self.most_at_once = 0

    def __enter__(self):
        with self.lock:
            self.running += 1
            self.total += 1
            self.most_at_once = max(self.most_at_once, self.running)

    def __exit__(self, *exc_info):
        with self.lock:
            self.running -= 1


class GaugedHasher:
    """The service's argon2 hasher, hashing inside the gauge."""

    def __init__(self, hasher, gauge: HashGauge):
        self.hasher = hasher
        self.gauge = gauge

    def hash(self, password: str) -> str:
        with self.gauge:
            return self.hasher.hash(password)

    def verify(self, password_hash: str, password: str) -> bool:
        with self.gauge:
            return self.hasher.verify(password_hash, password)

    def check_needs_rehash(self, password_hash: str) -> bool:
        return self.hasher.check_needs_rehash(password_hash)


@dataclass(frozen=True)
class GaugedHashing(PasswordHashing):
    gauge: HashGauge

    @property
    def hasher(self) -> GaugedHasher:
        return GaugedHasher(super().hasher, self.gauge)


@pytest.fixture
def gauge(accounts_container) -> HashGauge:
    """Measures the hashes of the running service, whose settings are otherwise its own."""
    provider = get_extension(accounts_container, Settings)
    hashing = provider.settings.hashing
    gauge = HashGauge()
    gauged = GaugedHashing(
        **{f.name: getattr(hashing, f.name) for f in fields(hashing)}, gauge=gauge
    )
    provider.settings = replace(provider.settings, hashing=gauged)
    return gauge


def test_parallel_logins_hash_one_at_a_time_known_user_or_not(
    accounts, accounts_config, gauge, registration
):
    username = accounts.register_coachee(registration)["username"]
    attempts = [username] * PARALLEL_LOGINS + [unique("nobody") for _ in range(PARALLEL_LOGINS)]

    def attempt(name: str) -> str:
        with ServiceRpcProxy("accounts", accounts_config, timeout=60) as own:
            try:
                log_in(own, name)
                return "logged in"
            except Unauthenticated:
                return "refused"

    outcomes = list(eventlet.GreenPool(len(attempts)).imap(attempt, attempts))

    assert outcomes == ["logged in"] * PARALLEL_LOGINS + ["refused"] * PARALLEL_LOGINS
    assert gauge.total == 1 + len(attempts)
    assert gauge.most_at_once == 1


def test_logins_that_cannot_get_a_hash_slot_in_time_are_throttled_with_retry_after(
    accounts, accounts_config, accounts_container, registration
):
    username = accounts.register_coachee(registration)["username"]
    provider = get_extension(accounts_container, Settings)
    slow_and_impatient = replace(provider.settings.hashing, time_cost=8, wait_seconds=0.001)
    provider.settings = replace(provider.settings, hashing=slow_and_impatient)

    def attempt(_) -> str:
        with ServiceRpcProxy("accounts", accounts_config, timeout=60) as own:
            try:
                log_in(own, username)
                return "logged in"
            except Throttled as busy:
                assert busy.retry_after == BUSY_RETRY_SECONDS
                return "busy"

    outcomes = list(eventlet.GreenPool(PARALLEL_LOGINS).imap(attempt, range(PARALLEL_LOGINS)))

    assert set(outcomes) == {"logged in", "busy"}
    assert attempt(None) == "logged in"
