"""`valmennus create-admin USERNAME` bootstraps a deployment's first administrator."""

import subprocess
import sys
from pathlib import Path

from tests.accounts.conftest import unique

VALMENNUS = str(Path(sys.executable).parent / "valmennus")


def create_admin(username: str, password: str, amqp_uri: str):
    return subprocess.run(
        [VALMENNUS, "create-admin", username],
        input=f"{password}\n",
        capture_output=True,
        text=True,
        env={"AMQP_URI": amqp_uri, "PATH": "/usr/bin:/bin", "PYTHONWARNINGS": "ignore"},
        timeout=60,
    )


def test_create_admin_reads_the_password_from_stdin_and_the_admin_can_log_in(
    accounts, accounts_config
):
    username = unique("boot")
    result = create_admin(username, "käynnistys-salasana-42", accounts_config["AMQP_URI"])

    assert result.returncode == 0, result.stderr
    assert f"admin {username} created" in result.stdout
    login = accounts.log_in(
        {"username": username, "password": "käynnistys-salasana-42", "client_address": "cli"}
    )
    assert login["principal"]["role"] == "admin"


def test_create_admin_refuses_a_common_password_and_says_why(accounts, accounts_config):
    result = create_admin(unique("boot"), "password", accounts_config["AMQP_URI"])

    assert result.returncode == 1
    assert "password" in result.stderr
