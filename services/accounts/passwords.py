"""Password rules and argon2id hashing.

Hashes are computed by libsodium (PyNaCl), which picks the fastest code the CPU runs (AVX2,
AVX-512): the same algorithm, parameters and PHC string as the reference implementation, whose
hashes it verifies and which verifies its, with a quarter less CPU per hash on this machine
(12.4 ms against 16.8 ms at 12 MiB and 3 passes). It hashes with one lane (p=1), as every
setting on OWASP's list does and as this service always has.

Hashing is CPU work that would stall every greenlet of the service, so it runs in eventlet's
thread pool. Hash threads still take the CPU from the service's other requests, so at most
`PASSWORD_HASH_CONCURRENCY` hashes run at once and further logins wait for a slot. A login
that waits longer than `PASSWORD_HASH_WAIT_SECONDS` is refused as throttled (429), so a flood
of logins cannot make the queue, and every login in it, grow without end. The dummy hash for an
unknown user waits for a slot like any other. The list of common passwords is Django's
(20,000 entries, BSD licence).
"""

import gzip
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from eventlet import tpool
from eventlet.semaphore import Semaphore
from nacl.exceptions import InvalidkeyError
from nacl.pwhash import argon2id

from services.contracts.errors import Throttled
from services.contracts.fields import PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH

COMMON_PASSWORDS_FILE = Path(__file__).with_name("common-passwords.txt.gz")
BUSY_RETRY_SECONDS = 5


@cache
def common_passwords() -> frozenset[str]:
    with gzip.open(COMMON_PASSWORDS_FILE, "rt", encoding="utf-8") as handle:
        return frozenset(line.strip().lower() for line in handle if line.strip())


def password_problems(password: str, *personal: str) -> list[str]:
    """Why a new password is refused; empty when it is acceptable."""
    if len(password) < PASSWORD_MIN_LENGTH:
        return [f"Use at least {PASSWORD_MIN_LENGTH} characters."]
    if len(password) > PASSWORD_MAX_LENGTH:
        return [f"Use at most {PASSWORD_MAX_LENGTH} characters."]
    lowered = password.lower()
    if lowered in common_passwords():
        return ["This password is too common; choose another."]
    if any(value and value.lower() in lowered for value in personal if len(value or "") >= 4):
        return ["The password must not contain your username or email."]
    return []


PHC_PARAMETERS = re.compile(r"\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$")


@dataclass(frozen=True)
class Argon2id:
    """argon2id hashes in PHC strings (`$argon2id$v=19$m=…,t=…,p=1$salt$hash`) with one setting."""

    memory_kib: int
    time_cost: int

    def hash(self, password: str) -> str:
        hashed = argon2id.str(
            password.encode(), opslimit=self.time_cost, memlimit=self.memory_kib * 1024
        )
        return hashed.decode("ascii")

    def verify(self, password_hash: str, password: str) -> bool:
        """Whether the password is the hashed one; a malformed hash verifies nothing."""
        try:
            return argon2id.verify(password_hash.encode(), password.encode())
        except InvalidkeyError:
            return False

    def check_needs_rehash(self, password_hash: str) -> bool:
        found = PHC_PARAMETERS.match(password_hash)
        wanted = (str(self.memory_kib), str(self.time_cost), "1")
        return found is None or found.groups() != wanted


@dataclass(frozen=True)
class PasswordHashing:
    memory_kib: int
    time_cost: int
    slots: Semaphore
    wait_seconds: float

    @property
    def hasher(self) -> Argon2id:
        return Argon2id(self.memory_kib, self.time_cost)

    def _in_slot(self, function, *args):
        if not self.slots.acquire(timeout=self.wait_seconds):
            raise Throttled(
                "Too many logins at once; try again in a moment.", retry_after=BUSY_RETRY_SECONDS
            )
        try:
            return tpool.execute(function, *args)
        finally:
            self.slots.release()

    def hash(self, password: str) -> str:
        return self._in_slot(self.hasher.hash, password)

    def verify(self, password_hash: str | None, password: str) -> bool:
        """Check a password; with no hash (unknown user) still spend the same time."""
        if password_hash is None:
            self._in_slot(self.hasher.hash, password)
            return False
        return self._in_slot(self.hasher.verify, password_hash, password)

    def needs_rehash(self, password_hash: str) -> bool:
        return self.hasher.check_needs_rehash(password_hash)
