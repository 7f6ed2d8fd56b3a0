"""`GET /healthz`: every service's health RPC, concurrently, each with a short deadline."""

import time

import eventlet

from gateway.http import api
from gateway.schemas import HealthSchema
from services.contracts.names import ALL_SERVICES


class HealthRoutes:
    @api("GET", "/healthz", summary="Health of every service", response_schema=HealthSchema)
    def healthz(self, request):
        timeout = float(self.config.get("HEALTH_TIMEOUT_SECONDS", 2.0))
        checks = {name: eventlet.spawn(self._probe, name, timeout) for name in ALL_SERVICES}
        services = {name: check.wait() for name, check in checks.items()}
        unavailable = sorted(name for name, state in services.items() if state["status"] != "ok")
        body = {
            "status": "unavailable" if unavailable else "ok",
            "services": services,
            "unavailable": unavailable,
        }
        return (503 if unavailable else 200), body

    def _probe(self, service: str, timeout: float) -> dict:
        started = time.perf_counter()
        try:
            with eventlet.Timeout(timeout):
                getattr(self, service).health.call_async().result()
        except (Exception, eventlet.Timeout):
            return {"status": "unavailable", "ms": None}
        return {"status": "ok", "ms": round((time.perf_counter() - started) * 1000, 1)}
