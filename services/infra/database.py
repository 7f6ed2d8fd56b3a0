"""Database access for a service: one engine per container, one session per worker, and the
few shapes a transaction may take. Domain code never calls `commit()` or `rollback()` itself.

1. The worker's transaction (the default; nothing to write). The entrypoint runs inside it:
   when it returns, the session commits before the result is sent (an RPC reply never announces
   a change that was not stored); when it raises, everything rolls back. Right for nearly every
   RPC and event handler: all or nothing.
2. `transaction_beside(session)`: a commit beside the worker's transaction that must stay
   whatever becomes of it, such as a note of files about to be written, kept so a cleanup can
   find them if the worker fails.
3. `step(session)`: a piece of the worker's work committed before the next one starts, so a
   failure or a crash later loses only the step in flight: a saga step, a timer's batch, a mail
   job claimed before the SMTP server is asked, a refusal recorded before it is raised. Right
   when the work is a sequence of independent, repeatable parts, or when an outside party
   (another service, S3, SMTP) must only be asked once the state is stored.
4. `attempt(session)`: a savepoint inside the worker's transaction, for a write that may be
   refused by a constraint (a slot taken, a key already used) without spoiling the rest.

Work outside any worker (the outbox relay, parking events) uses `Database.transaction()`.

A pooled connection is checked with a ping before use only when it has lain unused for
PING_AFTER_IDLE_SECONDS (`ping_after_idle`): one that died meanwhile (a database restart, a
network cut) is replaced unseen, while a busy service, which reuses its connections within
milliseconds, does not pay a round trip for every transaction as `pool_pre_ping` would.

A worker that finds the database out of reach raises the contract's `Unavailable`, which the
gateway answers with 503. Neither logs nor errors ever carry the values of a statement: the
engine hides its parameters, and a database error's message keeps only its kind, code and the
constraint, table and column it names (PostgreSQL's own message and detail quote the values).
"""

import functools
import time
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


PING_AFTER_IDLE_SECONDS = 1.0
CHECKED_IN_AT = "checked_in_at"


def make_engine(url: str, **options) -> Engine:
    """An engine whose statements' values never reach a log line or an error message."""
    engine = create_engine(url, hide_parameters=True, **options)
    event.listen(engine, "handle_error", without_values)
    return engine


def ping_after_idle(engine: Engine, idle_seconds: float = PING_AFTER_IDLE_SECONDS) -> None:
    """Ping a pooled connection before it is lent out if it was returned `idle_seconds` ago or
    more; one that does not answer is discarded and the pool lends another (SQLAlchemy's
    documented use of `DisconnectionError` in a checkout handler)."""

    def returned(dbapi_connection, record) -> None:
        record.info[CHECKED_IN_AT] = time.monotonic()

    def lent(dbapi_connection, record, proxy) -> None:
        returned_at = record.info.get(CHECKED_IN_AT)
        if returned_at is None or time.monotonic() - returned_at < idle_seconds:
            return
        try:
            alive = engine.dialect.do_ping(dbapi_connection)
        except Exception as exc:
            raise DisconnectionError("the pooled connection did not answer") from exc
        if not alive:
            raise DisconnectionError("the pooled connection did not answer")

    event.listen(engine, "checkin", returned)
    event.listen(engine, "checkout", lent)


class Database(DependencyProvider):
    def setup(self):
        config = self.container.config
        self.engine = make_engine(
            config["DATABASE_URL"],
            pool_size=int(config.get("DATABASE_POOL_SIZE", 10)),
            max_overflow=int(config.get("DATABASE_MAX_OVERFLOW", 5)),
        )
        ping_after_idle(self.engine)
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


@contextmanager
def step(session: Session):
    """Commit what the block wrote when it ends; roll it back (and re-raise) when it fails."""
    try:
        yield session
    except BaseException:
        session.rollback()
        raise
    session.commit()


def attempt(session: Session):
    """A savepoint: when the block raises, only what it wrote is undone, and the error goes on."""
    return session.begin_nested()


def find_database(container) -> Database:
    """The container's Database provider, for extensions that share the worker's session."""
    for dependency in container.dependencies:
        if isinstance(dependency, Database):
            return dependency
    raise LookupError(f"service {container.service_name} has no Database dependency")
