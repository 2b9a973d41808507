"""Command line: `flask seed`, `flask demo`, `flask users ...`."""

import secrets
import sys

import click
from flask.cli import AppGroup, with_appcontext
from sqlalchemy import func, select

from .auth.passwords import password_problem
from .extensions import db
from .models import OTE, ROLES, Usuario


def register_cli(app):
    app.cli.add_command(seed_command)
    app.cli.add_command(demo_command)
    app.cli.add_command(users)
    from .annexes.cli import importar_anexo

    app.cli.add_command(importar_anexo)
    from .concepts.cli import importar_catalogo

    app.cli.add_command(importar_catalogo)
    app.cli.add_command(curvas_command)


@click.command("seed")
@with_appcontext
def seed_command():
    """Base catalogs with fixed ids, step templates and step-set rules (idempotent)."""
    from .seed_data import seed_base

    added = seed_base()
    db.session.commit()
    click.echo(f"Catálogos base listos ({added} registros nuevos).")


@click.command("demo")
@with_appcontext
@click.option("--if-empty", is_flag=True, help="Only when there is no OT yet.")
def demo_command(if_empty):
    """Demo data that looks like a real office's (idempotent)."""
    from .demo_data import load_demo
    from .seed_data import seed_base

    if if_empty and db.session.scalar(select(func.count()).select_from(OTE)):
        click.echo("Ya hay OTs: no se cargan datos de demostración.")
        return
    seed_base()
    added = load_demo()
    db.session.commit()
    click.echo(f"Datos de demostración listos ({added} registros nuevos).")


@click.command("curvas")
@with_appcontext
@click.option("--todas", is_flag=True, help="Recompute every OT version, not only the missing or stale ones.")
def curvas_command(todas):
    """Stored planned curves: compute what the aggregate S-curves would compute on their next read
    (after the migration that adds them, or a change of CORTE_DIA_SEMANA)."""
    from .schedules import curve_store, curves
    from .transactions import write_transaction

    weekday = curves.cutoff_weekday()
    if todas:
        ids = list(db.session.scalars(select(OTE.id)))
        with write_transaction():
            curve_store.refresh(ids)
        n = len(ids)
    else:
        n = curve_store.ensure_fresh(weekday)
    click.echo(f"Curvas planeadas calculadas: {n} versiones de OT.")


users = AppGroup("users", help="Manage users and API tokens.")


def _read_password(username: str, from_stdin: bool) -> str:
    if from_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = click.prompt("Contraseña", hide_input=True, confirmation_prompt=True)
    problem = password_problem(password, username)
    if problem:
        raise click.ClickException(problem)
    return password


def _service_call(fn, *args):
    """Run a users-service write; its Spanish errors become the command's error message."""
    from .service_errors import ServiceError

    try:
        return fn(*args)
    except ServiceError as err:
        raise click.ClickException(
            " ".join(dict.fromkeys((err.errores or {}).values())) or err.detalles
        ) from None


@users.command("create")
@click.argument("username")
@click.option("--rol", type=click.Choice(ROLES), default="lector", show_default=True)
@click.option("--nombre", default="")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def users_create(username, rol, nombre, password_stdin):
    """Create a user (the same rules and activity-log row as the users page)."""
    from .users import service

    username = username.strip()
    if service.by_username(username):  # say so before asking for a password
        raise click.ClickException(f"El usuario {username} ya existe.")
    password = _read_password(username, password_stdin)
    values = {"username": username, "nombre": nombre, "rol": rol, "password": password}
    _service_call(service.create_user, values, None)
    click.echo(f"Usuario {username} creado con rol {rol}.")


@users.command("passwd")
@click.argument("username")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def users_passwd(username, password_stdin):
    """Set a user's password (ends their open sessions)."""
    from .users import service

    user = _user_named(username)
    _service_call(service.reset_password, user.id, _read_password(username, password_stdin), None)
    click.echo(
        f"Contraseña de {username} actualizada; sus sesiones abiertas se cerraron y sus tokens de API "
        "quedaron revocados."
    )


def _user_named(username: str):
    from .users import service

    user = service.by_username(username)
    if user is None:
        raise click.ClickException(f"No existe el usuario {username}.")
    return user


def _when(value) -> str:
    return value.strftime("%Y-%m-%d %H:%M UTC") if value else "—"


@users.command("token")
@click.argument("username")
@click.option("--nombre", default="cli", help="A label for the token.")
@click.option(
    "--expira-dias",
    type=click.IntRange(1, 3650),
    default=None,
    help="Days until it stops working (default: never).",
)
def users_token(username, nombre, expira_dias):
    """Create an API token; it is printed once, alone on the last line."""
    from .users import service

    user = _user_named(username)
    row, clear = _service_call(service.issue_token, user.id, nombre, None, expira_dias)
    vence = f", vence {_when(row.expires_at)}" if row.expires_at else ""
    click.echo(f"Token «{row.nombre}» para {username}{vence} (guárdelo: no se vuelve a mostrar):")
    click.echo(clear)


@users.command("tokens")
@click.argument("username")
def users_tokens(username):
    """List a user's API tokens: label, created, last used, expiry, state."""
    from .users import service

    user = _user_named(username)
    rows = service.list_tokens(user.id)
    if not rows:
        click.echo(f"{username} no tiene tokens.")
        return
    click.echo("nombre\tcreado\túltimo uso\tvence\testado")
    for t in rows:
        estado = "revocado" if not t.activo else ("vencido" if t.vencido() else "activo")
        click.echo(
            f"{t.nombre}\t{_when(t.created_at)}\t{_when(t.last_used_at)}\t{_when(t.expires_at)}\t{estado}"
        )


@users.command("revoke-token")
@click.argument("username")
@click.argument("label", required=False)
@click.option("--all", "revoke_all", is_flag=True, help="Revoke every token of the user.")
def users_revoke_token(username, label, revoke_all):
    """Revoke a user's token by its label (every live token with it), or all of them with --all."""
    from .users import service

    if bool(label) == revoke_all:
        raise click.UsageError("Indique el nombre del token o --all (no ambos).")
    user = _user_named(username)
    if revoke_all:
        count = _service_call(service.revoke_all_tokens, user.id, None)
    else:
        count = _service_call(service.revoke_tokens_named, user.id, label, None)
    click.echo(f"{count} token(s) de {username} revocado(s).")


PASSWD_COMMAND = ".venv/bin/flask --app wsgi users passwd admin"  # noqa: S105 - a command, not a secret


@users.command("ensure-admin")
def users_ensure_admin():
    """When there is no user at all, create `admin` with a random password and print it once."""
    if db.session.scalar(select(func.count()).select_from(Usuario)):
        return
    password = secrets.token_urlsafe(12)
    user = Usuario(username="admin", nombre="Administrador", rol="admin", activo=True)
    user.set_password(password)
    db.session.add(user)
    db.session.commit()
    click.echo("Usuario administrador creado:")
    click.echo("  usuario:    admin")
    click.echo(f"  contraseña: {password}")
    # Printed as it works from the project's folder, where `make run` runs (no flask on PATH there).
    click.echo(
        f"Guárdela: no se vuelve a mostrar (cámbiela con `{PASSWD_COMMAND}` o desde el menú del usuario)."
    )
