"""Workers that want answers at the same time share one call: at low load a call per worker,
under load one call for all who waited behind the call in flight; each gets its own answer or
its own error."""

import eventlet
import pytest
from eventlet.event import Event

from services.infra.coalescing import CoalescedCalls


class KeyMissing(Exception):
    pass


class SlowSource:
    """Answers keys with their doubled value; each call waits until the test releases it."""

    def __init__(self):
        self.calls: list[list] = []
        self.releases: list[Event] = []

    def call(self, keys: list) -> dict:
        self.calls.append(keys)
        release = Event()
        self.releases.append(release)
        release.wait()
        if "broken" in keys:
            raise ConnectionError("the source is down")
        return {key: key * 2 for key in keys if key != "unknown"}

    def release_next(self) -> None:
        settle()
        next(release for release in self.releases if not release.ready()).send(None)


def ask(calls: CoalescedCalls, source: SlowSource, key):
    return eventlet.spawn(calls.answer, key, source.call, KeyMissing)


def settle() -> None:
    for _ in range(10):
        eventlet.sleep(0)


def test_a_lone_worker_calls_at_once_for_its_own_key():
    calls, source = CoalescedCalls(), SlowSource()
    worker = ask(calls, source, "a")
    settle()
    source.release_next()

    assert worker.wait() == "aa"
    assert source.calls == [["a"]]


def behind_a_call(calls: CoalescedCalls, source: SlowSource, *keys) -> list:
    """Workers asking for `keys` while a first worker's call for "a" is in flight; both calls
    are let through. The first worker comes first in the list."""
    first = ask(calls, source, "a")
    settle()
    waiting = [ask(calls, source, key) for key in keys]
    settle()
    assert source.calls == [["a"]]
    source.release_next()
    settle()
    source.release_next()
    return [first, *waiting]


def test_workers_arriving_during_a_call_share_the_next_one():
    workers = behind_a_call(calls := CoalescedCalls(), source := SlowSource(), "b", "c", "b")

    assert [worker.wait() for worker in workers] == ["aa", "bb", "cc", "bb"]
    assert source.calls == [["a"], ["b", "c"]]
    assert not calls.in_flight


def test_a_key_the_call_does_not_answer_fails_only_its_own_worker():
    first, unknown, known = behind_a_call(CoalescedCalls(), SlowSource(), "unknown", "k")

    assert first.wait() == "aa"
    assert known.wait() == "kk"
    with pytest.raises(KeyMissing):
        unknown.wait()


def test_a_failed_call_fails_its_workers_and_the_next_call_still_happens():
    calls, source = CoalescedCalls(), SlowSource()
    first, broken, later = behind_a_call(calls, source, "broken", "z")

    assert first.wait() == "aa"
    with pytest.raises(ConnectionError):
        broken.wait()
    with pytest.raises(ConnectionError):
        later.wait()
    again = ask(calls, source, "z")
    source.release_next()
    assert again.wait() == "zz"
    assert source.calls == [["a"], ["broken", "z"], ["z"]]
