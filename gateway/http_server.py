"""The gateway's HTTP server: nameko's WebServer on eventlet.wsgi, made safe on its own.

nameko's server trusts its clients: no read timeouts, a thread per connection without a cap, an
accept loop that ends the whole process on `EMFILE`, and reset connections whose sockets live
on in reference cycles until the garbage collector happens to run. Here:

- a connection waits at most `HTTP_IDLE_TIMEOUT_SECONDS` for a request to start (the keep-alive
  idle time), its request line and headers must then arrive within
  `HTTP_HEADER_TIMEOUT_SECONDS`, and its body within `HTTP_BODY_TIMEOUT_SECONDS`, however
  slowly it trickles in; a body read past its deadline raises `RequestTimedOut` (408);
- a body the route did not read to the end (and any chunked body) is not drained after the
  answer: the connection closes instead;
- a connection's socket and files are closed when it ends, also when the client reset it;
- at most `HTTP_MAX_CONNECTIONS` connections are served at once; more wait in the listen
  backlog;
- when accepting fails for want of file descriptors or memory, the loop logs, backs off and
  carries on; no connection error ever ends the process;
- a request refused before it reaches the application (a request line or header too long, a
  malformed request line) gets the same JSON error body as every other answer: eventlet and
  the standard library write an empty or an HTML one.
"""

import contextlib
import errno
import json
import logging
import time
from dataclasses import dataclass
from functools import partial

import eventlet
from eventlet import wsgi
from eventlet.semaphore import Semaphore
from nameko.web.server import WebServer
from werkzeug.routing import Map

from gateway.errors import HTTP_CODES, RequestTimedOut, error_body
from gateway.input_guard import TYPED_PATH_CONVERTERS, typed_path_rule

log = logging.getLogger(__name__)

OUT_OF_RESOURCES = frozenset({errno.EMFILE, errno.ENFILE, errno.ENOBUFS, errno.ENOMEM})
ACCEPT_BACKOFF_SECONDS = (0.05, 1.0)
"""The first and the longest wait after accepting failed for want of resources."""
ACCEPT_WARNING_EVERY_SECONDS = 10

ACCESS_LOG_FORMAT = (
    '%(client_ip)s "%(request_line)s" %(status_code)s %(body_length)s %(wall_seconds).3f'
)
LATE_HEADERS = "the request headers did not arrive in time"
LATE_BODY = "the request body did not arrive in time"


def json_refusal(status: int, reason: str, message: str) -> bytes:
    """A whole answer that refuses a request and closes the connection, with a JSON body."""
    body = json.dumps(error_body(HTTP_CODES.get(status, "http_error"), message)).encode()
    head = (
        f"HTTP/1.1 {status} {reason}\r\nConnection: close\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
    )
    return head.encode() + body


EVENTLET_REFUSALS = {
    wsgi.RESPONSE_414: json_refusal(414, "URI Too Long", "The address is too long."),
    b"HTTP/1.0 400 Header Line Too Long\r\nConnection: close\r\nContent-length: 0\r\n\r\n": (
        json_refusal(400, "Bad Request", "A request header is too long.")
    ),
    b"HTTP/1.0 400 Headers Too Large\r\nConnection: close\r\nContent-length: 0\r\n\r\n": (
        json_refusal(400, "Bad Request", "The request headers are too large.")
    ),
}
"""The answers eventlet writes as they are, with no body, for a request it cannot read: by
their exact bytes, each with the JSON answer written instead."""


LONGEST_EVENTLET_REFUSAL = max(len(refusal) for refusal in EVENTLET_REFUSALS)
PARSE_REFUSALS = {
    431: "The request has too many headers.",
    505: "This HTTP version is not supported.",
}


class JsonRefusals:
    """A connection's output on which eventlet's own refusals are written as JSON ones."""

    def __init__(self, inner):
        self.inner = inner

    def write(self, data):
        if len(data) <= LONGEST_EVENTLET_REFUSAL:
            data = EVENTLET_REFUSALS.get(bytes(data), data)
        return self.inner.write(data)

    def __getattr__(self, name):
        return getattr(self.inner, name)


