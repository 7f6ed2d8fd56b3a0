"""The system started as separate processes answers /healthz, and names a killed service."""

import os
import signal

import requests

from services.contracts.names import ALL_SERVICES
from tests.conftest import wait_for


def test_healthz_is_ok_with_all_services_then_names_a_killed_one(running_system):
    processes, url = running_system

    healthy = requests.get(f"{url}/healthz", timeout=5)
    assert healthy.status_code == 200
    assert {name for name, s in healthy.json()["services"].items() if s["status"] == "ok"} == set(
        ALL_SERVICES
    )

    os.killpg(processes["media"].pid, signal.SIGKILL)
    processes["media"].wait(timeout=10)

    def unavailable_services():
        response = requests.get(f"{url}/healthz", timeout=5)
        return response.json()["unavailable"] if response.status_code == 503 else None

    assert wait_for(unavailable_services, seconds=10, interval=0.2) == ["media"]
