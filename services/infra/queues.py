"""Declaring every exchange, consumer queue and binding before services start.

RabbitMQ confirms and then drops an event published while no queue is bound to its exchange,
so the queues must exist before the first event is sent, not when a consumer first starts.
The queues are taken from the service classes themselves, declared exactly as nameko would.
"""

from kombu import Connection
from nameko.constants import AMQP_URI_CONFIG_KEY
from nameko.containers import ServiceContainer
from nameko.events import get_event_exchange
from nameko.rpc import get_rpc_exchange

from services.infra.events import ReliableEventHandler


def queues_of(service_cls, config: dict) -> list:
    container = ServiceContainer(service_cls, config)
    queues = []
    for entrypoint in container.entrypoints:
        if isinstance(entrypoint, ReliableEventHandler):
            entrypoint.setup()
            queues.extend(entrypoint.queues_to_declare())
    return queues


def declare_queues(service_classes, config: dict) -> list[str]:
    """Declare the RPC exchange, each service's event exchange and every handler's queues."""
    declared = []
    with Connection(config[AMQP_URI_CONFIG_KEY]) as connection:
        channel = connection.channel()
        get_rpc_exchange(config)(channel).declare()
        for service_cls in service_classes:
            get_event_exchange(service_cls.name, config)(channel).declare()
            for queue in queues_of(service_cls, config):
                queue(channel).declare()
                declared.append(queue.name)
    return declared
