"""Hostile connections against a real gateway process: resets, slow clients, the file limit."""

import os
import resource
import socket
import struct
import time
from urllib.parse import urlsplit

import pytest
import requests

from tests.conftest import wait_for
from tests.hardening.system import answers

QUICK = {
    "HTTP_IDLE_TIMEOUT_SECONDS": 2,
    "HTTP_HEADER_TIMEOUT_SECONDS": 2,
    "HTTP_BODY_TIMEOUT_SECONDS": 2,
}
PATIENT = {"HTTP_HEADER_TIMEOUT_SECONDS": 120, "HTTP_MAX_CONNECTIONS": 10000}
CAPPED = {"HTTP_HEADER_TIMEOUT_SECONDS": 120, "HTTP_MAX_CONNECTIONS": 10}
SLACK_SECONDS = 3
PARTIAL_REQUEST = b"GET /healthz HTTP/1.1\r\nHost: gateway\r\nX-Padding: "


@pytest.fixture(scope="module")
def quick_gateway(hardening_system):
    with hardening_system.gateway("gateway-quick", **QUICK) as (process, url):
        yield process, url


@pytest.fixture(scope="module")
def patient_gateway(hardening_system):
    """Waits two minutes for headers: a socket closed sooner was closed for another reason."""
    with hardening_system.gateway("gateway-patient", **PATIENT) as (process, url):
        yield process, url


@pytest.fixture(scope="module")
def capped_gateway(hardening_system):
    with hardening_system.gateway("gateway-capped", **CAPPED) as (process, url):
        yield process, url


def address_of(url: str) -> tuple[str, int]:
    parts = urlsplit(url)
    return parts.hostname, parts.port


def socket_inodes(pid: int) -> set[str]:
    fd_dir = f"/proc/{pid}/fd"
    inodes = set()
    for fd in os.listdir(fd_dir):
        try:
            target = os.readlink(f"{fd_dir}/{fd}")
        except FileNotFoundError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[len("socket:[") : -1])
    return inodes


def client_sockets(pid: int, port: int) -> int:
    """Connections to the gateway's port that the gateway process still holds open."""
    held = socket_inodes(pid)
    count = 0
    for table in ("tcp", "tcp6"):
        with open(f"/proc/{pid}/net/{table}") as lines:
            for line in list(lines)[1:]:
                fields = line.split()
                local_port = int(fields[1].rsplit(":", 1)[1], 16)
                listening = fields[3] == "0A"
                count += local_port == port and not listening and fields[9] in held
    return count


def slow_connection(address, padding: int = 10) -> socket.socket:
    """A connection that has sent part of a request's headers and nothing more."""
    sock = socket.create_connection(address, timeout=10)
    sock.sendall(PARTIAL_REQUEST + b"a" * padding)
    return sock


def reset(sock: socket.socket) -> None:
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    sock.close()


def seconds_until_closed(sock: socket.socket, limit: float, trickle: bytes = b"") -> float:
    """Reads (sending `trickle` now and then) until the server closes; the seconds it took."""
    started = time.monotonic()
    sock.settimeout(0.25)
    while time.monotonic() - started < limit:
        try:
            if trickle:
                sock.sendall(trickle)
            if not sock.recv(65536):
                return time.monotonic() - started
        except TimeoutError:
            continue
        except OSError:
            return time.monotonic() - started
    raise AssertionError(f"the connection was still open after {limit} s")


def hard_limit(process) -> int:
    return resource.prlimit(process.pid, resource.RLIMIT_NOFILE)[1]


def test_connections_reset_mid_headers_are_closed_at_once(patient_gateway):
    process, url = patient_gateway
    _, port = address_of(url)
    wait_for(lambda: client_sockets(process.pid, port) == 0, seconds=10)
    for attempt in range(100):
        reset(slow_connection(address_of(url), padding=attempt * 37 % 3000))
    started = time.monotonic()

    wait_for(lambda: client_sockets(process.pid, port) == 0, seconds=10)

    print(
        f"\n100 resets mid-headers: no client socket left after {time.monotonic() - started:.2f} s"
    )


def test_unfinished_headers_are_closed_within_the_header_timeout(quick_gateway):
    _, url = quick_gateway
    limit = QUICK["HTTP_HEADER_TIMEOUT_SECONDS"] + SLACK_SECONDS
    with slow_connection(address_of(url)) as sock:
        seconds = seconds_until_closed(sock, limit, trickle=b"a")
    print(f"\nslow-loris headers closed after {seconds:.2f} s")


