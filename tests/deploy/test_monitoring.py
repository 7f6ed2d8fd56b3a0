"""Prometheus and Grafana in docker compose, checked offline: Prometheus's own `promtool` reads
the configuration and every expression of the dashboard, and every component is scraped on the
port it serves its metrics on there."""

import json
import re
import shutil
import subprocess

import pytest
import yaml

from deploy.catalog import METRICS_PORTS, SERVICE_CLASSES, metrics_port_variable
from services.infra.config import ROOT

DEPLOY = ROOT / "deploy"
PROMETHEUS_CONFIG = DEPLOY / "prometheus" / "prometheus.yml"
DASHBOARD = DEPLOY / "grafana" / "dashboards" / "what-to-scale.json"
COMPONENTS = [*SERVICE_CLASSES, "gateway"]
OWN_METRIC = re.compile(r"\bvalmennus_\w+")
HISTOGRAM_OR_COUNTER_SUFFIX = re.compile(r"_(bucket|count|sum|total)$")


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((DEPLOY / "docker-compose.yml").read_text())["services"]


@pytest.fixture(scope="module")
def jobs() -> dict:
    config = yaml.safe_load(PROMETHEUS_CONFIG.read_text())
    return {job["job_name"]: job for job in config["scrape_configs"]}


@pytest.fixture(scope="module")
def expressions() -> list[str]:
    dashboard = json.loads(DASHBOARD.read_text())
    return [target["expr"] for panel in dashboard["panels"] for target in panel["targets"]]


def promtool() -> str:
    found = shutil.which("promtool")
    assert found, "promtool is missing: apt-get install prometheus (make test-tools does)"
    return found


def test_promtool_accepts_the_prometheus_configuration():
    result = subprocess.run(
        [promtool(), "check", "config", str(PROMETHEUS_CONFIG)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_promtool_parses_every_expression_of_the_dashboard(expressions, tmp_path):
    rules = {
        "groups": [
            {
                "name": "dashboard",
                "rules": [
                    {"record": f"dashboard:expression{n}", "expr": expr}
                    for n, expr in enumerate(expressions)
                ],
            }
        ]
    }
    rule_file = tmp_path / "dashboard-rules.yml"
    rule_file.write_text(yaml.safe_dump(rules))
    result = subprocess.run(
        [promtool(), "check", "rules", str(rule_file)], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("component", COMPONENTS)
def test_every_instance_of_a_component_is_scraped_on_its_metrics_port(compose, jobs, component):
    (discovery,) = jobs[component]["dns_sd_configs"]
    environment = compose[component]["environment"]

    assert discovery["names"] == [component]
    assert discovery["type"] == "A"
    assert discovery["port"] == METRICS_PORTS[component]
    assert environment[metrics_port_variable(component)] == str(METRICS_PORTS[component])
    assert environment["METRICS_HOST"] == "0.0.0.0"


def test_rabbitmq_queue_depths_and_consumers_are_scraped_per_queue(compose, jobs):
    rabbitmq = jobs["rabbitmq"]

    assert rabbitmq["metrics_path"] == "/metrics/detailed"
    assert set(rabbitmq["params"]["family"]) == {"queue_coarse_metrics", "queue_consumer_count"}
    assert rabbitmq["static_configs"] == [{"targets": ["rabbitmq:15692"]}]
    assert compose["rabbitmq"]["image"].endswith("-management")


def test_prometheus_and_grafana_get_their_files_from_the_repository(compose):
    prometheus_volumes = compose["prometheus"]["volumes"]
    grafana_volumes = compose["grafana"]["volumes"]

    assert "./prometheus/prometheus.yml:/etc/prometheus/prometheus.yml:ro" in prometheus_volumes
    assert "./grafana/provisioning:/etc/grafana/provisioning:ro" in grafana_volumes
    assert "./grafana/dashboards:/etc/grafana/dashboards:ro" in grafana_volumes
    provider = yaml.safe_load(
        (DEPLOY / "grafana" / "provisioning" / "dashboards" / "valmennus.yml").read_text()
    )
    assert provider["providers"][0]["options"]["path"] == "/etc/grafana/dashboards"


def test_the_dashboard_reads_only_metrics_the_services_serve(expressions):
    served = (ROOT / "services" / "infra" / "metrics.py").read_text()
    named = {
        HISTOGRAM_OR_COUNTER_SUFFIX.sub("", name)
        for expression in expressions
        for name in OWN_METRIC.findall(expression)
    }

    assert named
    assert sorted(name for name in named if f'"{name}"' not in served) == []


def test_the_dashboard_shows_what_to_scale_by(expressions):
    joined = "\n".join(expressions)

    for shown in (
        'queue=~"rpc-.*"',  # RPC queue depth per service
        "histogram_quantile(0.95",  # p95 latency
        'outcome="error"',  # error rate
        "process_cpu_seconds_total",  # CPU
        "valmennus_outbox_backlog",
        "valmennus_parked_events",
    ):
        assert shown in joined
