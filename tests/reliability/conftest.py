"""Fixtures of the reliability tests: a fresh database for a real server (a SQLite file, or a
PostgreSQL database of its own when TEST_DATABASE_URL is set), gunicorn servers stopped by their
PID at teardown, and the figures the tests measured, printed at the end of the run (SECURITY.md)."""

from dataclasses import dataclass

import pytest

from ..conftest import PG_URL
from .server import Gunicorn, postgres_database

REPORT: list[str] = []


def report(line: str) -> None:
    """A measured figure, printed in the run's summary."""
    REPORT.append(line)
    print(line)


def pytest_terminal_summary(terminalreporter):
    if REPORT:
        terminalreporter.write_sep("-", "fiabilidad: cifras medidas")
        for line in REPORT:
            terminalreporter.write_line(line)


@dataclass
class FreshDatabase:
    kind: str  # "sqlite" or "postgresql"
    url: str
    path: str | None = None  # the SQLite file


@pytest.fixture
def fresh_database(request, tmp_path):
    """Parametrize indirectly with "sqlite" or "postgresql". Each pass of `make test` runs its own
    backend: SQLite without TEST_DATABASE_URL, PostgreSQL with it."""
    kind = request.param
    if kind == "sqlite":
        if PG_URL:
            pytest.skip("the SQLite server run belongs to the SQLite pass (TEST_DATABASE_URL is set)")
        path = tmp_path / "servidor.db"
        yield FreshDatabase("sqlite", f"sqlite:///{path}", str(path))
    else:
        if not PG_URL:
            pytest.skip("needs TEST_DATABASE_URL (PostgreSQL): scripts/test-postgres.sh runs it")
        with postgres_database(PG_URL) as url:
            yield FreshDatabase("postgresql", url)


@pytest.fixture
def servers(fresh_database, tmp_path):
    """`servers(url, token)` starts gunicorn (2 workers); every one started is stopped at teardown,
    before the database is dropped."""
    started: list[Gunicorn] = []

    def start(url: str, probe_token: str) -> Gunicorn:
        server = Gunicorn(url, tmp_path / f"gunicorn-{len(started)}.log")
        started.append(server)
        server.start(probe_token)
        return server

    yield start
    for server in started:
        server.stop()
