"""The README documents every setting the code reads and the commands it promises."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ENV_VAR = re.compile(r"\$\{([A-Z0-9_]+):")


def configured_variables() -> set[str]:
    files = [*ROOT.glob("services/*/config.yaml"), ROOT / "gateway" / "config.yaml"]
    return {name for path in files for name in ENV_VAR.findall(path.read_text())}


def test_every_configuration_variable_is_in_the_readme():
    readme = (ROOT / "README.md").read_text()
    assert sorted(name for name in configured_variables() if f"`{name}`" not in readme) == []


def test_readme_names_the_run_and_test_commands_that_ci_uses():
    readme = (ROOT / "README.md").read_text()
    assert "make run" in readme and "make test" in readme
    assert (ROOT / ".ci" / "run").read_text().strip().endswith("make test")
