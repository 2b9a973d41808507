"""User management: create, activate/deactivate, reset a password, change a role; API tokens
(issue, list, revoke).

One write transaction each, with its activity-log row (never a password, nor its hash). The page
(/usuarios) and the CLI (`flask users ...`) both come through here. The application never ends
up without an active admin: the last one can neither be deactivated nor demoted.
"""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import func, select

from .. import audit
from ..auth.passwords import password_problem
from ..extensions import db
from ..models import ROLES, ApiToken, Usuario, utcnow
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
    """Deactivating ends the user's sessions and revokes their API tokens for good: reactivating
    does not bring them back (issue 16, finding 2)."""
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
        if not activo:
            _revoke(user, _live_tokens(user.id), actor, "desactivación")
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
    """Set a new password; every open session of that user ends (the session token rotates) and
    every API token of theirs is revoked (a leaked password may have made one)."""
    with write_transaction():
        user = get_user(user_id)
        problem = password_problem(password or "", user.username)
        if problem:
            raise ValidationFailed.from_errors({"password": problem})
        user.set_password(password)
        # Which fields changed, never their values.
        audit.log(actor, "restablecer_contrasena", "usuario", user.id, {"password": ["***", "***"]})
        _revoke(user, _live_tokens(user.id), actor, "cambio de contraseña")
    return user


# --------------------------------------------------------------------------- API tokens

TOKEN_LABEL_MAX = 100
EXPIRY_DAYS_MAX = 3650
TOKEN_NOT_FOUND = "No existe ese token."  # noqa: S105  (a message, not a secret)


def list_tokens(user_id: int) -> list[ApiToken]:
    """Every token of the user, live ones first, newest first (revoked and expired ones stay listed)."""
    return list(
        db.session.scalars(
            select(ApiToken)
            .where(ApiToken.id_usuario == user_id)
            .order_by(ApiToken.activo.desc(), ApiToken.created_at.desc(), ApiToken.id.desc())
        )
    )


def issue_token(user_id: int, nombre: str, actor, expira_dias: int | None = None) -> tuple[ApiToken, str]:
    """A new token for the user: (row, the clear token, shown once). Only its SHA-256 is stored."""
    nombre = " ".join((nombre or "").split())
    errors = {}
    if not nombre:
        errors["nombre"] = "Escriba un nombre para el token."
    elif len(nombre) > TOKEN_LABEL_MAX:
        errors["nombre"] = f"El nombre del token admite hasta {TOKEN_LABEL_MAX} caracteres."
    if expira_dias is not None and not 1 <= expira_dias <= EXPIRY_DAYS_MAX:
        errors["expira_dias"] = f"Los días de vigencia deben estar entre 1 y {EXPIRY_DAYS_MAX}."
    if errors:
        raise ValidationFailed.from_errors(errors)
    with write_transaction():
        user = get_user(user_id)
        if not user.activo:
            raise Conflict(f"El usuario {user.username} está inactivo: actívelo antes de darle un token.")
        row, clear = ApiToken.issue(user, nombre)
        if expira_dias is not None:
            row.expires_at = utcnow() + timedelta(days=expira_dias)
        db.session.add(row)
        db.session.flush()
        audit.log(
            actor,
            "crear_token",
            "usuario",
            user.id,
            {
                "token": [None, nombre],
                "expira": [None, row.expires_at.isoformat() if row.expires_at else None],
            },
        )
    return row, clear


def _live_tokens(user_id: int) -> list[ApiToken]:
    return list(
        db.session.scalars(select(ApiToken).where(ApiToken.id_usuario == user_id, ApiToken.activo.is_(True)))
    )


def _revoke(user: Usuario, tokens: list[ApiToken], actor, motivo: str) -> int:
    """Inside the caller's transaction: revoke each token, one log row each."""
    now = utcnow()
    for token in tokens:
        token.activo = False
        token.revoked_at = now
        audit.log(
            actor,
            "revocar_token",
            "usuario",
            user.id,
            {"token": [token.nombre, None], "motivo": [None, motivo]},
        )
    return len(tokens)


def revoke_token(user_id: int, token_id: int, actor) -> ApiToken:
    """Revoke one of the user's tokens (a token of someone else is not found)."""
    with write_transaction():
        user = get_user(user_id)
        token = db.session.scalar(
            select(ApiToken).where(ApiToken.id == token_id, ApiToken.id_usuario == user.id)
        )
        if token is None:
            raise NotFound(TOKEN_NOT_FOUND)
        if token.activo:
            _revoke(user, [token], actor, "revocado")
    return token


def revoke_tokens_named(user_id: int, nombre: str, actor) -> int:
    """Revoke the user's live tokens with this label (the CLI names tokens by label)."""
    with write_transaction():
        user = get_user(user_id)
        tokens = [t for t in _live_tokens(user.id) if t.nombre == " ".join((nombre or "").split())]
        if not tokens:
            raise NotFound(f"{user.username} no tiene un token activo llamado «{nombre}».")
        return _revoke(user, tokens, actor, "revocado")


def revoke_all_tokens(user_id: int, actor) -> int:
    """Revoke every live token of the user; how many were revoked."""
    with write_transaction():
        user = get_user(user_id)
        return _revoke(user, _live_tokens(user.id), actor, "revocados todos")
