"""The test servers of a pytest session, isolated from `make run`'s data: a RabbitMQ vhost of
its own, fresh PostgreSQL databases, a moto_server S3 endpoint with a fresh bucket and an SMTP
sink keeping mails in a directory; each removed afterwards. Also a scripted SMTP server for one
test, which refuses recipients or hangs up as the test tells it.

Nothing here imports eventlet, so the browser tests' run, which must not be monkey-patched, uses
the same servers as tests/conftest.py's fixtures. `time.sleep` is eventlet's green sleep where the
root conftest has patched the standard library.
"""

import os
import re
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from urllib.parse import quote

import requests

from services.infra.config import ROOT
from services.infra.migrations import drop_database
from services.infra.storage import ensure_bucket

RUN_ID = f"vt{os.getpid()}{uuid.uuid4().hex[:6]}"
DATABASE_SERVER = os.environ.get(
    "TEST_DATABASE_SERVER", "postgresql+psycopg://postgres@127.0.0.1:5432"
)
AMQP_SERVER = os.environ.get("TEST_AMQP_SERVER", "amqp://guest:guest@127.0.0.1:5672")
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(check, seconds: float = 10.0, interval: float = 0.05):
    """Poll `check` until it returns something truthy; fail after `seconds`."""
    deadline = time.monotonic() + seconds
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {seconds} s")
        time.sleep(interval)


def rabbitmqctl(*args: str) -> None:
    subprocess.run(["rabbitmqctl", "-q", *args], check=True, capture_output=True)


@contextmanager
def rabbitmq_vhost(name: str) -> Iterator[str]:
    """A vhost of its own on the local RabbitMQ, deleted afterwards; yields its AMQP URI."""
    vhost = f"valmennus-{RUN_ID}-{name}"
    rabbitmqctl("add_vhost", vhost)
    rabbitmqctl("set_permissions", "-p", vhost, "guest", ".*", ".*", ".*")
    try:
        yield f"{AMQP_SERVER}/{quote(vhost, safe='')}"
    finally:
        rabbitmqctl("delete_vhost", vhost)


@contextmanager
def fresh_databases() -> Iterator:
    """Yields `make(name) -> url`, which names a new database of this run; all are dropped at
    the end (each is created by the first migration run on it)."""
    created = []

    def make(name: str) -> str:
        url = f"{DATABASE_SERVER}/{RUN_ID}_{name}"
        created.append(url)
        return url

    try:
        yield make
    finally:
        # At once: each drop waits for a checkpoint, which drops made together share.
        with ThreadPoolExecutor(max_workers=8) as dropping:
            list(dropping.map(drop_database, created))


def port_answers(host: str, port: int) -> bool:
    try:
        socket.create_connection((host, port), timeout=1).close()
        return True
    except OSError:
        return False


