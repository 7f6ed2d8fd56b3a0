"""Reading a service's `config.yaml` the way `nameko run` does: `${ENV_VAR:default}` expanded."""

from pathlib import Path

import yaml
from nameko.cli.main import setup_yaml_parser

ROOT = Path(__file__).resolve().parents[2]


def config_path(component: str) -> Path:
    """`component` is a service name or "gateway"."""
    if component == "gateway":
        return ROOT / "gateway" / "config.yaml"
    return ROOT / "services" / component / "config.yaml"


def load_config(component: str) -> dict:
    setup_yaml_parser()
    with open(config_path(component)) as handle:
        return yaml.safe_load(handle)
