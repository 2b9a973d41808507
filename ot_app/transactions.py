"""Write transactions. On SQLite they start with BEGIN IMMEDIATE, so a writer waits for the lock
(busy_timeout) at the start instead of failing with "database is locked" halfway through."""

from contextlib import contextmanager
from contextvars import ContextVar

from sqlalchemy import event
from sqlalchemy.exc import DBAPIError, IntegrityError

from .extensions import db

_immediate: ContextVar[bool] = ContextVar("ot_immediate", default=False)


def configure_engine(engine) -> None:
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _no_implicit_begin(dbapi_connection, connection_record):
        # pysqlite would emit its own deferred BEGIN; we emit ours below.
        dbapi_connection.isolation_level = None

    @event.listens_for(engine, "begin")
    def _begin(conn):
        conn.exec_driver_sql("BEGIN IMMEDIATE" if _immediate.get() else "BEGIN")


@contextmanager
def write_transaction():
    """One unit of work: commit on success, roll back on any error. Nothing half-written.
    Inside another write_transaction it joins that one (the outermost commits), so two use
    cases can be stored all or nothing: an annex revision and the program derived from it."""
    session = db.session()  # the request's Session behind the scoped proxy
    if _immediate.get():
        yield session
        return
    if session.in_transaction():
        # End the read transaction the request opened (loading the user): the write one
        # must begin afresh to take the lock first.
        session.commit()
    token = _immediate.set(True)
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        _immediate.reset(token)


# PostgreSQL ended this transaction to break a deadlock, or could not serialize it. Two bookings of
# one exclusive site checked at the same instant wait on each other inside the exclusion
# constraint, and the deadlock detector ends one of them. Nothing of it was written.
LOST_RACE_STATES = frozenset({"40P01", "40001"})  # deadlock_detected, serialization_failure


def lost_race(exc: BaseException) -> bool:
    """PostgreSQL ended this transaction because of a concurrent one (a deadlock, a serialization
    failure): nothing was written, and running the write again sees the other's committed rows."""
    return isinstance(exc, DBAPIError) and getattr(exc.orig, "sqlstate", None) in LOST_RACE_STATES


def retrying(write, tries: int = 3):
    """`write()` in a write transaction, run again when a concurrent writer made it fail (a unique
    or exclusion constraint it took first, or `lost_race`): its checks then see the other writer's
    rows and say so in Spanish. The last try's error propagates.
    Inside another write transaction it runs once: only the outermost one can start again."""
    if _immediate.get():
        with write_transaction():
            return write()
    for attempt in range(tries):
        try:
            with write_transaction():
                return write()
        except DBAPIError as exc:
            if attempt == tries - 1 or not (isinstance(exc, IntegrityError) or lost_race(exc)):
                raise
    raise AssertionError("unreachable")  # pragma: no cover
