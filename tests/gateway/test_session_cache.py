"""The gateway's memory of resolved sessions: how long an answer is served, how many are kept,
what is forgotten, and what is never kept."""

import hashlib
import uuid
from datetime import UTC, datetime, timedelta
from unittest.mock import Mock

import pytest
from nameko.testing.services import worker_factory

from gateway.service import GatewayService
from gateway.sessions import ResolvedSessions, SessionCache
from services.contracts.errors import Unauthenticated
from services.infra.clock import SettableClock

NOW = datetime(2027, 3, 1, 8, 0, tzinfo=UTC)
TEN_SECONDS = timedelta(seconds=10)


def principal(account_id: str | None = None, expires_at: datetime = NOW + timedelta(days=2)):
    return {
        "account_id": account_id or str(uuid.uuid4()),
        "username": "someone",
        "role": "coachee",
        "name": "Some One",
        "session_id": str(uuid.uuid4()),
        "csrf_token": "csrf",
        "expires_at": expires_at.isoformat(),
    }


def stored(cache: SessionCache, token: str, answer: dict, now: datetime = NOW) -> None:
    cache.put(token, answer, now, cache.generation)


def test_an_answer_is_served_until_the_cache_lifetime_has_passed():
    cache = SessionCache(TEN_SECONDS, 100)
    answer = principal()
    stored(cache, "token", answer)

    assert cache.get("token", NOW + timedelta(seconds=9.9)) == answer
    assert cache.get("token", NOW + TEN_SECONDS) is None


def test_an_answer_is_never_served_past_the_sessions_own_end():
    cache = SessionCache(TEN_SECONDS, 100)
    answer = principal(expires_at=NOW + timedelta(seconds=3))
    stored(cache, "token", answer)

    assert cache.get("token", NOW + timedelta(seconds=2)) == answer
    assert cache.get("token", NOW + timedelta(seconds=3)) is None


def test_a_session_already_ended_by_the_clock_is_not_kept():
    cache = SessionCache(TEN_SECONDS, 100)
    stored(cache, "token", principal(expires_at=NOW))

    assert cache.entries == {}


def test_the_oldest_answer_is_dropped_beyond_the_bound():
    cache = SessionCache(TEN_SECONDS, 2)
    for token in ("first", "second", "third"):
        stored(cache, token, principal())

    assert cache.get("first", NOW) is None
    assert cache.get("second", NOW) is not None
    assert cache.get("third", NOW) is not None
    assert len(cache.entries) == 2


def test_forgetting_an_account_drops_each_of_its_sessions_and_no_other():
    cache = SessionCache(TEN_SECONDS, 100)
    account_id = str(uuid.uuid4())
    stored(cache, "phone", principal(account_id))
    stored(cache, "laptop", principal(account_id))
    stored(cache, "someone-else", principal())

    cache.forget_account(account_id)

    assert cache.get("phone", NOW) is None
    assert cache.get("laptop", NOW) is None
    assert cache.get("someone-else", NOW) is not None


def test_forgetting_a_token_drops_only_that_session():
    cache = SessionCache(TEN_SECONDS, 100)
    account_id = str(uuid.uuid4())
    stored(cache, "phone", principal(account_id))
    stored(cache, "laptop", principal(account_id))

    cache.forget_token("phone")

    assert cache.get("phone", NOW) is None
    assert cache.get("laptop", NOW) is not None


def test_an_answer_asked_for_before_something_was_forgotten_is_not_kept():
    cache = SessionCache(TEN_SECONDS, 100)
    account_id = str(uuid.uuid4())
    asked_at = cache.generation

    cache.forget_account(account_id)
    cache.put("token", principal(account_id), NOW, asked_at)

    assert cache.get("token", NOW) is None


def test_entries_are_keyed_by_the_tokens_hash_never_the_token():
    cache = SessionCache(TEN_SECONDS, 100)
    stored(cache, "the-secret-token", principal())

    assert list(cache.entries) == [hashlib.sha256(b"the-secret-token").digest()]


@pytest.mark.parametrize(("lifetime", "entries"), [(timedelta(0), 100), (TEN_SECONDS, 0)])
def test_a_cache_of_no_time_or_no_room_keeps_nothing(lifetime, entries):
    cache = SessionCache(lifetime, entries)
    stored(cache, "token", principal())

    assert cache.get("token", NOW) is None
    assert not cache.enabled


def resolved(resolve_session, lifetime=TEN_SECONDS) -> tuple[ResolvedSessions, SettableClock]:
    clock = SettableClock(NOW)
    return ResolvedSessions(SessionCache(lifetime, 100), resolve_session, clock), clock


def test_a_token_used_again_within_the_lifetime_asks_accounts_once():
    resolve_session = Mock(return_value=principal())
    sessions, clock = resolved(resolve_session)

    first = sessions.principal("token")
    clock.advance(timedelta(seconds=5))
    again = sessions.principal("token")
    clock.advance(timedelta(seconds=5))
    sessions.principal("token")

    assert first == again
    assert resolve_session.call_count == 2


def test_with_caching_off_every_use_asks_accounts():
    resolve_session = Mock(return_value=principal())
    sessions, _ = resolved(resolve_session, lifetime=timedelta(0))

    sessions.principal("token")
    sessions.principal("token")

    assert resolve_session.call_count == 2


def test_a_refused_token_is_asked_about_again():
    resolve_session = Mock(side_effect=Unauthenticated("Please log in."))
    sessions, _ = resolved(resolve_session)

    for _ in range(2):
        with pytest.raises(Unauthenticated):
            sessions.principal("stale")

    assert resolve_session.call_count == 2


def test_a_forgotten_token_is_asked_about_again():
    resolve_session = Mock(return_value=principal())
    sessions, _ = resolved(resolve_session)

    sessions.principal("token")
    sessions.forget("token")
    sessions.principal("token")

    assert resolve_session.call_count == 2


def test_the_sessions_changed_handler_forgets_the_accounts_sessions():
    gateway = worker_factory(GatewayService)
    account_id = str(uuid.uuid4())

    gateway.forget_changed_sessions({"account_id": account_id, "event_id": str(uuid.uuid4())})

    gateway.sessions.forget_account.assert_called_once_with(account_id)
