"""Crash: the load of test_load.py, then `kill -9` of gunicorn's master and workers (its whole
process group) in the middle of it, a restart on the same database, and a check that nothing
acknowledged was lost and nothing was half-written: SQLite's integrity_check says ok, every OT has
all its steps and its "crear" row, every acknowledged edit, step change and delete is there, and a
write whose answer never came is either all there or not there at all. The restarted server then
takes more writes.

SQLite in the SQLite pass; PostgreSQL (a database created for the test) in the PostgreSQL pass,
where the kill drops the server's connections in the middle of their transactions."""

import os
import sqlite3
import threading
import time
from pathlib import Path

import pytest

from .conftest import report
from .load import Ledger, check_database, run_load, summary
from .server import prepare_database

pytestmark = pytest.mark.load

SECONDS = float(os.environ.get("CRASH_SECONDS", "8"))
AFTER_RESTART_SECONDS = 3.0
CLIENTS = 16


def sqlite_checks(path: str) -> tuple[str, list]:
    conn = sqlite3.connect(path, timeout=10)
    try:
        integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
        foreign = conn.execute("PRAGMA foreign_key_check").fetchall()
    finally:
        conn.close()
    return integrity, foreign


@pytest.mark.parametrize("fresh_database", ["sqlite", "postgresql"], indirect=True)
def test_kill_9_in_the_middle_of_the_load_loses_nothing_acknowledged(fresh_database, servers):
    ids = prepare_database(fresh_database.url, tokens=CLIENTS)
    server = servers(fresh_database.url, ids["tokens"][0])

    killed = {}

    def kill_in_the_middle():
        time.sleep(SECONDS / 2)
        if fresh_database.path:
            wal = Path(fresh_database.path + "-wal")
            killed["wal_bytes"] = wal.stat().st_size if wal.exists() else 0
        killed["at"] = time.monotonic()
        server.kill9()
        killed["done"] = True

    killer = threading.Thread(target=kill_in_the_middle, daemon=True)
    killer.start()
    before, _ = run_load(server.base, ids["tokens"], ids, SECONDS, clients=CLIENTS)
    killer.join(timeout=30)
    assert killed.get("done"), "the server was not killed"

    # Before the kill every request was answered, and never with a 5xx.
    early = [e for e in before.connection_errors if e[0] < killed["at"]]
    assert not early, early[:5]
    assert not before.server_errors, before.server_errors[:5]
    assert not before.unexpected, before.unexpected[:5]
    assert before.connection_errors, "no client noticed the kill: it was not in the middle of the load"

    t0 = time.monotonic()
    restarted = servers(fresh_database.url, ids["tokens"][0])
    restart_seconds = time.monotonic() - t0
    integrity = foreign = None
    if fresh_database.path:
        integrity, foreign = sqlite_checks(fresh_database.path)
        assert integrity == "ok"
        assert foreign == []

    after, _ = run_load(restarted.base, ids["tokens"], ids, AFTER_RESTART_SECONDS, clients=CLIENTS)
    assert not after.server_errors and not after.connection_errors and not after.unexpected, (
        after.server_errors[:3],
        after.connection_errors[:3],
        after.unexpected[:3],
    )
    assert not restarted.errors_in_log(), restarted.log_tail()

    before_line = summary(f"  carga antes de la caída ({fresh_database.kind})", before)
    ledger = Ledger()
    ledger.merge(before)
    ledger.merge(after)
    problems, figures = check_database(fresh_database.url, ledger)
    unknown = (
        before.creates_unknown
        + len(before.edits_unknown)
        + sum(len(v) for v in before.steps_unknown.values())
        + len(before.deletes_unknown)
    )
    report(
        f"caída {fresh_database.kind}: kill -9 de gunicorn (maestro y workers) a los {SECONDS / 2:.0f} s de carga"
        + (f" con {killed['wal_bytes']:,} bytes en el WAL" if fresh_database.path else "")
        + f"; {before.acknowledged_writes} escrituras confirmadas antes, {unknown} sin respuesta "
        f"({before.creates_unknown} altas, de ellas {figures['committed_unknown_creates']} quedaron completas); "
        f"reinicio en {restart_seconds:.1f} s"
        + (f", integrity_check {integrity}, foreign_key_check {len(foreign)} filas" if integrity else "")
        + f"; después {after.acknowledged_writes} escrituras más en {AFTER_RESTART_SECONDS:.0f} s; "
        f"comprobadas {figures['ots']} OT, problemas: {len(problems)}"
    )
    report(before_line)

    assert before.acknowledged_writes > 0 and after.acknowledged_writes > 0
    assert not problems, "\n".join(problems)
