"""Flask-Migrate (`flask db`) on the apps that migrate: the `flask` command, and scripts that call
`flask_migrate.upgrade()`. Not on gunicorn's workers: Flask-Migrate imports Alembic, and Alembic its
DDL for every dialect, 10.7 MB of a worker that never migrates (issue 20: a worker under 120 MB,
its login's scrypt included)."""

import click

from .config import ROOT
from .extensions import db

DIRECTORY = str(ROOT / "migrations")


def enable_migrations(app) -> None:
    """Flask-Migrate on `app`: its `db` commands, and what migrations/env.py reads."""
    if "migrate" not in app.extensions:
        from flask_migrate import Migrate

        Migrate(app, db, directory=DIRECTORY)


def from_command_line() -> bool:
    """The app is being loaded by the `flask` command (its click context is current)."""
    return click.get_current_context(silent=True) is not None
