"""Write transactions. On SQLite they start with BEGIN IMMEDIATE, so a writer waits for the lock
(busy_timeout) at the start instead of failing with "database is locked" halfway through."""

from contextlib import contextmanager
from contextvars import ContextVar

from sqlalchemy import event

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
