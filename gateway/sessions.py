"""The principal behind a session token, remembered for a few seconds.

Every logged-in request needs its caller's `Principal`, and asking accounts costs an RPC round
trip each time. So the gateway keeps each answer for at most `SESSION_CACHE_SECONDS`, and never
past the session's own `expires_at`. Only answers are kept: a refusal (`Unauthenticated`) is
asked again next time. Entries are keyed by the token's SHA-256, so the cache holds no token.

A session can end, and an account change its role or name, before its entries run out: accounts
then announces `sessions_changed`, and every gateway instance hears it on a queue of its own
(BROADCAST) and forgets the account's entries. A lost announcement only means an entry lives
until its time is up; the gateway's own logout forgets its token without waiting for one.
"""

from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime, timedelta

from nameko.events import BROADCAST, event_handler

from gateway.service_calls import TimedRpcProxy
from services.contracts.accounts import SESSIONS_CHANGED, SessionsChanged
from services.contracts.names import ACCOUNTS
from services.infra.clock import Clock
from services.infra.tokens import token_hash

DEFAULT_CACHE_SECONDS = 10.0
DEFAULT_CACHE_ENTRIES = 10000


@dataclass(frozen=True)
class CachedPrincipal:
    principal: dict
    account_id: str
    good_until: datetime


class SessionCache:
    """Principals by token hash, each served until `lifetime` after it was stored or until its
    session expires, whichever comes first; at most `max_entries`, the oldest dropped first.

    A gateway process is one eventlet loop, so its workers share one cache without locks.
    """

    def __init__(self, lifetime: timedelta, max_entries: int):
        self.lifetime = lifetime
        self.max_entries = max_entries
        self.entries: OrderedDict[bytes, CachedPrincipal] = OrderedDict()
        self.generation = 0

    @property
    def enabled(self) -> bool:
        return self.lifetime > timedelta(0) and self.max_entries > 0

    def get(self, token: str, now: datetime) -> dict | None:
        key = token_hash(token)
        cached = self.entries.get(key)
        if cached is None:
            return None
        if now >= cached.good_until:
            del self.entries[key]
            return None
        return cached.principal

    def put(self, token: str, principal: dict, now: datetime, generation: int) -> None:
        """Keeps `principal`, asked for at `now` when the cache was at `generation`.

        Anything forgotten since then may have been an answer still on its way (the session
        ended while accounts answered), so the answer is then not kept.
        """
        if not self.enabled or generation != self.generation:
            return
        expires_at = datetime.fromisoformat(principal["expires_at"])
        good_until = min(now + self.lifetime, expires_at)
        if good_until <= now:
            return
        key = token_hash(token)
        self.entries.pop(key, None)
        self.entries[key] = CachedPrincipal(principal, str(principal["account_id"]), good_until)
        while len(self.entries) > self.max_entries:
            self.entries.popitem(last=False)

    def forget_token(self, token: str) -> None:
        self.generation += 1
        self.entries.pop(token_hash(token), None)

    def forget_account(self, account_id: str) -> None:
        """Drops every entry of the account (a scan: announcements are rare beside requests)."""
        self.generation += 1
        stale = [key for key, cached in self.entries.items() if cached.account_id == account_id]
        for key in stale:
            del self.entries[key]


class ResolvedSessions:
    """What a worker sees: the principal behind a token, from the cache or from accounts."""

    def __init__(self, cache: SessionCache, resolve_session, clock):
        self.cache = cache
        self.resolve_session = resolve_session
        self.clock = clock

    def principal(self, token: str) -> dict:
        """Raises accounts' `Unauthenticated` when the token has no live session."""
        now = self.clock.now()
        principal = self.cache.get(token, now)
        if principal is None:
            generation = self.cache.generation
            principal = self.resolve_session(token)
            self.cache.put(token, principal, now, generation)
        return principal

    def forget(self, token: str) -> None:
        self.cache.forget_token(token)

    def forget_account(self, account_id: str) -> None:
        self.cache.forget_account(account_id)


class Sessions(TimedRpcProxy):
    """accounts' `resolve_session` behind one cache shared by every worker of the container,
    on the container's clock."""

    def __init__(self, **options):
        super().__init__(ACCOUNTS, **options)

    def setup(self):
        super().setup()
        config = self.container.config
        seconds = float(config.get("SESSION_CACHE_SECONDS", DEFAULT_CACHE_SECONDS))
        entries = int(config.get("SESSION_CACHE_ENTRIES", DEFAULT_CACHE_ENTRIES))
        self.cache = SessionCache(timedelta(seconds=seconds), entries)
        self.clock = next(dep for dep in self.container.dependencies if isinstance(dep, Clock))

    def get_dependency(self, worker_ctx) -> ResolvedSessions:
        accounts = super().get_dependency(worker_ctx)
        return ResolvedSessions(self.cache, accounts.resolve_session, self.clock.source)


class SessionRevocation:
    """Mixed into the gateway, which has `sessions`: hears every `sessions_changed`."""

    @event_handler(ACCOUNTS, SESSIONS_CHANGED, handler_type=BROADCAST, reliable_delivery=False)
    def forget_changed_sessions(self, payload: dict) -> None:
        changed = SessionsChanged().load(payload)
        self.sessions.forget_account(str(changed["account_id"]))
