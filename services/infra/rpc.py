"""The `@rpc` entrypoint every service uses: nameko's, except that a reply the broker cannot
take does not stop the service.

nameko sends an RPC's reply from the worker's thread; when the broker is out of reach at that
moment, the error ends the container and the process no longer answers anything, even after the
broker is back (seen in tests/hardening: one request in flight while the broker was cut). Here
the reply is given up with a warning: the request stays unacknowledged, so the broker delivers
it again when the connection returns, and the caller has had its 503 from its own timeout.
"""

import logging

from amqp.exceptions import ConnectionError as AmqpConnectionError
from kombu.exceptions import OperationalError
from nameko.rpc import Rpc

log = logging.getLogger(__name__)

BROKER_OUT_OF_REACH = (OperationalError, AmqpConnectionError, ConnectionError)


class ResilientRpc(Rpc):
    def handle_result(self, message, worker_ctx, result, exc_info):
        try:
            return super().handle_result(message, worker_ctx, result, exc_info)
        except BROKER_OUT_OF_REACH as exc:
            log.warning(
                "the reply of %s could not be sent (%s); the request will come again",
                worker_ctx.call_id,
                exc.__class__.__name__,
            )
            return result, exc_info


rpc = ResilientRpc.decorator
