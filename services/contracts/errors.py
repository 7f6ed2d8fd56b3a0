"""Errors that cross service boundaries.

Each is registered with nameko's `deserialize_to_instance`, so a caller catches the real class.
`args` are `(message, fields)` because nameko rebuilds the instance from `exc.args`.
The gateway maps each class to an HTTP status once; `code` is what clients see.
"""

from nameko.exceptions import deserialize_to_instance


@deserialize_to_instance
class DomainError(Exception):
    code = "error"

    def __init__(self, message: str = "", fields: dict | None = None):
        super().__init__(message, fields or {})

    @property
    def message(self) -> str:
        return self.args[0]

    @property
    def fields(self) -> dict:
        return self.args[1]


@deserialize_to_instance
class InvalidInput(DomainError):
    """Input that failed validation; `fields` maps each field to its problems."""

    code = "invalid_input"


@deserialize_to_instance
class NotFound(DomainError):
    code = "not_found"


@deserialize_to_instance
class Conflict(DomainError):
    code = "conflict"


@deserialize_to_instance
class Unauthenticated(DomainError):
    """No valid login: wrong credentials, an unknown, expired or revoked session."""

    code = "not_logged_in"


@deserialize_to_instance
class Forbidden(DomainError):
    code = "forbidden"


@deserialize_to_instance
class Throttled(DomainError):
    """Too many attempts; `retry_after` says in how many seconds to try again."""

    code = "throttled"

    def __init__(self, message: str = "", fields: dict | None = None, retry_after: int = 60):
        Exception.__init__(self, message, fields or {}, int(retry_after))

    @property
    def retry_after(self) -> int:
        return self.args[2]


@deserialize_to_instance
class Unavailable(DomainError):
    """What the service needs (its database) is out of reach for now; nothing was changed."""

    code = "service_unavailable"