@dataclass(frozen=True)
class ConnectionLimits:
    idle_seconds: float
    header_seconds: float
    body_seconds: float
    max_connections: int

    @classmethod
    def from_config(cls, config: dict) -> "ConnectionLimits":
        return cls(
            idle_seconds=float(config.get("HTTP_IDLE_TIMEOUT_SECONDS", 15)),
            header_seconds=float(config.get("HTTP_HEADER_TIMEOUT_SECONDS", 10)),
            body_seconds=float(config.get("HTTP_BODY_TIMEOUT_SECONDS", 30)),
            max_connections=int(config.get("HTTP_MAX_CONNECTIONS", 500)),
        )


class RequestBody:
    """`wsgi.input` for one request: reads end at the body's deadline, and a body left unread
    closes the connection rather than being drained from a client that may never finish.

    Everything else is the eventlet input it wraps, which eventlet itself also reads and sets.
    """

    def __init__(self, inner: wsgi.Input, deadline: float, protocol: "GuardedProtocol"):
        object.__setattr__(self, "_inner", inner)
        object.__setattr__(self, "_deadline", deadline)
        object.__setattr__(self, "_protocol", protocol)

    def __getattr__(self, name):
        return getattr(self._inner, name)

    def __setattr__(self, name, value):
        setattr(self._inner, name, value)

    def __iter__(self):
        return iter(self.read, b"")

    def read(self, length=None):
        return self._before_deadline(self._inner.read, length)

    def readline(self, size=None):
        return self._before_deadline(self._inner.readline, size)

    def readlines(self, hint=None):
        return self._before_deadline(self._inner.readlines, hint)

    def discard(self, buffer_size=None):
        self._protocol.close_connection = 1

    def _before_deadline(self, read, size):
        remaining = self._deadline - time.monotonic()
        if remaining <= 0:
            raise RequestTimedOut(LATE_BODY)
        with eventlet.Timeout(remaining, RequestTimedOut(LATE_BODY)):
            return read(size)


class HeaderLines:
    """The header reader eventlet gives `parse_request`, noting whether the headers ended with
    an empty line, as they should, or with the connection."""

    def __init__(self, inner):
        self.inner = inner
        self.ended_by_eof = False

    def readline(self, size=-1):
        line = self.inner.readline(size)
        self.ended_by_eof = line == b""
        return line


class GuardedProtocol(wsgi.HttpProtocol):
    """eventlet's HTTP/1.1 protocol with deadlines for each phase of a request."""

    header_deadline = None

    @property
    def limits(self) -> ConnectionLimits:
        return self.server.limits

    def handle_one_request(self):
        if not self._request_started():
            self.close_connection = 1
            return
        self.header_deadline = eventlet.Timeout(
            self.limits.header_seconds, TimeoutError(LATE_HEADERS)
        )
        output = self.wfile
        self.wfile = JsonRefusals(output)
        try:
            super().handle_one_request()
        finally:
            self.wfile = output
            self.header_deadline.cancel()

    def send_error(self, code, message=None, explain=None):
        """The standard library's refusal of a request it cannot parse, with a JSON body; its
        own message may quote the request, so the body says only what is wrong."""
        reason = self.responses.get(code, ("Error",))[0]
        said = PARSE_REFUSALS.get(code, "The request is malformed.")
        self.wfile.write(json_refusal(code, reason, said))
        self.close_connection = True

    def _request_started(self) -> bool:
        """Waits for the first byte of a request, at most the idle timeout."""
        self.connection.settimeout(self.limits.idle_seconds)
        try:
            return bool(self.rfile.peek(1))
        except OSError:
            return False
        finally:
            self.connection.settimeout(self.server.socket_timeout)

    def parse_request(self) -> bool:
        """Refuses headers cut short: eventlet reads a reset connection as the end of them.

        Also keeps the query string out of the access log: it can hold personal data.
        """
        lines = HeaderLines(self.rfile)
        self.rfile = lines
        try:
            parsed = super().parse_request()
        finally:
            self.rfile = lines.inner
        if parsed and lines.ended_by_eof:
            self.close_connection = 1
            return False
        if parsed:
            self.requestline = f"{self.command} {self.path.split('?', 1)[0]} {self.request_version}"
        return parsed

    def get_environ(self) -> dict:
        """Called once the headers are in: their deadline ends and the body's begins."""
        self.header_deadline.cancel()
        environ = super().get_environ()
        body = RequestBody(
            environ["eventlet.input"], time.monotonic() + self.limits.body_seconds, self
        )
        environ["wsgi.input"] = environ["eventlet.input"] = body
        environ["wsgi.input_terminated"] = True
        return environ

    def finish(self):
        """Closes the files and the socket also when flushing fails on a connection the client
        reset: a file left open keeps the socket alive until the garbage collector runs."""
        for stream in (self.wfile, self.rfile):
            with contextlib.suppress(OSError):
                stream.close()
        self.connection.close()


