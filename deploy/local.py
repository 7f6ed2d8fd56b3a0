"""`make run`: the whole system on this machine, without Docker.

Checks that PostgreSQL and RabbitMQ answer (starting Debian's installed servers if they are
stopped), starts moto_server as the S3 endpoint and an SMTP sink keeping mails in `.run/mail/`
(each only when nothing answers at its configured address), migrates, declares queues, starts
every service and the gateway, waits for `/healthz`, seeds the demo data once (printing the
demo admin's one-time password), and prints the gateway's URL. Ctrl-C stops all.
"""

import os
import platform
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from importlib.metadata import version
from pathlib import Path
from urllib.parse import urlparse

import eventlet

from deploy import QUIET_WARNINGS
from deploy.catalog import GATEWAY_CLASS, METRICS_PORTS, SERVICE_CLASSES, metrics_port_variable
from deploy.demo import DEMO_ADMIN, seed_demo_data
from services.infra.config import ROOT, config_path, load_config

BIN = Path(sys.executable).parent
MAIL_DIR = ROOT / ".run" / "mail"


def reachable(host: str, port: int, timeout: float = 1.0) -> bool:
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def wait_until(check, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            raise SystemExit(f"{what} did not come up within {seconds:.0f} s")
        time.sleep(0.3)


def host_port(url: str, default_port: int) -> tuple[str, int]:
    parsed = urlparse(url.replace("postgresql+psycopg", "postgresql"))
    return parsed.hostname or "127.0.0.1", parsed.port or default_port


START_COMMANDS = {
    "PostgreSQL": (
        "pg_ctlcluster",
        "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start",
        "apt-get install postgresql",
    ),
    "RabbitMQ": ("rabbitmq-server", "rabbitmq-server -detached", "apt-get install rabbitmq-server"),
}


def ensure_server(name: str, host: str, port: int) -> None:
    if reachable(host, port):
        return
    program, start, install = START_COMMANDS[name]
    local = host in ("127.0.0.1", "localhost", "::1")
    if not local or shutil.which(program) is None:
        raise SystemExit(
            f"{name} does not answer at {host}:{port}. Install it ({install}) or point the "
            "configuration at a running server."
        )
    print(f"starting {name} ({start})")
    subprocess.run(start, shell=True, check=True)
    wait_until(lambda: reachable(host, port), 60, name)


def start_process(name: str, args: list[str], env: dict) -> subprocess.Popen:
    print(f"starting {name}")
    return subprocess.Popen(args, cwd=ROOT, env=env, start_new_session=True)


def nameko_command(component: str, class_path: str) -> list[str]:
    return [str(BIN / "nameko"), "run", "--config", str(config_path(component)), class_path]


def nameko_run(component: str, class_path: str, env: dict) -> subprocess.Popen:
    return start_process(component, nameko_command(component, class_path), env)


def healthz_ok(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=3) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def stop_all(processes: list[subprocess.Popen]) -> None:
    for process in processes:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
    for process in processes:
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def runtime_line() -> str:
    """The one line a start says about what runs."""

    return (
        f"runtime: Python {platform.python_version()}, nameko {version('nameko')} on eventlet "
        f"{eventlet.__version__} (monkey-patched), SQLAlchemy {version('SQLAlchemy')} with "
        f"psycopg {version('psycopg')} (wait_select)"
    )


def exit_on_sigterm(signum, frame) -> None:
    raise SystemExit(0)


def run() -> int:
    signal.signal(signal.SIGTERM, exit_on_sigterm)
    env = dict(
        os.environ,
        PSYCOPG_WAIT_FUNC="wait_select",
        PYTHONWARNINGS=QUIET_WARNINGS,
        PATH=f"{BIN}:{os.environ['PATH']}",
    )
    print(runtime_line())
    gateway_url = f"http://{load_config('gateway')['WEB_SERVER_ADDRESS']}"
    env.setdefault("REPORT_LINK_BASE_URL", gateway_url)
    env.setdefault("BOOKING_LINK_BASE_URL", gateway_url)
    env.setdefault("ACCOUNT_LINK_BASE_URL", gateway_url)
    for component, port in METRICS_PORTS.items():
        env.setdefault(metrics_port_variable(component), str(port))
    accounts = load_config("accounts")
    media = load_config("media")
    bookings = load_config("bookings")
    ensure_server("PostgreSQL", *host_port(accounts["DATABASE_URL"], 5432))
    ensure_server("RabbitMQ", *host_port(accounts["AMQP_URI"], 5672))

    processes: list[subprocess.Popen] = []
    try:
        s3_host, s3_port = host_port(media["S3_ENDPOINT_URL"], 9000)
        if not reachable(s3_host, s3_port):
            processes.append(
                start_process(
                    "moto_server (S3)",
                    [str(BIN / "moto_server"), "-H", s3_host, "-p", str(s3_port)],
                    env,
                )
            )
            wait_until(lambda: reachable(s3_host, s3_port), 30, "moto_server")

        smtp_host, smtp_port = bookings["SMTP_HOST"], int(bookings["SMTP_PORT"])
        if not reachable(smtp_host, smtp_port):
            processes.append(
                start_process(
                    f"SMTP sink (mails kept in {MAIL_DIR})",
                    [
                        sys.executable,
                        "-m",
                        "deploy.smtp_sink",
                        "--host",
                        smtp_host,
                        "--port",
                        str(smtp_port),
                        "--dir",
                        str(MAIL_DIR),
                    ],
                    env,
                )
            )
            wait_until(lambda: reachable(smtp_host, smtp_port), 30, "the SMTP sink")

        from services.infra.storage import ensure_bucket

        ensure_bucket(media)
        valmennus = str(BIN / "valmennus")
        subprocess.run([valmennus, "migrate"], cwd=ROOT, env=env, check=True)
        subprocess.run([valmennus, "declare-queues"], cwd=ROOT, env=env, check=True)

        for service, class_path in SERVICE_CLASSES.items():
            processes.append(nameko_run(service, class_path, env))
        processes.append(nameko_run("gateway", GATEWAY_CLASS, env))

        wait_until(lambda: healthz_ok(f"{gateway_url}/healthz"), 60, "the gateway's /healthz")
        admin_password = seed_demo_data(accounts)
        if admin_password:
            print(f"\ndemo admin: {DEMO_ADMIN} / {admin_password}  (shown once; change it)")
        print("\nValmennuskalenteri is running (Ctrl-C stops everything):")
        print(f"  web pages:  {gateway_url}/  (book a session; staff: {gateway_url}/kirjaudu)")
        print(f"  JSON API:   {gateway_url}/api/openapi.json\n")
        while all(process.poll() is None for process in processes):
            time.sleep(1)
        print("a process stopped; stopping everything")
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        stop_all(processes)
