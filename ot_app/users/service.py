"""User management: create, activate/deactivate, reset a password, change a role.

One write transaction each, with its activity-log row (never a password, nor its hash). The page
(/usuarios) and the CLI (`flask users ...`) both come through here. The application never ends
up without an active admin: the last one can neither be deactivated nor demoted.
"""

from __future__ import annotations

import re

from sqlalchemy import func, select

from .. import audit
from ..auth.passwords import password_problem
from ..extensions import db
from ..models import ROLES, Usuario
from ..service_errors import Conflict, NotFound, ValidationFailed
from ..transactions import write_transaction

USERNAME_MAX = 80
NOMBRE_MAX = 150
USERNAME_RE = re.compile(rf"^[A-Za-z0-9._@-]{{1,{USERNAME_MAX}}}$")
ROLE_LABELS = {"lector": "Lector", "editor": "Editor", "admin": "Administrador"}
LAST_ADMIN = "No puede quedar la aplicación sin un administrador activo: nombre otro administrador antes."
# The messages of the rules below; users/forms.py says the same ones beside the page's fields.
USERNAME_REQUIRED = "Escriba el usuario."
USERNAME_TOO_LONG = f"El usuario admite hasta {USERNAME_MAX} caracteres."
NOMBRE_TOO_LONG = f"El nombre admite hasta {NOMBRE_MAX} caracteres."
ROL_INVALID = "Elija un rol: lector, editor o admin."


def list_users() -> list[Usuario]:
    return list(db.session.scalars(select(Usuario).order_by(Usuario.activo.desc(), Usuario.username)))


def get_user(user_id: int) -> Usuario:
    user = db.session.get(Usuario, user_id)
    if user is None:
        raise NotFound(f"No existe el usuario con ID {user_id}.")
    return user


def by_username(username: str) -> Usuario | None:
    return db.session.scalar(select(Usuario).where(Usuario.username == username))


def _check_username(username: str, errors: dict) -> str:
    username = (username or "").strip()
    if not username:
        errors["username"] = USERNAME_REQUIRED
    elif len(username) > USERNAME_MAX:
        errors["username"] = USERNAME_TOO_LONG
    elif not USERNAME_RE.match(username):
        errors["username"] = "El usuario solo admite letras sin acento, números y . _ - @ (sin espacios)."
    elif db.session.scalar(select(Usuario.id).where(func.lower(Usuario.username) == username.lower())):
        errors["username"] = f"El usuario {username} ya existe."
    return username


def _check_rol(rol: str, errors: dict, field: str = "rol") -> str:
    rol = (rol or "").strip()
    if rol not in ROLES:
        errors[field] = ROL_INVALID
    return rol


def create_user(values: dict, actor) -> Usuario:
    """values: username, nombre, rol, password."""
    errors: dict[str, str] = {}
    with write_transaction():
        username = _check_username(values.get("username", ""), errors)
        nombre = " ".join((values.get("nombre") or "").split())
        if len(nombre) > NOMBRE_MAX:
            errors["nombre"] = NOMBRE_TOO_LONG
        rol = _check_rol(values.get("rol", ""), errors)
        problem = password_problem(values.get("password") or "", username)
        if problem:
            errors["password"] = problem
        if errors:
            raise ValidationFailed.from_errors(errors)
        user = Usuario(username=username, nombre=nombre or username, rol=rol, activo=True)
        user.set_password(values["password"])
        db.session.add(user)
        db.session.flush()
        audit.log(
            actor,
            "crear",
            "usuario",
            user.id,
            {
                "username": [None, username],
                "nombre": [None, user.nombre],
                "rol": [None, rol],
                "activo": [None, True],
            },
        )
    return user


def _other_active_admins(user: Usuario) -> int:
    """Active admins besides `user`, their rows locked until the transaction ends (PostgreSQL;
    SQLite's BEGIN IMMEDIATE already serializes writers)."""
    ids = db.session.scalars(
        select(Usuario.id)
        .where(Usuario.rol == "admin", Usuario.activo.is_(True), Usuario.id != user.id)
        .with_for_update()
    ).all()
    return len(ids)


def set_active(user_id: int, activo: bool, actor) -> Usuario:
    """Deactivating ends the user's sessions and stops their API tokens (both check `activo`)."""
    with write_transaction():
        user = get_user(user_id)
        if user.activo == activo:
            return user
        if not activo and user.rol == "admin" and _other_active_admins(user) == 0:
            raise Conflict(LAST_ADMIN, {"activo": LAST_ADMIN})
        user.activo = activo
        user.rotate_session()
        audit.log(
            actor, "activar" if activo else "desactivar", "usuario", user.id, {"activo": [not activo, activo]}
        )
    return user


def change_role(user_id: int, rol: str, actor) -> Usuario:
    errors: dict[str, str] = {}
    with write_transaction():
        user = get_user(user_id)
        rol = _check_rol(rol, errors)
        if errors:
            raise ValidationFailed.from_errors(errors)
        if user.rol == rol:
            return user
        if user.rol == "admin" and user.activo and _other_active_admins(user) == 0:
            raise Conflict(LAST_ADMIN, {"rol": LAST_ADMIN})
        before = user.rol
        user.rol = rol
        audit.log(actor, "cambiar_rol", "usuario", user.id, {"rol": [before, rol]})
    return user


def reset_password(user_id: int, password: str, actor) -> Usuario:
    """Set a new password; every open session of that user ends (the session token rotates)."""
    with write_transaction():
        user = get_user(user_id)
        problem = password_problem(password or "", user.username)
        if problem:
            raise ValidationFailed.from_errors({"password": problem})
        user.set_password(password)
        # Which fields changed, never their values.
        audit.log(actor, "restablecer_contrasena", "usuario", user.id, {"password": ["***", "***"]})
    return user