def test_a_body_shorter_than_its_content_length_gets_408_within_the_body_timeout(quick_gateway):
    _, url = quick_gateway
    limit = QUICK["HTTP_BODY_TIMEOUT_SECONDS"] + SLACK_SECONDS
    with socket.create_connection(address_of(url), timeout=10) as sock:
        sock.sendall(
            b"POST /api/session HTTP/1.1\r\nHost: gateway\r\nContent-Type: application/json\r\n"
            b'Content-Length: 1000\r\n\r\n{"username": '
        )
        started = time.monotonic()
        answer = b""
        sock.settimeout(limit)
        while chunk := sock.recv(65536):
            answer += chunk
        seconds = time.monotonic() - started
    assert answer.startswith(b"HTTP/1.1 408"), answer[:200]
    assert seconds < limit
    print(f"\nbody short of its Content-Length: 408 and closed after {seconds:.2f} s")


def test_an_idle_keep_alive_connection_is_closed_after_the_idle_timeout(quick_gateway):
    _, url = quick_gateway
    limit = QUICK["HTTP_IDLE_TIMEOUT_SECONDS"] + SLACK_SECONDS
    with socket.create_connection(address_of(url), timeout=10) as sock:
        sock.sendall(b"GET /robots.txt HTTP/1.1\r\nHost: gateway\r\n\r\n")
        assert sock.recv(65536).startswith(b"HTTP/1.1 200")
        seconds = seconds_until_closed(sock, limit)
    print(f"\nidle keep-alive connection closed after {seconds:.2f} s")


def test_healthz_answers_while_fifty_slow_connections_are_open(patient_gateway):
    _, url = patient_gateway
    slow = [slow_connection(address_of(url)) for _ in range(50)]
    try:
        started = time.monotonic()
        assert requests.get(f"{url}/healthz", timeout=10).status_code == 200
        print(f"\n/healthz with 50 slow connections open: {time.monotonic() - started:.3f} s")
    finally:
        for sock in slow:
            sock.close()


def settled_file_count(pid: int) -> int:
    """The process's open files once the count has held for a second: connections an earlier
    test closed may still be open on the server's side for a moment, and would leave room."""
    counts = []

    def settled():
        counts.append(len(os.listdir(f"/proc/{pid}/fd")))
        return len(counts) > 5 and len(set(counts[-5:])) == 1

    wait_for(settled, seconds=15, interval=0.25)
    return counts[-1]


def test_the_gateway_outlives_its_file_limit(hardening_system, patient_gateway):
    process, url = patient_gateway
    in_use = settled_file_count(process.pid)
    limit = in_use + 20
    soft, hard = resource.prlimit(process.pid, resource.RLIMIT_NOFILE, (limit, hard_limit(process)))
    held = [slow_connection(address_of(url)) for _ in range(50)]
    try:
        log_line = "cannot accept connections (EMFILE)"
        wait_for(lambda: log_line in hardening_system.log_text(), seconds=10)
        assert process.poll() is None
    finally:
        for sock in held:
            sock.close()

    started = time.monotonic()
    wait_for(lambda: answers(f"{url}/healthz") == 200, seconds=30, interval=0.2)
    assert process.poll() is None
    resource.prlimit(process.pid, resource.RLIMIT_NOFILE, (soft, hard))
    print(
        f"\nat a file limit of {limit}: the gateway waited, then answered "
        f"{time.monotonic() - started:.2f} s after the connections closed"
    )


def test_connections_past_the_cap_wait_their_turn(capped_gateway):
    process, url = capped_gateway
    _, port = address_of(url)
    cap = CAPPED["HTTP_MAX_CONNECTIONS"]
    slow = [slow_connection(address_of(url)) for _ in range(cap + 5)]
    try:
        wait_for(lambda: client_sockets(process.pid, port) == cap, seconds=10)
        for sock in slow[:5]:
            sock.close()
        last_in_line = slow[-1]
        last_in_line.sendall(b"\r\n\r\n")
        assert last_in_line.recv(65536).startswith(b"HTTP/1.1 200")
        assert client_sockets(process.pid, port) <= cap
    finally:
        for sock in slow:
            sock.close()
