"""The data version: a counter that every transaction writing the data bumps as it commits, and a
per-worker cache of figures computed over all the OTs (the dashboard, the list's totals), keyed on
it. Reading the counter is one primary-key lookup; recomputing the dashboard over 100,000 OTs is a
second. Every write path goes through a Session (services, imports, the CLI), so session events
see them all, and a write shows up on the very next request in every worker, since each worker
reads the counter from the database.

The counter is bumped last, just before COMMIT: the row lock is held only for the commit itself,
so two writers never wait on each other in opposite orders (a chain lock, then the counter)."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable

from flask import current_app
from sqlalchemy import event, select, update
from sqlalchemy.orm import Session

from .extensions import db
from .models import VersionDatos

# Writes that change nothing a cached figure shows: logins, token use, the audit trail (which
# always comes with a real write), an upload's progress (its confirm is a real write), the counter.
IGNORED = frozenset({"usuario", "api_token", "actividad_log", "anexo_trabajo", "version_datos"})
_WROTE = "ot_wrote_data"
_READ = "ot_data_version"
MAX_ENTRIES = 256
# Rendered pages are most of what is kept (a list page is about 45 KB): a bound on their characters
# keeps a worker's memory in check whatever the number of distinct searches.
MAX_CHARS = 6_000_000


def _table_name(obj) -> str:
    return getattr(getattr(obj, "__table__", None), "name", "")


def _pending(session) -> bool:
    """Unflushed changes a figure could show (an audit entry or a login's stamp shows in none)."""
    return any(_table_name(obj) not in IGNORED for obj in (*session.new, *session.dirty, *session.deleted))


@event.listens_for(Session, "after_flush")
def _after_flush(session, _context):
    if not session.info.get(_WROTE) and _pending(session):
        session.info[_WROTE] = True


@event.listens_for(Session, "do_orm_execute")
def _on_execute(state):
    # Bulk INSERT/UPDATE/DELETE statements (executemany of annex lines, bulk actions).
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    table = getattr(state.statement, "table", None)
    if getattr(table, "name", "") not in IGNORED:
        state.session.info[_WROTE] = True


@event.listens_for(Session, "before_commit")
def _before_commit(session):
    session.flush()  # what is still pending flags itself
    if not session.info.pop(_WROTE, False):
        return
    bumped = session.execute(update(VersionDatos).where(VersionDatos.id == 1).values(n=VersionDatos.n + 1))
    if bumped.rowcount == 0:  # a database made by create_all without seeding
        session.add(VersionDatos(id=1, n=1))
        session.flush()


@event.listens_for(Session, "after_rollback")
def _after_rollback(session):
    session.info.pop(_WROTE, None)


@event.listens_for(Session, "after_transaction_end")
def _after_transaction_end(session, transaction):
    if transaction.parent is None:
        session.info.pop(_READ, None)


def ensure_row() -> None:
    """The counter's row (the migration inserts it; seed_base does for a create_all database)."""
    if db.session.get(VersionDatos, 1) is None:
        db.session.add(VersionDatos(id=1, n=0))


def current() -> int:
    """The version this transaction sees, read once in it (a page's cached parts share one read)."""
    info = db.session().info
    if _READ not in info:
        info[_READ] = db.session.scalar(select(VersionDatos.n).where(VersionDatos.id == 1)) or 0
    return info[_READ]


class _Cache:
    """The figures of one data version; a newer version empties it."""

    def __init__(self):
        self.version = -1
        self.entries: OrderedDict = OrderedDict()
        self.chars = 0
        self.lock = threading.Lock()

    def clear(self, version: int) -> None:
        self.entries.clear()
        self.chars = 0
        self.version = version

    def add(self, key, value) -> None:
        if key in self.entries:
            self.chars -= _chars(self.entries.pop(key))
        self.entries[key] = value
        self.chars += _chars(value)
        while len(self.entries) > MAX_ENTRIES or (self.chars > MAX_CHARS and len(self.entries) > 1):
            self.chars -= _chars(self.entries.popitem(last=False)[1])


def _chars(value) -> int:
    """The characters of kept markup (a string, or a tuple holding strings); other figures count 0."""
    if isinstance(value, str):
        return len(value)
    if isinstance(value, tuple):
        return sum(len(v) for v in value if isinstance(v, str))
    return 0


def cached(name: str, args: Hashable, compute: Callable):
    """`compute()` once per (name, args, data version) in this worker. Inside a transaction that
    has written and not committed, the figures must include its own writes: computed, not kept."""
    session = db.session()
    if session.info.get(_WROTE) or _pending(session):
        return compute()
    cache = current_app.extensions.setdefault("ot_data_cache", _Cache())
    version = current()
    key = (name, args)
    with cache.lock:
        if version != cache.version:
            cache.clear(version)
        elif key in cache.entries:
            cache.entries.move_to_end(key)
            return cache.entries[key]
    value = compute()
    with cache.lock:
        if cache.version == version:
            cache.add(key, value)
    return value
