"""One call for many workers: workers of a service that want answers of the same kind at the same
time (billing's event handlers, each wanting one booking's snapshot; bookings, each wanting one
member's eligibility) wait together and are answered by one call for all of their keys.

A worker that finds no call in flight makes one at once, for its own key and every key asked
for meanwhile; the workers that ask while that call is in flight wait, and when it returns, one
of them makes the next call, for all of them. At low load each call carries one key, as a
single call would, and waits for nothing; under load, when workers pile up behind a call in
flight, the next call carries all of them, and a round trip is paid once for the lot.

Each worker gets its own answer or its own error: a key the call does not answer gets
`missing(key)`, and a call that fails fails every worker that waited for it.
"""

from collections.abc import Callable, Hashable, Mapping

from eventlet.event import Event
from nameko.extensions import DependencyProvider

LEAD = object()
"""Sent to a waiting worker instead of its answer: make the next call."""


class Waiter:
    def __init__(self, key: Hashable):
        self.key = key
        self.event = Event()

    def wait(self):
        return self.event.wait()

    def lead(self) -> None:
        """Wake the worker to make the next call; its answer comes later, on a new event."""
        woken, self.event = self.event, Event()
        woken.send(LEAD)


class CoalescedCalls:
    def __init__(self):
        self.waiting: list[Waiter] = []
        self.in_flight = False

    def answer(
        self,
        key: Hashable,
        call: Callable[[list], Mapping],
        missing: Callable[[Hashable], Exception],
    ):
        """The answer to `key` from `call(keys)`, which answers many keys at once by key."""
        waiter = Waiter(key)
        self.waiting.append(waiter)
        leads = not self.in_flight
        while True:
            if leads:
                self._call_for_all_waiting(call, missing)
            outcome = waiter.wait()
            if outcome is not LEAD:
                return outcome
            leads = True

    def _call_for_all_waiting(self, call, missing) -> None:
        self.in_flight = True
        batch, self.waiting = self.waiting, []
        try:
            answers = call(list(dict.fromkeys(waiter.key for waiter in batch)))
        except Exception as error:
            for waiter in batch:
                waiter.event.send_exception(error)
        else:
            for waiter in batch:
                if waiter.key in answers:
                    waiter.event.send(answers[waiter.key])
                else:
                    waiter.event.send_exception(missing(waiter.key))
        finally:
            self.in_flight = bool(self.waiting)
            if self.waiting:
                self.waiting[0].lead()


class Coalesced(DependencyProvider):
    """One `CoalescedCalls` shared by all of a container's workers."""

    def setup(self):
        self.calls = CoalescedCalls()

    def get_dependency(self, worker_ctx) -> CoalescedCalls:
        return self.calls
