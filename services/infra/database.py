"""Database access for a service: one engine per container, one session per worker.

The worker's entrypoint runs inside a transaction: when it returns, the session commits before
the entrypoint's result is sent (an RPC reply never announces a change that was not stored);
when it raises, the session rolls back. Work outside a worker (relays, timers' batches) opens
its own transactions with `Database.transaction()`; a worker that must commit something apart
from its own transaction uses `transaction_beside(session)`.

A worker that finds the database out of reach raises the contract's `Unavailable`, which the
gateway answers with 503. Neither logs nor errors ever carry the values of a statement: the
engine hides its parameters, and a database error's message keeps only its kind, code and the
constraint, table and column it names (PostgreSQL's own message and detail quote the values).
"""

import functools
from contextlib import contextmanager
from weakref import WeakKeyDictionary

from nameko.extensions import DependencyProvider
from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine, ExceptionContext
from sqlalchemy.exc import DisconnectionError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.orm import Session, sessionmaker

from services.contracts.errors import Unavailable

OUT_OF_REACH = (OperationalError, InterfaceError, DisconnectionError, PoolTimeout)
QUOTES_NO_VALUES = ("08", "53", "57")
"""SQLSTATE classes whose messages are about the connection or the server, never about data."""


def value_free_message(error: BaseException) -> str | None:
    """A message for a driver error that names no value, or None when its own names none."""
    diag = getattr(error, "diag", None)
    sqlstate = getattr(error, "sqlstate", None)
    if diag is None or sqlstate is None or sqlstate[:2] in QUOTES_NO_VALUES:
        return None
    named = (
        f"{label} {value}"
        for label, value in (
            ("constraint", diag.constraint_name),
            ("table", diag.table_name),
            ("column", diag.column_name),
        )
        if value
    )
    return " ".join([f"{type(error).__name__} (SQLSTATE {sqlstate})", *named])


def without_values(context: ExceptionContext) -> None:
    """Rewrites the driver's error and SQLAlchemy's, which copied its message when it was made."""
    error = context.original_exception
    message = value_free_message(error)
    if message is None:
        return
    error.args = (message,)
    if context.sqlalchemy_exception is not None:
        kind = f"{type(error).__module__}.{type(error).__name__}"
        context.sqlalchemy_exception.args = (f"({kind}) {message}",)


def make_engine(url: str, **options) -> Engine:
    """An engine whose statements' values never reach a log line or an error message."""
    engine = create_engine(url, hide_parameters=True, **options)
    event.listen(engine, "handle_error", without_values)
    return engine


class Database(DependencyProvider):
    def setup(self):
        config = self.container.config
        self.engine = make_engine(
            config["DATABASE_URL"],
            pool_size=int(config.get("DATABASE_POOL_SIZE", 10)),
            max_overflow=int(config.get("DATABASE_MAX_OVERFLOW", 5)),
            pool_pre_ping=True,
        )
        self.make_session = sessionmaker(bind=self.engine, expire_on_commit=False)
        self.sessions = WeakKeyDictionary()

    def stop(self):
        self.engine.dispose()

    def kill(self):
        self.engine.dispose()

    def session_for(self, worker_ctx) -> Session:
        session = self.sessions.get(worker_ctx)
        if session is None:
            session = self.sessions[worker_ctx] = self.make_session()
        return session

    def get_dependency(self, worker_ctx) -> Session:
        return self.session_for(worker_ctx)

    def worker_setup(self, worker_ctx):
        service = worker_ctx.service
        method_name = worker_ctx.entrypoint.method_name
        method = getattr(service, method_name)
        session = self.session_for(worker_ctx)

        @functools.wraps(method)
        def in_transaction(*args, **kwargs):
            try:
                result = method(*args, **kwargs)
                session.commit()
            except OUT_OF_REACH as exc:
                session.rollback()
                raise Unavailable("The database is out of reach; try again soon.") from exc
            except BaseException:
                session.rollback()
                raise
            return result

        setattr(service, method_name, in_transaction)

    def worker_teardown(self, worker_ctx):
        session = self.sessions.pop(worker_ctx, None)
        if session is not None:
            session.close()

    @contextmanager
    def transaction(self):
        """A session in its own transaction, for work that does not run in a worker."""
        with self.make_session() as session, session.begin():
            yield session


@contextmanager
def transaction_beside(session: Session):
    """A transaction of its own on the engine `session` uses, committed when the block ends:
    for what must stay whatever becomes of the session's transaction."""
    with Session(session.get_bind(), expire_on_commit=False) as own, own.begin():
        yield own


def find_database(container) -> Database:
    """The container's Database provider, for extensions that share the worker's session."""
    for dependency in container.dependencies:
        if isinstance(dependency, Database):
            return dependency
    raise LookupError(f"service {container.service_name} has no Database dependency")
