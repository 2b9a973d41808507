"""A real server for the load and crash tests: a fresh database (SQLite file, or a PostgreSQL
database created for the test and dropped after), migrated and seeded through the CLI, and
gunicorn with 2 workers on a free loopback port, started in its own process group so it can be
stopped (or killed with -9, master and workers together) by its PID."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager, suppress
from pathlib import Path

import requests
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parents[2]
SECRET = "clave-de-pruebas-de-carga"  # the workers must share one key; never instance/secret_key


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _env(url: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("TEST_DATABASE_URL", "FLASK_DEBUG")}
    env.update(DATABASE_URL=url, SECRET_KEY=SECRET, PYTHONUNBUFFERED="1")
    return env


def flask_cli(url: str, *args: str, timeout: float = 60) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", *args],
        cwd=ROOT,
        env=_env(url),
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert result.returncode == 0, f"flask {' '.join(args)}: {result.stdout}\n{result.stderr}"
    return result.stdout


@contextmanager
def postgres_database(admin_url: str):
    """A brand-new database next to the suite's (which stays untouched); dropped afterwards."""
    import psycopg

    base = make_url(admin_url)
    name = f"ot_fiabilidad_{uuid.uuid4().hex[:10]}"
    dsn = base.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def prepare_database(url: str, editors: int = 4, tokens: int = 16) -> dict:
    """`flask db upgrade` + `flask seed`, then an approved PTE, a responsable, a yard and editors
    with API tokens (made with the app, as `flask users create/token` would)."""
    flask_cli(url, "db", "upgrade")
    flask_cli(url, "seed")

    from ot_app import create_app
    from ot_app.extensions import db
    from tests import factories

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": SECRET})
    with app.app_context():
        pte = factories.make_pte("PTE-CARGA-2026", id_cliente=2)
        responsable = factories.make_responsable("Ing. Carga Concurrente")
        patio = factories.make_patio("Patio Carga")
        users = [factories.make_user(f"carga{i}", rol="editor") for i in range(editors)]
        clear = [factories.make_token(users[i % editors], f"cliente {i}")[1] for i in range(tokens)]
        db.session.commit()
        ids = {"pte": pte.id, "responsable": responsable.id, "patio": patio.id}
        db.session.remove()
        db.engine.dispose()
    return {**ids, "tokens": clear}


class Gunicorn:
    """gunicorn --workers 2 on 127.0.0.1; `stop()` (teardown) and `kill9()` act on its process group."""

    def __init__(self, url: str, log_path: Path, workers: int = 2):
        self.url = url
        self.log_path = log_path
        self.workers = workers
        self.proc: subprocess.Popen | None = None
        self.port = 0

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, probe_token: str, timeout: float = 30) -> None:
        for _ in range(3):  # another process may take the free port before gunicorn binds it
            self.port = free_port()
            log = open(self.log_path, "a")  # noqa: SIM115  (gunicorn writes to it until stopped)
            self.proc = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "--workers",
                    str(self.workers),
                    "--bind",
                    f"127.0.0.1:{self.port}",
                    "--timeout",
                    "60",
                    "--graceful-timeout",
                    "5",
                    "wsgi:app",
                ],  # fmt: skip
                cwd=ROOT,
                env=_env(self.url),
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group: killpg reaches master and workers
            )
            log.close()
            if self._wait_ready(probe_token, timeout):
                return
            self.stop()
        raise AssertionError(f"gunicorn did not start; its log:\n{self.log_tail()}")

    def _wait_ready(self, token: str, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                return False
            try:
                r = requests.get(
                    f"{self.base}/api/ot/listar?per_page=1",
                    headers={"Authorization": f"Bearer {token}", "Connection": "close"},
                    timeout=2,
                )
                if r.status_code == 200:
                    return True
            except requests.RequestException:
                pass
            time.sleep(0.1)
        return False

    def _group_alive(self) -> bool:
        try:
            os.killpg(self.proc.pid, 0)
        except ProcessLookupError:
            return False
        return True

    def _wait_group_gone(self, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None and not self._group_alive():
                return True
            time.sleep(0.05)
        return False

    def kill9(self) -> None:
        """SIGKILL to the master and every worker at once: no cleanup of any kind runs."""
        os.killpg(self.proc.pid, signal.SIGKILL)
        assert self._wait_group_gone(10), "gunicorn's processes survived SIGKILL"

    def stop(self) -> None:
        if self.proc is None:
            return
        if self.proc.poll() is None or self._group_alive():
            with suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGTERM)
            if not self._wait_group_gone(10):
                with suppress(ProcessLookupError):
                    os.killpg(self.proc.pid, signal.SIGKILL)
                self._wait_group_gone(5)
        self.proc.wait(timeout=5)

    def log_tail(self, lines: int = 60) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def errors_in_log(self) -> list[str]:
        """Tracebacks and worker deaths gunicorn logged (a 500 is logged with its traceback)."""
        text = self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
        markers = ("Traceback", "Error no controlado", "WORKER TIMEOUT", "database is locked")
        return [line for line in text.splitlines() if any(m in line for m in markers)]
