"""`valmennus status` against the observed system: its queues, and every instance's metrics."""

import os
import subprocess
import sys
import time

from deploy.catalog import metrics_port_variable
from deploy.status import quantile
from services.infra.config import ROOT
from tests.gateway.api_client import ApiClient


def test_quantiles_are_interpolated_within_the_bucket_as_prometheus_does():
    buckets = {0.1: 50.0, 0.5: 90.0, 1.0: 100.0, float("inf"): 100.0}

    assert quantile(buckets, 0.5) == 0.1
    assert abs(quantile(buckets, 0.95) - 0.75) < 1e-9
    assert quantile({0.1: 0.0, float("inf"): 0.0}, 0.95) is None


def test_status_shows_every_component_its_instances_traffic_and_parked_events(observed_system):
    env = dict(os.environ, AMQP_URI=observed_system.amqp_uri, PYTHONWARNINGS="ignore")
    for component, port in observed_system.metrics_ports.items():
        env[metrics_port_variable(component)] = str(port)
    command = [sys.executable, "-m", "deploy.cli", "status", "--window", "2"]
    status = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    with ApiClient(observed_system.url) as client:
        while status.poll() is None and time.monotonic() < deadline:
            assert client.request("GET", "/api/services").status_code == 200
    output, _ = status.communicate(timeout=10)

    assert status.returncode == 0
    rows = {line.split()[0]: line.split() for line in output.splitlines()[2:8]}
    assert set(rows) == set(observed_system.metrics_ports)
    for component, row in rows.items():
        assert row[1:3] == ["1", "1"], (component, output)
    assert float(rows["gateway"][5]) > 0
    assert float(rows["bookings"][5]) > 0
    assert rows["gateway"][6] != "–"
    billing_parked = observed_system.metrics("billing")[("valmennus_parked_events", frozenset())]
    assert rows["billing"][10] == str(int(billing_parked))
