"""The data version: a counter that every transaction writing the data bumps as it commits, and a
cache of figures and pages computed over the OTs (the dashboard, the list's totals, rendered
pages), keyed on it: in each worker's memory, and shared by the host's workers (SharedFolder). Reading the counter is one primary-key lookup; recomputing the dashboard over 100,000 OTs is a
second. Every write path goes through a Session (services, imports, the CLI), so session events
see them all, and a write shows up on the very next request in every worker, since each worker
reads the counter from the database.

The counter is bumped last, just before COMMIT: the row lock is held only for the commit itself,
so two writers never wait on each other in opposite orders (a chain lock, then the counter)."""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import shutil
import tempfile
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from pathlib import Path

from flask import current_app
from sqlalchemy import case, event, select, update
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
    # Up by one, and never below the clock (microseconds): a database restored from a backup goes on
    # from a version it never had, so nothing kept (here or in CACHE_DIR) for its old numbers is
    # ever taken for its new state.
    now = time.time_ns() // 1000
    step = case((VersionDatos.n + 1 > now, VersionDatos.n + 1), else_=now)
    bumped = session.execute(update(VersionDatos).where(VersionDatos.id == 1).values(n=step))
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


def read_along():
    """The version as a column of another statement (the user's load): `note` what it read."""
    return select(VersionDatos.n).where(VersionDatos.id == 1).scalar_subquery()


def note(version: int | None) -> None:
    """The version this transaction read along with something else (see `current`)."""
    db.session().info.setdefault(_READ, version or 0)


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
    """`compute()` once per (name, args, data version): kept in this worker's memory, and read from
    the shared folder when another worker computed it first. Inside a transaction that has written
    and not committed, the figures must include its own writes: computed, not kept."""
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
    shared = _shared()
    text = shared and _shared_key(key)
    value = shared.get(version, text) if text else None
    if value is None:
        value = compute()
        if text and value is not None:
            shared.put(version, text, value)
    with cache.lock:
        if cache.version == version:
            cache.add(key, value)
    return value


def _shared() -> SharedFolder | None:
    extensions = current_app.extensions
    if "ot_shared_cache" not in extensions:
        folder = current_app.config.get("CACHE_DIR")
        database = current_app.config["SQLALCHEMY_DATABASE_URI"]
        extensions["ot_shared_cache"] = SharedFolder(folder, database) if folder else None
    return extensions["ot_shared_cache"]


def _shared_key(key) -> str | None:
    """The key as text; None when its text is not the same in every process (an object's address)."""
    text = repr(key)
    return None if " at 0x" in text else text


def _code_fingerprint() -> str:
    """The code and templates this process runs (their names, sizes and times): a kept page was
    rendered by them, and the folder outlives a restart, so a deploy starts from empty folders."""
    root = Path(__file__).resolve().parent.parent
    stamps = sorted(
        f"{p.relative_to(root)}:{p.stat().st_size}:{p.stat().st_mtime_ns}"
        for folder in ("ot_app", "templates")
        for p in (root / folder).rglob("*")
        if p.suffix in (".py", ".html")
    )
    return hashlib.sha256("\n".join(stamps).encode()).hexdigest()


class SharedFolder:
    """What the workers of this host share: what one of them computed after a write the others read
    instead of computing it again (each gunicorn worker rendered every page after every write: two
    to four times the work). One folder per data version, a pickle per key; the first worker to see
    a newer version removes the older folders, so the files are the current version's only. Each
    database has its folder (a CACHE_DIR may serve several, or outlive a DATABASE_URL).
    (cachelib's FileSystemCache, tried first, keeps every version's files until a threshold and then
    reads all of them on each write to prune: the mixed workload fell from 160 to 77 req/s.)"""

    def __init__(self, folder: str, database: str):
        Path(folder).mkdir(mode=0o700, parents=True, exist_ok=True)
        owner = f"{database}|{_code_fingerprint()}"
        self.root = Path(folder) / hashlib.sha256(owner.encode()).hexdigest()[:16]
        self.root.mkdir(mode=0o700, exist_ok=True)
        self.seen = -1

    def _file(self, version: int, text: str) -> Path:
        return self.root / str(version) / hashlib.sha256(text.encode()).hexdigest()

    def get(self, version: int, text: str):
        if version != self.seen:
            self.seen = version
            self._drop_older(version)
        try:
            with open(self._file(version, text), "rb") as f:
                found_text, value = pickle.load(f)  # noqa: S301  (our own files, in a 0700 folder)
        except Exception:  # noqa: BLE001  (gone, cut short, unreadable: computed again, never a 500)
            return None
        return value if found_text == text else None  # a hash collision is a miss

    def put(self, version: int, text: str, value) -> None:
        path = self._file(version, text)
        try:
            path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".")
        except OSError:
            return
        try:
            with os.fdopen(fd, "wb") as f:
                pickle.dump((text, value), f, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)  # readers see the whole file or none
        except (OSError, pickle.PicklingError, TypeError, AttributeError):
            # Not shareable (or the folder went away): this worker keeps its own copy.
            with contextlib.suppress(OSError):
                os.unlink(tmp)

    def _drop_older(self, version: int) -> None:
        try:
            older = [e for e in self.root.iterdir() if e.name.isdigit() and int(e.name) < version]
        except OSError:  # the folder went away: put() makes it again
            return
        for entry in older:
            shutil.rmtree(entry, ignore_errors=True)