class GuardedWsgiServer(wsgi.Server):
    def __init__(self, *args, limits: ConnectionLimits, **kwargs):
        super().__init__(*args, **kwargs)
        self.limits = limits


class GatewayWebServer(WebServer):
    """nameko's WebServer with the deadlines, the cap and the accept loop described above.

    Path values named `id` or `…_id` match only UUIDs (`input_guard`), so an id that is not
    one is a 404 on every route.
    """

    def start(self):
        self.limits = ConnectionLimits.from_config(self.container.config)
        self.slots = Semaphore(self.limits.max_connections)
        self.quiet_until = 0.0
        super().start()

    def get_wsgi_server(self, sock, wsgi_app, protocol=GuardedProtocol, debug=False):
        return GuardedWsgiServer(
            sock,
            sock.getsockname(),
            wsgi_app,
            protocol=protocol,
            debug=debug,
            log=logging.getLogger("gateway.access"),
            log_format=ACCESS_LOG_FORMAT,
            keepalive=self.limits.idle_seconds,
            socket_timeout=self.limits.body_seconds,
            limits=self.limits,
        )

    def make_url_map(self) -> Map:
        url_map = Map(converters=TYPED_PATH_CONVERTERS)
        for provider in self._providers:
            rule = typed_path_rule(provider.get_url_rule())
            rule.endpoint = provider
            url_map.add(rule)
        return url_map

    def run(self):
        backoff = None
        while self._is_accepting:
            self.slots.acquire()
            try:
                sock, address = self._sock.accept()
            except OSError as exc:
                self.slots.release()
                backoff = self._after_accept_failed(exc, backoff)
                continue
            backoff = None
            sock.settimeout(self._serv.socket_timeout)
            self.container.spawn_managed_thread(partial(self.process_request, sock, address))

    def _after_accept_failed(self, exc: OSError, backoff: float | None) -> float | None:
        if exc.errno not in OUT_OF_RESOURCES:
            log.debug("accept failed: %s", exc)
            return backoff
        now = time.monotonic()
        if now >= self.quiet_until:
            self.quiet_until = now + ACCEPT_WARNING_EVERY_SECONDS
            log.warning(
                "cannot accept connections (%s); backing off and trying again",
                errno.errorcode.get(exc.errno, exc.errno),
            )
        first, longest = ACCEPT_BACKOFF_SECONDS
        backoff = first if backoff is None else min(backoff * 2, longest)
        eventlet.sleep(backoff)
        return backoff

    def process_request(self, sock, address):
        """Serves one connection; whatever happens to it stays with it."""
        try:
            self._serv.process_request([address, sock, wsgi.STATE_IDLE])
        except (OSError, eventlet.Timeout) as exc:
            log.debug("connection from %s ended: %r", address[0], exc)
        except Exception:
            log.exception("connection from %s failed", address[0])
        finally:
            sock.close()
            self.slots.release()
