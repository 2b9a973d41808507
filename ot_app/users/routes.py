"""Users page for admins: list and create (/usuarios), and one user's page with its role, state,
password forms and API tokens (/usuarios/<id>); "Mis tokens" (/usuarios/mis-tokens) for every
logged-in user, their own tokens only. Each write: a form from users/forms.py or the URL's ids, then
users/service.py (shared with the CLI); errors beside their field."""

from flask import abort, render_template, request, url_for
from flask_login import current_user

from ..auth.passwords import MIN_LENGTH
from ..auth.security import continue_session, requires_role
from ..models import ROLES
from ..service_errors import ServiceError
from ..views import go
from . import bp, service
from .forms import ActiveForm, NewUserForm, PasswordForm, RoleForm


@bp.context_processor
def _labels():
    return {
        "role_labels": service.ROLE_LABELS,
        "role_options": [{"id": r, "nombre": service.ROLE_LABELS[r]} for r in ROLES],
        "min_length": MIN_LENGTH,
    }


def _list_page(vals=None, errores=None, status=200):
    return (
        render_template(
            "users/list.html",
            usuarios=service.list_users(),
            vals=vals or {"rol": "lector"},
            errores=errores or {},
            f=NewUserForm.specs(),
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
    vals = {k: request.form.get(k, "") for k in ("username", "nombre", "rol")}  # never the password
    form = NewUserForm(formdata=request.form)
    if not form.validate():
        return _list_page(vals, form.first_errors(), status=422)
    try:
        user = service.create_user(form.data, current_user)  # as typed: a password is never trimmed
    except ServiceError as err:
        return _list_page(vals, err.errores or {"username": err.detalles}, status=422)
    return go(url_for("users.detalle", user_id=user.id), f"Usuario {user.username} creado.")


def _user_page(user, errores=None, status=200):
    specs = {**RoleForm.specs(), **ActiveForm.specs(), **PasswordForm.specs()}
    return render_template(
        "users/detail.html", u=user, tokens=service.list_tokens(user.id), errores=errores or {}, f=specs
    ), status


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


def _write(user_id: int, form_class, field: str, write):
    """(the user `write(user, form)` returned, None), or (None, the user's page with the message
    beside `field`) when the form or the service refused the value."""
    user = _get(user_id)
    form = form_class(formdata=request.form)
    if not form.validate():
        return None, _user_page(user, form.first_errors(), status=422)
    try:
        return write(user, form), None
    except ServiceError as err:
        return None, _user_page(_get(user_id), err.errores or {field: err.detalles}, status=_status(err))


@bp.post("/<int:user_id>/rol")
@requires_role("admin")
def rol(user_id: int):
    user, refused = _write(
        user_id, RoleForm, "rol", lambda u, form: service.change_role(u.id, form.rol.data, current_user)
    )
    if refused:
        return refused
    return _after_write(user, f"Rol de {user.username}: {service.ROLE_LABELS[user.rol]}.")


@bp.post("/<int:user_id>/activo")
@requires_role("admin")
def activo(user_id: int):
    user, refused = _write(
        user_id,
        ActiveForm,
        "activo",
        lambda u, form: service.set_active(u.id, form.activo.data, current_user),
    )
    if refused:
        return refused
    if not user.activo and user.id == current_user.id:
        return go(url_for("auth.login"))  # their own sessions just ended
    estado = (
        "activado (sus tokens revocados no vuelven: cree otros si los necesita)"
        if user.activo
        else "desactivado: sus sesiones se cerraron y sus tokens quedaron revocados"
    )
    return _after_write(user, f"Usuario {user.username} {estado}.")


@bp.post("/<int:user_id>/contrasena")
@requires_role("admin")
def contrasena(user_id: int):
    user, refused = _write(
        user_id,
        PasswordForm,
        "password",
        lambda u, form: service.reset_password(u.id, form.password.data, current_user),
    )
    if refused:
        return refused
    if user.id == current_user.id:
        # The admin changed their own password: this session goes on with the new token, the others end.
        continue_session(user)
        return _after_write(
            user,
            "Su contraseña fue cambiada; sus otras sesiones se cerraron y sus tokens de API quedaron revocados.",
        )
    return _after_write(
        user,
        f"Contraseña de {user.username} restablecida; sus sesiones abiertas se cerraron y sus tokens de API "
        "quedaron revocados.",
    )


def _status(err: ServiceError) -> int:
    return 409 if err.status == 409 else 422


# --------------------------------------------------------------------------- API tokens


@bp.post("/<int:user_id>/tokens/<int:token_id>/revocar")
@requires_role("admin")
def token_revocar(user_id: int, token_id: int):
    try:
        token = service.revoke_token(user_id, token_id, current_user)
    except ServiceError:
        abort(404)
    return _after_write(token.usuario, f"Token «{token.nombre}» de {token.usuario.username} revocado.")


@bp.post("/<int:user_id>/tokens/revocar")
@requires_role("admin")
def tokens_revocar(user_id: int):
    user = _get(user_id)
    count = service.revoke_all_tokens(user.id, current_user)
    return _after_write(user, f"{count} token(s) de {user.username} revocado(s).")


@bp.get("/mis-tokens")
def mis_tokens():
    """Every logged-in user: their own API tokens (created with `flask users token`), to revoke."""
    return render_template("users/my_tokens.html", tokens=service.list_tokens(current_user.id))


@bp.post("/mis-tokens/<int:token_id>/revocar")
def mi_token_revocar(token_id: int):
    try:
        token = service.revoke_token(current_user.id, token_id, current_user)
    except ServiceError:
        abort(404)  # not theirs, or not there
    return go(url_for("users.mis_tokens"), f"Token «{token.nombre}» revocado.")
