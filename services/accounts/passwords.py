"""Password rules and argon2id hashing.

Hashing is CPU work that would stall every greenlet of the service, so it runs in eventlet's
thread pool. Hash threads still take the CPU from the service's other requests, so at most
`PASSWORD_HASH_CONCURRENCY` hashes run at once and further logins wait for a slot. A login
that waits longer than `PASSWORD_HASH_WAIT_SECONDS` is refused as throttled (429), so a flood
of logins cannot make the queue, and every login in it, grow without end. The dummy hash for an
unknown user waits for a slot like any other. The list of common passwords is Django's
(20,000 entries, BSD licence).
"""

import gzip
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError
from eventlet import tpool
from eventlet.semaphore import Semaphore

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


@dataclass(frozen=True)
class PasswordHashing:
    memory_kib: int
    time_cost: int
    slots: Semaphore
    wait_seconds: float

    @property
    def hasher(self) -> PasswordHasher:
        return PasswordHasher(
            time_cost=self.time_cost, memory_cost=self.memory_kib, parallelism=1, type=Type.ID
        )

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
        try:
            return self._in_slot(self.hasher.verify, password_hash, password)
        except (VerificationError, InvalidHashError):
            return False

    def needs_rehash(self, password_hash: str) -> bool:
        return self.hasher.check_needs_rehash(password_hash)
