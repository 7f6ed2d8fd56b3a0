"""Service containers the tests run in this process, and killing them without waiting.

nameko's `QueueConsumer.kill` asks its consumer thread to stop and waits for it, and the thread
notices only when kombu's `drain_events(timeout=1)` returns: up to a second per container, most
of a short test's time. nameko's own `container_factory` avoids the wait by deleting the test's
vhost first, which the tests here cannot do, since they share one vhost. Shutting the consumer's
socket once it has been asked to stop ends the wait at once: kombu's `ConsumerMixin` takes the
socket error as the stop it asked for.
"""

import socket
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager, suppress

from nameko.containers import ServiceContainer, get_container_cls
from nameko.messaging import QueueConsumer


def wake_consumer(consumer: QueueConsumer) -> None:
    """Asks a running consumer to stop and ends its wait for the broker."""
    if consumer._gt is None or consumer._gt.dead:
        return
    consumer.should_stop = True
    # The kombu consumers of a QueueConsumer share its one connection.
    kombu_consumer = next(iter(consumer._consumers.values()), None)
    if kombu_consumer is None:
        return
    with suppress(OSError, AttributeError):  # a connection already closed has no socket
        kombu_consumer.channel.connection.sock.shutdown(socket.SHUT_RDWR)


def kill_at_once(container: ServiceContainer) -> None:
    """What nameko's fixture does at the end of a test, without the wait."""
    for extension in container.extensions:
        if isinstance(extension, QueueConsumer):
            wake_consumer(extension)
    container.kill()


@contextmanager
def containers() -> Iterator[Callable[[type, dict], ServiceContainer]]:
    """Yields `make(service_cls, config)`, which builds a container (not started); at the end
    each is killed, the last made first, without waiting (a kill that fails does not keep the
    others alive)."""
    with ExitStack() as kills:

        def make(service_cls: type, config: dict) -> ServiceContainer:
            container = get_container_cls(config)(service_cls, config)
            kills.callback(kill_at_once, container)
            return container

        yield make
