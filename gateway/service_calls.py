"""RPC proxies whose calls end: a gateway request never waits for ever on a service.

nameko 2.14's proxies wait for a reply without limit, so a service that is down or stuck held
every request that needed it. Here a call that has no answer within `RPC_TIMEOUT_SECONDS`, or
that cannot be sent because the broker is out of reach, raises `ServiceUnavailable` (503).
"""

import eventlet
from amqp.exceptions import ConnectionError as AmqpConnectionError
from kombu.exceptions import OperationalError as BrokerUnreachable
from nameko.rpc import MethodProxy, RpcProxy, ServiceProxy

from gateway.errors import ServiceUnavailable

DEFAULT_RPC_TIMEOUT_SECONDS = 30.0
SENDING_FAILED = (BrokerUnreachable, AmqpConnectionError, ConnectionError)


class TimedMethodProxy(MethodProxy):
    def __init__(self, *args, timeout: float, **kwargs):
        super().__init__(*args, **kwargs)
        self.timeout = timeout

    def __call__(self, *args, **kwargs):
        with eventlet.Timeout(self.timeout, ServiceUnavailable(self.service_name)):
            try:
                reply = self._call(*args, **kwargs)
            except SENDING_FAILED as exc:
                raise ServiceUnavailable(self.service_name) from exc
            return reply.result()


class TimedServiceProxy(ServiceProxy):
    def __init__(self, *args, timeout: float, **kwargs):
        super().__init__(*args, **kwargs)
        self.timeout = timeout

    def __getattr__(self, name):
        return TimedMethodProxy(
            self.worker_ctx,
            self.service_name,
            name,
            self.reply_listener,
            timeout=self.timeout,
            **self.options,
        )


class TimedRpcProxy(RpcProxy):
    """`RpcProxy` with a deadline on every call."""

    def get_dependency(self, worker_ctx):
        config = self.container.config
        timeout = float(config.get("RPC_TIMEOUT_SECONDS", DEFAULT_RPC_TIMEOUT_SECONDS))
        listener = self.rpc_reply_listener
        return TimedServiceProxy(
            worker_ctx, self.target_service, listener, timeout=timeout, **self.options
        )
