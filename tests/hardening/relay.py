"""A TCP relay the tests own, so they can cut a server off from the processes under test
without touching the machine's shared RabbitMQ or PostgreSQL."""

import contextlib
import socket

import eventlet

from tests.conftest import free_port


class TcpRelay:
    """Forwards 127.0.0.1:`port` to `target`. `cut()` ends every relayed connection and refuses
    new ones, as a server that went away; `restore()` accepts again on the same port."""

    def __init__(self, target: tuple[str, int]):
        self.target = target
        self.port = free_port()
        self.pairs: set[tuple[socket.socket, socket.socket]] = set()
        self.listener = None
        self.acceptor = None

    def start(self) -> "TcpRelay":
        self.listener = eventlet.listen(("127.0.0.1", self.port))
        self.acceptor = eventlet.spawn(self._accept)
        return self

    def cut(self) -> None:
        self.acceptor.kill()
        self.listener.close()
        for pair in list(self.pairs):
            self._end(pair)

    def restore(self) -> None:
        self.start()

    def _accept(self) -> None:
        while True:
            client, _ = self.listener.accept()
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            upstream.settimeout(None)
            pair = (client, upstream)
            self.pairs.add(pair)
            eventlet.spawn(self._pipe, client, upstream, pair)
            eventlet.spawn(self._pipe, upstream, client, pair)

    def _pipe(self, source: socket.socket, sink: socket.socket, pair) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            self._end(pair)
            source.close()

    def _end(self, pair) -> None:
        """Shuts both sockets down, which wakes both pipes; each closes the one it reads."""
        self.pairs.discard(pair)
        for sock in pair:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
