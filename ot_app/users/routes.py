"""Users page for admins: list and create (/usuarios), and one user's page with its role, state and
password forms (/usuarios/<id>). Plain forms, one write each; errors beside their field."""

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_login import current_user

from ..auth.passwords import MIN_LENGTH
from ..auth.security import continue_session, requires_role
from ..models import ROLES
from ..service_errors import ServiceError
from ..views import go
from . import service

bp = Blueprint("users", __name__, url_prefix="/usuarios")


@bp.context_processor
def _labels():
    return {"roles": ROLES, "role_labels": service.ROLE_LABELS, "min_length": MIN_LENGTH}


def _list_page(vals=None, errores=None, status=200):
    return (
        render_template(
            "users/list.html",
            usuarios=service.list_users(),
            vals=vals or {"rol": "lector"},
            errores=errores or {},
        ),
        status,
    )


@bp.get("")
@requires_role("admin")
def lista():
    return _list_page()


@bp.post("")
@requires_role("admin")
def crear():
    vals = {k: request.form.get(k, "") for k in ("username", "nombre", "rol", "password")}
    try:
        user = service.create_user(vals, current_user)
    except ServiceError as err:
        vals.pop("password")  # never sent back to the page
        return _list_page(vals, err.errores or {"username": err.detalles}, status=422)
    return go(url_for("users.detalle", user_id=user.id), f"Usuario {user.username} creado.")


def _user_page(user, errores=None, status=200):
    return render_template("users/detail.html", u=user, errores=errores or {}), status


@bp.get("/<int:user_id>")
@requires_role("admin")
def detalle(user_id: int):
    return _user_page(_get(user_id))


def _get(user_id: int):
    try:
        return service.get_user(user_id)
    except ServiceError:
        abort(404)


def _after_write(user, message: str):
    return go(url_for("users.detalle", user_id=user.id), message)


@bp.post("/<int:user_id>/rol")
@requires_role("admin")
def rol(user_id: int):
    user = _get(user_id)
    try:
        user = service.change_role(user.id, request.form.get("rol", ""), current_user)
    except ServiceError as err:
        return _user_page(_get(user_id), err.errores or {"rol": err.detalles}, status=_status(err))
    return _after_write(user, f"Rol de {user.username}: {service.ROLE_LABELS[user.rol]}.")


@bp.post("/<int:user_id>/activo")
@requires_role("admin")
def activo(user_id: int):
    user = _get(user_id)
    value = request.form.get("activo", "")
    if value not in ("0", "1"):
        return _user_page(
            user, {"activo": "Indique si el usuario queda activo (1) o inactivo (0)."}, status=422
        )
    try:
        user = service.set_active(user.id, value == "1", current_user)
    except ServiceError as err:
        return _user_page(_get(user_id), err.errores or {"activo": err.detalles}, status=_status(err))
    if not user.activo and user.id == current_user.id:
        return redirect(url_for("auth.login"), code=303)
    estado = "activado" if user.activo else "desactivado: sus sesiones y tokens dejan de valer"
    return _after_write(user, f"Usuario {user.username} {estado}.")


@bp.post("/<int:user_id>/contrasena")
@requires_role("admin")
def contrasena(user_id: int):
    user = _get(user_id)
    try:
        user = service.reset_password(user.id, request.form.get("password", ""), current_user)
    except ServiceError as err:
        return _user_page(_get(user_id), err.errores or {"password": err.detalles}, status=_status(err))
    if user.id == current_user.id:
        # The admin changed their own password: this session goes on with the new token, the others end.
        continue_session(user)
        return _after_write(user, "Su contraseña fue cambiada; sus otras sesiones se cerraron.")
    return _after_write(
        user, f"Contraseña de {user.username} restablecida; sus sesiones abiertas se cerraron."
    )


def _status(err: ServiceError) -> int:
    return 409 if err.status == 409 else 422