@contextmanager
def s3_server() -> Iterator[dict]:
    """moto_server on a free port with a fresh bucket; yields the S3 settings."""
    port = free_port()
    server = subprocess.Popen(
        [str(BIN / "moto_server"), "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    config = {
        "S3_ENDPOINT_URL": f"http://127.0.0.1:{port}",
        "S3_REGION": "eu-north-1",
        "S3_ACCESS_KEY": "test",
        "S3_SECRET_KEY": "test-secret",
        "S3_BUCKET": f"valmennus-{RUN_ID}",
    }

    def answers():
        try:
            return requests.get(config["S3_ENDPOINT_URL"], timeout=1).status_code < 500
        except (requests.ConnectionError, requests.Timeout):
            return False

    try:
        wait_for(answers, seconds=30, interval=0.2)
        ensure_bucket(config)
        yield config
    finally:
        server.terminate()
        server.wait(timeout=10)


@dataclass(frozen=True)
class SmtpSink:
    host: str
    port: int
    directory: Path

    def received(self, to: str | None = None) -> list[EmailMessage]:
        """The messages received so far, oldest first; only those addressed to `to` if given."""
        messages = [
            message_from_bytes(path.read_bytes(), policy=policy.default)
            for path in sorted(self.directory.glob("*.eml"))
        ]
        return addressed_to(messages, to)

    @property
    def config(self) -> dict:
        """The settings that send the services' mail here."""
        return {"SMTP_HOST": self.host, "SMTP_PORT": self.port}


def addressed_to(messages: list[EmailMessage], to: str | None) -> list[EmailMessage]:
    if to is None:
        return messages
    return [
        message
        for message in messages
        if any(address.addr_spec.lower() == to.lower() for address in message["To"].addresses)
    ]


@contextmanager
def smtp_sink_server(directory: Path) -> Iterator[SmtpSink]:
    """deploy.smtp_sink on a free port, keeping each mail as a file in `directory`."""
    sink = SmtpSink("127.0.0.1", free_port(), directory)
    server = subprocess.Popen(
        [sys.executable, "-m", "deploy.smtp_sink", "--host", sink.host, "--port", str(sink.port)]
        + ["--dir", str(sink.directory)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
    )
    try:
        wait_for(lambda: port_answers(sink.host, sink.port), seconds=30, interval=0.1)
        yield sink
    finally:
        server.terminate()
        server.wait(timeout=10)


RECIPIENT = re.compile(r"<([^>]*)>")


@dataclass
class ScriptedSmtp:
    """An SMTP server in the test's process that answers 550 to the recipients in `refused` and,
    once it has accepted `hang_up_after` messages, cuts the connection at the next one; it keeps
    the messages it accepted and counts the connections made to it."""

    refused: frozenset[str] = frozenset()
    hang_up_after: int | None = None
    port: int = 0
    connections: int = 0
    accepted: list[EmailMessage] = field(default_factory=list)
    host: str = "127.0.0.1"

    def received(self, to: str | None = None) -> list[EmailMessage]:
        return addressed_to(self.accepted, to)

    @property
    def config(self) -> dict:
        return {"SMTP_HOST": self.host, "SMTP_PORT": self.port}

    def serve(self, listener: socket.socket, stopping: threading.Event) -> None:
        listener.settimeout(0.1)
        while not stopping.is_set():
            try:
                connection, _ = listener.accept()
            except TimeoutError:
                continue
            self.connections += 1
            connection.settimeout(10)
            with connection, connection.makefile("rb") as lines:
                self.converse(connection, lines)

    def converse(self, connection: socket.socket, lines) -> None:
        connection.sendall(b"220 scripted\r\n")
        for line in lines:
            command = line.decode().strip()
            verb = command[:4].upper()
            if verb == "EHLO":
                connection.sendall(b"250-scripted\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n")
            elif verb == "MAIL" and len(self.accepted) == self.hang_up_after:
                return
            elif verb == "RCPT" and RECIPIENT.search(command)[1].lower() in self.refused:
                connection.sendall(b"550 no such mailbox\r\n")
            elif verb == "DATA":
                connection.sendall(b"354 go ahead\r\n")
                self.accepted.append(message_from_bytes(message_data(lines), policy=policy.default))
                connection.sendall(b"250 accepted\r\n")
            elif verb == "QUIT":
                connection.sendall(b"221 bye\r\n")
                return
            else:
                connection.sendall(b"250 ok\r\n")


def message_data(lines) -> bytes:
    """The lines of a DATA section up to its lone dot, with the dots stuffed into them removed."""
    data = []
    for line in lines:
        if line == b".\r\n":
            break
        data.append(line[1:] if line.startswith(b".") else line)
    return b"".join(data)


@contextmanager
def scripted_smtp_server(**script) -> Iterator[ScriptedSmtp]:
    """A ScriptedSmtp (`refused`, `hang_up_after`) listening on a free port until the block ends."""
    server = ScriptedSmtp(**script)
    stopping = threading.Event()
    with socket.create_server((server.host, 0)) as listener:
        server.port = listener.getsockname()[1]
        thread = threading.Thread(target=server.serve, args=(listener, stopping), daemon=True)
        thread.start()
        try:
            yield server
        finally:
            stopping.set()
            thread.join(timeout=15)
