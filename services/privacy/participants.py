"""Calling the services that take part in a saga, with a time limit.

A participant that is not running (`UnknownService`), that does not answer in time (its queue
exists but nobody consumes it), or that does not offer the privacy contract yet
(`MethodNotFound`) is unavailable: the step is tried again later, never given up.
"""

from dataclasses import dataclass

import eventlet
from nameko.exceptions import MethodNotFound, UnknownService

from services.privacy.plans import DISABLE_LOGIN_ACTION, ERASE_ACTION, EXPORT_ACTION


class ParticipantUnavailable(Exception):
    pass


@dataclass
class Participants:
    """`proxies` maps a service name to the worker's RPC proxy of that service."""

    proxies: dict
    timeout_seconds: float

    def call(self, service: str, method: str, *args):
        timer = eventlet.Timeout(self.timeout_seconds)
        try:
            return getattr(self.proxies[service], method).call_async(*args).result()
        except eventlet.Timeout as exc:
            if exc is not timer:
                raise
            raise ParticipantUnavailable(
                f"{service} did not answer within {self.timeout_seconds:g} s"
            ) from None
        except UnknownService:
            raise ParticipantUnavailable(f"{service} is not running") from None
        except MethodNotFound:
            raise ParticipantUnavailable(f"{service} does not offer {method} yet") from None
        finally:
            timer.cancel()

    def apply(self, service: str, action: str, subject_id: str, request_id: str, page: int):
        """One page of a step's action; the answer follows the privacy contract."""
        if action == EXPORT_ACTION:
            return self.call(service, "export_personal_data", subject_id, page)
        if action == DISABLE_LOGIN_ACTION:
            return self.call(service, "disable_login", subject_id)
        if action == ERASE_ACTION:
            return self.call(service, "erase_personal_data", subject_id, request_id, False, page)
        raise ValueError(f"unknown action {action}")

    def preview_erasure(self, service: str, subject_id: str, request_id: str) -> dict:
        return self.call(service, "erase_personal_data", subject_id, request_id, True, 1)
