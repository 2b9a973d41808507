"""Fixtures: an app on a fresh database (SQLite file, or PostgreSQL when TEST_DATABASE_URL is set),
a client, a CLI runner, logged-in clients per role, and a SQL statement counter."""

import atexit
import os
import re
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import event, text

from ot_app import create_app
from ot_app.config import TestConfig
from ot_app.extensions import db
from ot_app.search import create_search_index
from ot_app.seed_data import seed_base

from . import factories

PG_URL = os.environ.get("TEST_DATABASE_URL", "")
_pg_schema_ready = False


def _reset_postgres():
    """Schema once per run, then every test starts from empty tables (fast, unlike drop/create)."""
    global _pg_schema_ready
    if not _pg_schema_ready:
        db.drop_all()
        db.create_all()
        with db.engine.begin() as connection:
            create_search_index(connection)
        _pg_schema_ready = True
    tables = ", ".join(f'"{t.name}"' for t in db.metadata.sorted_tables)
    db.session.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    db.session.commit()


def make_app(path):
    """An app on a fresh database: a SQLite file under `path`, or the PostgreSQL one emptied."""
    uri = PG_URL or f"sqlite:///{path / 'test.db'}"
    if not PG_URL:
        shutil.copyfile(_sqlite_template(), path / "test.db")
    app = _create(uri, path)
    if PG_URL:
        with app.app_context():
            _reset_postgres()
            seed_base()
            db.session.commit()
    return app


def _create(uri, path):
    return create_app(
        {
            **_config_dict(TestConfig),
            "SQLALCHEMY_DATABASE_URI": uri,
            "ARCHIVOS_DIR": str(path / "archivos"),  # uploads never land in instance/
            "CACHE_DIR": str(path / "cache"),  # shared by the apps made on this path, as workers
        }
    )


_template: Path | None = None


def _sqlite_template() -> Path:
    """A seeded SQLite database made once per test process and copied for each test: the schema,
    the search index and the base catalogs took a second of every test's setup."""
    global _template
    if _template is None:
        folder = Path(tempfile.mkdtemp(prefix="ot-template-"))
        atexit.register(shutil.rmtree, folder, True)
        app = _create(f"sqlite:///{folder / 'template.db'}", folder)
        with app.app_context():
            db.create_all()
            with db.engine.begin() as connection:
                create_search_index(connection)
            seed_base()
            db.session.commit()
        dispose_app(app)
        _template = folder / "template.db"
    return _template


def dispose_app(app) -> None:
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def app(tmp_path):
    app = make_app(tmp_path)
    yield app
    dispose_app(app)


def _config_dict(cls) -> dict:
    return {k: getattr(cls, k) for k in dir(cls) if k.isupper()}


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def ctx(app):
    """An application context for tests that call services directly."""
    with app.app_context():
        yield app


CSRF_RE = re.compile(r'"X-CSRFToken": "([^"]+)"')


def csrf_token(client) -> str:
    """The CSRF token of the client's session, read from a page like a browser would."""
    page = client.get("/login") if not _logged_in(client) else client.get("/")
    match = CSRF_RE.search(page.get_data(as_text=True))
    if not match:
        match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page.get_data(as_text=True))
    assert match, "no CSRF token on the page"
    return match.group(1)


def _logged_in(client) -> bool:
    with client.session_transaction() as sess:
        return "_user_id" in sess


class Auth:
    """Log a test client in through the real login form."""

    def __init__(self, client):
        self.client = client

    def login(self, username="admin", password="contraseña-de-prueba"):
        token = csrf_token(self.client)
        return self.client.post(
            "/login", data={"username": username, "password": password, "csrf_token": token}
        )

    def logout(self):
        return self.client.post("/logout", data={"csrf_token": csrf_token(self.client)})

    def post(self, url, data=None, **kwargs):
        """A browser-like POST carrying the session's CSRF token in the htmx header."""
        headers = {"X-CSRFToken": csrf_token(self.client), **kwargs.pop("headers", {})}
        return self.client.post(url, data=data, headers=headers, **kwargs)


@pytest.fixture
def auth(client):
    return Auth(client)


def client_as(app, rol):
    with app.app_context():
        factories.make_user(f"u_{rol}", rol=rol)
        db.session.commit()
    c = app.test_client()
    Auth(c).login(f"u_{rol}")
    c.auth = Auth(c)
    return c


@pytest.fixture
def admin_client(app):
    return client_as(app, "admin")


@pytest.fixture
def editor_client(app):
    return client_as(app, "editor")


@pytest.fixture
def lector_client(app):
    return client_as(app, "lector")


@pytest.fixture
def api_token(app):
    """A bearer token for an editor, as `flask users token` would print it."""

    return lambda rol="editor", username=None: make_api_token(app, rol, username)


def make_api_token(app, rol="editor", username=None) -> str:
    with app.app_context():
        user = factories.make_user(username or f"api_{rol}", rol=rol)
        _, clear = factories.make_token(user)
        db.session.commit()
    return clear


class QueryCounter:
    def __init__(self):
        self.statements: list[str] = []

    @property
    def count(self) -> int:
        return len(self.statements)


@contextmanager
def count_queries(engine):
    counter = QueryCounter()

    def before(conn, cursor, statement, parameters, context, executemany):
        # Transaction control is not a query; PRAGMAs run once per new connection; a SET LOCAL is a
        # planner setting (orders.read._joins_as_written, PostgreSQL only), no read.
        if (
            not statement.lstrip()
            .upper()
            .startswith(("PRAGMA", "SAVEPOINT", "RELEASE", "BEGIN", "COMMIT", "ROLLBACK", "SET LOCAL"))
        ):
            counter.statements.append(statement)

    event.listen(engine, "before_cursor_execute", before)
    try:
        yield counter
    finally:
        event.remove(engine, "before_cursor_execute", before)


@pytest.fixture
def queries(app):
    """`with queries() as q: ...; q.count` counts the SQL statements sent to the database."""
    with app.app_context():
        engine = db.engine

    def make():
        return count_queries(engine)

    return make


class Api:
    def __init__(self, client, token):
        self.client = client
        self.headers = {"Authorization": f"Bearer {token}"}

    def post(self, url, data=None, json=None, **kw):
        return self.client.post(
            url, data=data, json=json, headers={**self.headers, **kw.pop("headers", {})}, **kw
        )

    def get(self, url, **kw):
        return self.client.get(url, headers={**self.headers, **kw.pop("headers", {})}, **kw)


@pytest.fixture
def api(app, api_token):
    return Api(app.test_client(), api_token("editor"))


@pytest.fixture
def api_admin(app, api_token):
    return Api(app.test_client(), api_token("admin"))


@pytest.fixture
def api_lector(app, api_token):
    return Api(app.test_client(), api_token("lector"))
