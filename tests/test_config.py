"""The application factory and the configuration read from the environment."""

import os
import stat
import subprocess
import sys

import pytest
from sqlalchemy import text

import ot_app.config as config_module
from ot_app import create_app
from ot_app.config import ROOT, TestConfig
from ot_app.extensions import db
from ot_app.migrations_cli import enable_migrations


def test_factory_with_test_config():
    app = create_app(TestConfig)
    assert app.testing is True
    assert app.debug is False
    assert app.config["SECRET_KEY"] == TestConfig.SECRET_KEY
    assert app.config["SQLALCHEMY_DATABASE_URI"] == TestConfig.SQLALCHEMY_DATABASE_URI
    assert app.config["WTF_CSRF_ENABLED"] is True
    # Extensions are created once and bound here.
    for name in ("sqlalchemy", "csrf"):
        assert name in app.extensions
    # Flask-Migrate (Alembic) only on the apps that migrate: the `flask` command, enable_migrations.
    assert "migrate" not in app.extensions
    enable_migrations(app)
    assert "migrate" in app.extensions and "db" in app.cli.commands
    assert app.login_manager is not None
    assert "auth.login" in app.view_functions and "main.index" in app.view_functions
    assert app.template_folder == str(ROOT / "templates")
    assert app.static_folder == str(ROOT / "static")


def test_factory_accepts_a_dict(tmp_path):
    uri = f"sqlite:///{tmp_path / 'x.db'}"
    app = create_app({"SECRET_KEY": "k", "SQLALCHEMY_DATABASE_URI": uri, "TESTING": True})
    assert app.config["SQLALCHEMY_DATABASE_URI"] == uri
    assert app.testing is True


def test_two_factories_are_independent(tmp_path):
    a = create_app({"SECRET_KEY": "a", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'a.db'}"})
    b = create_app({"SECRET_KEY": "b", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'b.db'}"})
    assert a.config["SECRET_KEY"] != b.config["SECRET_KEY"]
    with a.app_context():
        url_a = str(db.engine.url)
    with b.app_context():
        url_b = str(db.engine.url)
    assert url_a != url_b


def test_debug_is_off_unless_asked():
    from ot_app.config import Config

    if os.environ.get("FLASK_DEBUG"):
        pytest.skip("FLASK_DEBUG is set in this environment")
    assert Config.DEBUG is False


def test_secret_key_generated_once_into_instance(tmp_path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    instance = tmp_path / "instance"
    monkeypatch.setattr(config_module, "INSTANCE", instance)
    first = config_module._secret_key()
    second = config_module._secret_key()
    assert first == second
    assert len(first) >= 32
    path = instance / "secret_key"
    assert path.read_text().strip() == first
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_secret_key_from_environment_wins(tmp_path, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "la-clave-del-entorno")
    monkeypatch.setattr(config_module, "INSTANCE", tmp_path / "instance")
    assert config_module._secret_key() == "la-clave-del-entorno"
    assert not (tmp_path / "instance" / "secret_key").exists()


def test_factory_without_secret_key_uses_instance_key(tmp_path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setattr(config_module, "INSTANCE", tmp_path / "instance")
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert app.config["SECRET_KEY"] == (tmp_path / "instance" / "secret_key").read_text().strip()


def _config_in_subprocess(env_overrides: dict, expr: str) -> str:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "TEST_DATABASE_URL")}
    env.update(env_overrides)
    out = subprocess.run(
        [sys.executable, "-c", f"from ot_app.config import Config; print({expr})"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return out.stdout.strip()


def test_database_url_default_is_instance_ot_db():
    uri = _config_in_subprocess({}, "Config.SQLALCHEMY_DATABASE_URI")
    assert uri == f"sqlite:///{ROOT / 'instance' / 'ot.db'}"


def test_default_database_folder_is_created(tmp_path, monkeypatch):
    monkeypatch.setattr(config_module, "INSTANCE", tmp_path / "instance")
    assert config_module._default_database_url() == f"sqlite:///{tmp_path / 'instance' / 'ot.db'}"
    assert (tmp_path / "instance").is_dir()


def test_database_url_from_environment():
    uri = _config_in_subprocess(
        {"DATABASE_URL": "postgresql+psycopg://ot@db/ot"}, "Config.SQLALCHEMY_DATABASE_URI"
    )
    assert uri == "postgresql+psycopg://ot@db/ot"


def test_session_settings_from_environment():
    out = _config_in_subprocess(
        {"SESSION_COOKIE_SECURE": "1", "SESSION_IDLE_HOURS": "2", "MAX_CONTENT_LENGTH": "1000"},
        "Config.SESSION_COOKIE_SECURE, Config.PERMANENT_SESSION_LIFETIME.total_seconds(), "
        "Config.MAX_CONTENT_LENGTH",
    )
    assert out == "True 7200.0 1000"


def test_sqlite_pragmas_on_a_file_database(tmp_path):
    app = create_app({**_test_config(), "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'p.db'}"})
    with app.app_context():
        try:
            with db.engine.connect() as conn:
                assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
                assert conn.execute(text("PRAGMA busy_timeout")).scalar() >= 5000
                assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        finally:
            db.engine.dispose()


def _test_config() -> dict:
    return {k: getattr(TestConfig, k) for k in dir(TestConfig) if k.isupper()}


def test_a_web_worker_never_imports_alembic():
    """Flask-Migrate imports Alembic and its DDL for every dialect: 10.7 MB of each worker."""
    code = (
        "import sys; from ot_app import create_app; "
        "create_app({'SECRET_KEY': 'k', 'SQLALCHEMY_DATABASE_URI': 'sqlite://'}); "
        "print('alembic' in sys.modules, 'flask_migrate' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"], out.stdout + out.stderr
