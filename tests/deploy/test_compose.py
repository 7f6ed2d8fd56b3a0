"""The operators' docker compose, checked without a Docker engine.

Containers reach each other by service name, so every setting whose default in a component's
`config.yaml` points at this machine must be overridden in the compose file.
"""

import re
import shutil
import subprocess

import pytest
import yaml

from deploy.catalog import GATEWAY_CLASS, SERVICE_CLASSES
from services.infra.config import ROOT, config_path

COMPOSE_FILE = ROOT / "deploy" / "docker-compose.yml"
DOCKERFILE = ROOT / "deploy" / "Dockerfile"
PROXY_CONFIG = ROOT / "deploy" / "proxy" / "Caddyfile"
COMPONENTS = {**SERVICE_CLASSES, "gateway": GATEWAY_CLASS}
INFRASTRUCTURE = ("rabbitmq", "postgres", "minio", "mailpit")
CONFIG_VARIABLE = re.compile(r"\$\{(\w+):([^}]*)\}")
LOCAL_HOSTS = ("127.0.0.1", "localhost")


@pytest.fixture(scope="module")
def services() -> dict:
    return yaml.safe_load(COMPOSE_FILE.read_text())["services"]


def local_variables(component: str) -> set[str]:
    """Variables the component's config reads whose default points at this machine."""
    return {
        name
        for name, default in CONFIG_VARIABLE.findall(config_path(component).read_text())
        if any(host in default for host in LOCAL_HOSTS)
    }


def dockerfile_instructions() -> list[tuple[str, str]]:
    text = DOCKERFILE.read_text().replace("\\\n", " ")
    lines = (line.strip() for line in text.splitlines())
    return [tuple(line.split(None, 1)) for line in lines if line and not line.startswith("#")]


@pytest.mark.parametrize("component", COMPONENTS)
def test_component_runs_its_class_with_its_own_config(services, component):
    config = config_path(component).relative_to(ROOT)
    assert services[component]["command"] == [
        "nameko",
        "run",
        "--config",
        str(config),
        COMPONENTS[component],
    ]


@pytest.mark.parametrize("component", [*COMPONENTS, "setup"])
def test_python_components_share_one_image_built_from_the_repository(services, component):
    build = services[component]["build"]
    assert (COMPOSE_FILE.parent / build["context"]).resolve() == ROOT
    assert build["dockerfile"] == str(DOCKERFILE.relative_to(ROOT))
    assert services[component]["image"] == services["setup"]["image"]


@pytest.mark.parametrize("component", COMPONENTS)
def test_component_starts_only_after_setup_completed(services, component):
    assert services[component]["depends_on"] == {
        "setup": {"condition": "service_completed_successfully"}
    }


def test_setup_migrates_and_declares_queues_once_broker_database_and_bucket_are_ready(services):
    setup = services["setup"]
    assert setup["depends_on"] == {
        "rabbitmq": {"condition": "service_healthy"},
        "postgres": {"condition": "service_healthy"},
        "minio-setup": {"condition": "service_completed_successfully"},
    }
    assert "valmennus migrate && valmennus declare-queues" in " ".join(setup["command"])
    assert setup["restart"] == "no"


def test_bucket_is_created_versioned_once_minio_is_healthy(services):
    minio_setup = services["minio-setup"]
    assert minio_setup["depends_on"] == {"minio": {"condition": "service_healthy"}}
    script = " ".join(minio_setup["command"])
    assert "mc mb --ignore-existing" in script
    assert "mc version enable" in script


@pytest.mark.parametrize("component", COMPONENTS)
def test_no_component_setting_points_at_localhost_inside_its_container(services, component):
    environment = services[component]["environment"]
    missing = local_variables(component) - set(environment)
    assert not missing, f"{component} falls back to localhost for {sorted(missing)}"
    for name, value in environment.items():
        assert not any(host in str(value) for host in LOCAL_HOSTS), name


def test_setup_reaches_every_service_database_and_the_broker(services):
    needed = set().union(*(local_variables(service) for service in SERVICE_CLASSES))
    assert needed <= set(services["setup"]["environment"])


@pytest.mark.parametrize("name", INFRASTRUCTURE)
def test_infrastructure_service_reports_its_health(services, name):
    assert services[name]["healthcheck"]["test"][0] == "CMD"


def test_gateway_is_published_on_8000_to_this_host_only_and_healthy_when_healthz_answers(
    services,
):
    gateway = services["gateway"]
    assert gateway["environment"]["GATEWAY_ADDRESS"] == "0.0.0.0:8000"
    assert [port.rsplit(":", 1)[1] for port in gateway["ports"]] == ["8000"]
    assert all(port.startswith("127.0.0.1:") for port in gateway["ports"])
    assert "/healthz" in " ".join(gateway["healthcheck"]["test"])


def test_outside_traffic_reaches_the_gateway_through_a_tls_proxy_with_limits(services):
    proxy = services["proxy"]
    caddyfile = PROXY_CONFIG.read_text()
    assert proxy["image"].startswith("caddy:")
    assert "./proxy/Caddyfile:/etc/caddy/Caddyfile:ro" in proxy["volumes"]
    assert sorted(port.rsplit(":", 1)[1] for port in proxy["ports"]) == ["443", "80"]
    assert "reverse_proxy gateway:8000" in caddyfile
    assert services["gateway"]["environment"]["TRUST_PROXY_HEADERS"] == "true"
    for setting in ("tls internal", "max_size", "read_header", "read_body", "idle"):
        assert setting in caddyfile


@pytest.mark.parametrize("service", SERVICE_CLASSES)
def test_service_scales_because_it_has_no_fixed_name_or_host_port(services, service):
    assert "container_name" not in services[service]
    assert "ports" not in services[service]


def test_image_runs_as_non_root_with_psycopg_cooperating_with_eventlet():
    instructions = dockerfile_instructions()
    environment = " ".join(args for keyword, args in instructions if keyword == "ENV")
    users = [args for keyword, args in instructions if keyword == "USER"]
    assert "PSYCOPG_WAIT_FUNC=wait_select" in environment.split()
    assert users and users[-1] not in ("root", "0")
    assert any(
        keyword == "RUN" and "pip install -c constraints.txt ." in args
        for keyword, args in instructions
    )


def test_docker_compose_accepts_the_file():
    docker_compose = shutil.which("docker-compose")
    assert docker_compose, "docker-compose is missing: apt-get install docker-compose"
    result = subprocess.run(
        [docker_compose, "-f", str(COMPOSE_FILE), "config", "-q"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
