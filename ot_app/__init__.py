"""ot_app: work orders (OT) of an oil & gas construction contractor. Application factory."""

import os

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine

from .config import ROOT, Config, _secret_key
from .extensions import csrf, db, login_manager
from .fields import IdConverter


def create_app(config: type | dict | None = None) -> Flask:
    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
        instance_path=str(ROOT / "instance"),
    )
    # Every `<int:…>` in a route is an id bounded to the database's integer range (fields.py).
    app.url_map.converters["int"] = IdConverter
    app.config.from_object(Config)
    if isinstance(config, dict):
        app.config.update(config)
    elif config is not None:
        app.config.from_object(config)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _secret_key()
    if app.config.get("CACHE_DIR") is None:
        app.config["CACHE_DIR"] = os.path.join(app.instance_path, "cache")
    _check_timezone(app.config.get("OFFICE_TIMEZONE"))

    from . import compression

    compression.init_app(app)  # first: its after_request runs after every other one
    db.init_app(app)
    with app.app_context():
        from .transactions import configure_engine

        configure_engine(db.engine)
    from .migrations_cli import enable_migrations, from_command_line

    if from_command_line():
        enable_migrations(app)
    login_manager.init_app(app)
    csrf.init_app(app)

    from . import (
        data_version,  # noqa: F401  (its session events count every write)
        files,
        input_guard,
        models,  # noqa: F401  (register the tables with the metadata)
    )
    from .annexes import bp as annexes_bp
    from .api import bp as api_bp
    from .auth import bp as auth_bp
    from .auth import security
    from .catalogs import bp as catalogs_bp
    from .concepts.routes import bp as concepts_bp
    from .dashboard import bp as dashboard_bp
    from .errors import register_error_handlers
    from .main import bp as main_bp
    from .orders import bp as orders_bp
    from .pte import bp as pte_bp
    from .schedules.conflict_routes import bp as conflictos_bp
    from .schedules.curve_routes import bp as curves_bp
    from .schedules.import_routes import bp as program_import_bp
    from .schedules.routes import bp as schedules_bp
    from .schedules.timeline_routes import bp as linea_bp
    from .users import bp as users_bp

    files.init_app(app)  # before the CSRF check, which parses the body: per-view upload limits
    security.init_app(app)
    input_guard.init_app(app)  # after the login check: an anonymous client still gets its 401
    register_error_handlers(app)
    app.register_blueprint(auth_bp)
    app.register_blueprint(main_bp)
    app.register_blueprint(api_bp)
    app.register_blueprint(orders_bp)
    app.register_blueprint(catalogs_bp)
    app.register_blueprint(pte_bp)
    app.register_blueprint(dashboard_bp)
    app.register_blueprint(users_bp)
    app.register_blueprint(annexes_bp)
    app.register_blueprint(concepts_bp)
    app.register_blueprint(schedules_bp)
    app.register_blueprint(program_import_bp)
    app.register_blueprint(curves_bp)
    app.register_blueprint(conflictos_bp)
    app.register_blueprint(linea_bp)

    from .cli import register_cli

    register_cli(app)
    from .templating import register_templating

    register_templating(app)
    return app


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record):
    """WAL, a 10 s busy timeout and enforced foreign keys on every SQLite connection."""
    if type(dbapi_connection).__module__ != "sqlite3":
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _check_timezone(name) -> None:
    """A misspelt OFFICE_TIMEZONE stops the start, instead of failing on the first page with a date."""
    from zoneinfo import ZoneInfo

    try:
        ZoneInfo(name)
    except (TypeError, ValueError, KeyError) as exc:  # ZoneInfoNotFoundError is a KeyError
        raise RuntimeError(f"OFFICE_TIMEZONE={name!r} no es una zona horaria IANA válida") from exc
