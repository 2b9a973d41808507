"""`flask db upgrade` builds an empty database, and the models agree with the migrations
(`flask db check`: alembic's autogenerate finds nothing to add). On SQLite always, on PostgreSQL
when TEST_DATABASE_URL is set (the PostgreSQL pass of `make test`)."""

import os
import secrets
import subprocess
import sys
from contextlib import contextmanager

import pytest
from sqlalchemy import create_engine, inspect
from sqlalchemy.engine import make_url

from ot_app.config import ROOT
from ot_app.extensions import db

PG_URL = os.environ.get("TEST_DATABASE_URL", "")


def flask(database_url: str, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "TEST_DATABASE_URL", "FLASK_APP")}
    env.update(DATABASE_URL=database_url, SECRET_KEY="migraciones-de-prueba")
    result = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, (
        f"flask {' '.join(args)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}"
    )
    return result


def upgrade_then_check(database_url: str) -> None:
    flask(database_url, "db", "upgrade")
    current = flask(database_url, "db", "current")
    assert "(head)" in current.stdout + current.stderr

    engine = create_engine(database_url)
    try:
        tables = set(inspect(engine).get_table_names())
    finally:
        engine.dispose()
    expected = set(db.metadata.tables)
    assert expected <= tables, f"tables missing after upgrade: {sorted(expected - tables)}"

    check = flask(database_url, "db", "check")
    assert "No new upgrade operations detected" in check.stdout + check.stderr

    # The seed's fixed ids go into the migrated schema (not one made by create_all), twice.
    flask(database_url, "seed")
    flask(database_url, "seed")


def test_upgrade_on_empty_sqlite_and_models_agree(tmp_path):
    path = tmp_path / "migrado.db"
    upgrade_then_check(f"sqlite:///{path}")
    assert path.exists()


def test_the_search_index_triggers_survive_every_migration_on_sqlite(tmp_path):
    """A later migration that rebuilds `ote` (Alembic's batch move-and-copy on SQLite) drops the
    triggers that keep the search index: new OTs would never be found by search."""
    import sqlite3

    path = tmp_path / "migrado.db"
    flask(f"sqlite:///{path}", "db", "upgrade")
    with sqlite3.connect(path) as conn:
        triggers = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
    assert {"ote_fts_ai", "ote_fts_au", "ote_fts_ad"} <= triggers


FIRST_REVISION = "164ee0e25bf5"
SAMPLE = {
    "INT": 1,
    "NUM": "1",
    "DEC": "1",
    "BOOL": 0,
    "DATETIME": "2026-01-01 00:00:00",
    "DATE": "2026-01-01",
}


def fill_one_row_per_table(conn) -> list[str]:
    """One row in every table (id 1; every NOT NULL column without a default given a value of its
    type; a foreign key pointing at its parent's row 1), as a database in use has."""
    tables = [
        r[0]
        for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL%'"
        )
        if r[0] != "alembic_version" and not r[0].startswith(("sqlite_", "ote_fts"))
    ]
    for table in tables:
        values = {}
        for _, name, decl, notnull, default, pk in conn.execute(f"PRAGMA table_info('{table}')"):
            if pk or (notnull and default is None):
                kind = next((v for k, v in SAMPLE.items() if k in decl.upper()), None)
                values[name] = kind if kind is not None else "x"
        names = ", ".join(values)
        conn.execute(
            f"INSERT INTO {table} ({names}) VALUES ({', '.join('?' * len(values))})", list(values.values())
        )
    conn.commit()
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    return tables


@pytest.mark.skipif(bool(PG_URL), reason="a SQLite file: it belongs to the SQLite pass")
def test_every_migration_upgrades_a_database_that_has_data_on_sqlite(tmp_path):
    """The office upgrades a database full of OTs and steps, not an empty one: 7ac4b2d424b2 once
    rebuilt paso_ot in batch mode and failed there with "FOREIGN KEY constraint failed"."""
    import sqlite3

    path = tmp_path / "con-datos.db"
    url = f"sqlite:///{path}"
    flask(url, "db", "upgrade", FIRST_REVISION)
    with sqlite3.connect(path) as conn:
        tables = fill_one_row_per_table(conn)
    assert {"ote", "ot_detalle", "paso_ot"} <= set(tables)
    flask(url, "db", "upgrade")
    with sqlite3.connect(path) as conn:
        for table in tables:
            assert conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 1, table
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        triggers = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
        assert {"ote_fts_ai", "ote_fts_au", "ote_fts_ad"} <= triggers
    check = flask(url, "db", "check")
    assert "No new upgrade operations detected" in check.stdout + check.stderr


@contextmanager
def fresh_postgres_database():
    """A new, empty database on the test server, dropped afterwards."""
    import psycopg

    server = make_url(PG_URL)
    name = f"ot_migraciones_{secrets.token_hex(4)}"
    admin_dsn = server.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(admin_dsn, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(admin_dsn, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.postgres
@pytest.mark.skipif(not PG_URL.startswith("postgresql"), reason="needs TEST_DATABASE_URL (PostgreSQL)")
def test_upgrade_on_empty_postgres_and_models_agree():
    with fresh_postgres_database() as url:
        upgrade_then_check(url)
