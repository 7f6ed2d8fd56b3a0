"""The whole system as real processes, observed: each serves metrics on a port of its own, exports
traces to an OTLP sink and writes its JSON log lines to a file the tests read."""

import json
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from nameko.standalone.rpc import ClusterRpcProxy

from deploy.catalog import GATEWAY_CLASS, SERVICE_CLASSES
from deploy.local import healthz_ok, nameko_command, stop_all
from deploy.otlp_sink import OtlpSink
from deploy.status import Samples, scrape
from services.contracts.names import ALL_SERVICES
from services.infra.config import ROOT
from services.infra.migrations import upgrade
from tests.conftest import free_port, rabbitmq_vhost, wait_for
from tests.gateway.api_client import ApiClient, unique
from tests.gateway.booking_api import set_up_catalogue

COMPONENTS = {**SERVICE_CLASSES, "gateway": GATEWAY_CLASS}
ADMIN_PASSWORD = "ylläpitäjän-salasana-1"


@dataclass(frozen=True)
class ObservedSystem:
    url: str
    amqp_uri: str
    metrics_ports: dict[str, int]
    log_files: dict[str, Path]
    processes: dict[str, subprocess.Popen]
    traces: OtlpSink

    def metrics(self, component: str) -> Samples:
        """Every sample the component serves now, by name and labels."""
        samples = scrape(f"http://127.0.0.1:{self.metrics_ports[component]}/metrics")
        assert samples is not None, f"{component} serves no metrics"
        return samples

    def log_lines(self, component: str) -> list[dict]:
        """The component's log lines so far, each a JSON object."""
        text = self.log_files[component].read_text()
        return [json.loads(line) for line in text.splitlines() if line.startswith("{")]


@pytest.fixture(scope="package")
def trace_sink():
    sink = OtlpSink(("127.0.0.1", free_port()))
    sink.start()
    yield sink
    sink.stop()


@pytest.fixture(scope="package")
def observed_system(
    database_url, base_config, s3_config, smtp_config, trace_sink, tmp_path_factory
):
    log_dir = tmp_path_factory.mktemp("logs")
    metrics_ports = {component: free_port() for component in COMPONENTS}
    gateway_address = f"127.0.0.1:{free_port()}"
    with rabbitmq_vhost("observed") as amqp_uri:
        env = dict(
            os.environ,
            AMQP_URI=amqp_uri,
            GATEWAY_ADDRESS=gateway_address,
            EVENT_RETRY_DELAYS_MS=base_config["EVENT_RETRY_DELAYS_MS"],
            LOG_LEVEL="INFO",
            PYTHONWARNINGS="ignore",
            TRUST_PROXY_HEADERS="true",
            OTEL_EXPORTER_OTLP_ENDPOINT=trace_sink.url,
            OTEL_BSP_SCHEDULE_DELAY="200",
            **s3_config,
            **{name: str(value) for name, value in smtp_config.items()},
        )
        for service in ALL_SERVICES:
            url = database_url(f"observed_{service}")
            upgrade(service, url)
            env[f"{service.upper()}_DATABASE_URL"] = url
        for component, port in metrics_ports.items():
            env[f"{component.upper()}_METRICS_PORT"] = str(port)
        log_files = {component: log_dir / f"{component}.log" for component in COMPONENTS}
        processes = {}
        try:
            for component, class_path in COMPONENTS.items():
                with open(log_files[component], "w") as log_file:
                    processes[component] = subprocess.Popen(
                        nameko_command(component, class_path),
                        cwd=ROOT,
                        env=env,
                        stdout=log_file,
                        stderr=subprocess.STDOUT,
                        start_new_session=True,
                    )
            url = f"http://{gateway_address}"
            wait_for(lambda: healthz_ok(f"{url}/healthz"), seconds=60, interval=0.3)
            yield ObservedSystem(url, amqp_uri, metrics_ports, log_files, processes, trace_sink)
        finally:
            stop_all(list(processes.values()))


@pytest.fixture(scope="package")
def observed_admin(observed_system):
    username = unique("admin")
    with ClusterRpcProxy({"AMQP_URI": observed_system.amqp_uri}, timeout=30) as rpc:
        rpc.accounts.create_admin(username, ADMIN_PASSWORD)
    with ApiClient(observed_system.url) as client:
        return client.log_in(username, ADMIN_PASSWORD).with_bearer()


@pytest.fixture(scope="package")
def observed_catalogue(observed_system, observed_admin):
    with ApiClient(observed_system.url) as client:
        return set_up_catalogue(client, observed_admin)
