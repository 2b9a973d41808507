"""Login page, logout, and one's own password."""

from urllib.parse import urlsplit

from flask import flash, redirect, render_template, request, session, url_for
from flask_login import current_user, logout_user

from ..extensions import db
from ..models import Usuario
from ..service_errors import ServiceError
from ..transactions import write_transaction
from . import account, bp, passwords, throttle
from .events import security_event
from .forms import LoginForm, OwnPasswordForm
from .security import continue_session, start_session

BAD_CREDENTIALS = "Usuario o contraseña incorrectos."
TOO_MANY = (
    "Demasiados intentos fallidos de inicio de sesión. Espere {minutos} minuto{s} "
    "e inténtelo de nuevo, o pida ayuda al administrador."
)


def safe_next(target: str | None) -> str:
    """Only a local path may follow the login; anything else goes home."""
    if not target:
        return url_for("main.index")
    target = target.strip()
    parts = urlsplit(target)
    if (
        parts.scheme
        or parts.netloc
        or not target.startswith("/")
        or target.startswith("//")
        or "\\" in target
        or any(ord(c) < 32 for c in target)
    ):
        return url_for("main.index")
    return target


@bp.get("/login")
def login():
    form = LoginForm()
    form.next.data = request.args.get("next", "")
    if current_user.is_authenticated:
        return redirect(safe_next(form.next.data))
    return _login_page(form)


def _login_page(form, error=None, status=200):
    return render_template(
        "auth/login.html",
        form=form,
        f=LoginForm.specs(),
        vals={"username": form.username.data or ""},
        errores=form.first_errors(),
        error=error,
    ), status


@bp.post("/login")
def entrar():
    form = LoginForm(formdata=request.form)
    error = None
    if form.validate():
        username = form.username.data
        refused = throttle.blocked(username)
        if refused:
            # Refused before the password is even checked: guessing goes no further.
            return _too_many(form, username, *refused)
        user = db.session.execute(db.select(Usuario).where(Usuario.username == username)).scalar_one_or_none()
        if passwords.verify(user, form.password.data):
            start_session(user)  # a new session at login: nothing carried over from before
            security_event("login_ok", usuario=user.username)
            return redirect(safe_next(form.next.data))
        throttle.record_failure(username)
        motivo = "inactivo" if user is not None and not user.activo else "credenciales"
        security_event("login_fallido", usuario=username, motivo=motivo)
        error = BAD_CREDENTIALS
    return _login_page(form, error, 401 if error else 200)


def _too_many(form, username: str, clave: str, seconds: int):
    security_event("login_bloqueado", usuario=username, por=clave, espera_s=seconds)
    minutos = max(1, -(-seconds // 60))
    message = TOO_MANY.format(minutos=minutos, s="" if minutos == 1 else "s")
    page, _ = _login_page(form, message)
    return page, 429, {"Retry-After": str(seconds)}


@bp.route("/logout", methods=["POST"])
def logout():
    if current_user.is_authenticated:
        # Rotating the token makes any copy of the old cookie worthless. In a write transaction of
        # its own (SQLite: see _touch_token in security.py).
        with write_transaction():
            current_user.rotate_session()
        security_event("logout", usuario=current_user.username)
    logout_user()
    session.clear()
    flash("Sesión cerrada.", "info")
    return redirect(url_for("auth.login"))


# --------------------------------------------------------------------------- own password


def _password_page(form, errores=None, general=None, status=200):
    return render_template(
        "auth/password.html", f=OwnPasswordForm.specs(), errores=errores or {}, general=general
    ), status


@bp.get("/cuenta/contrasena")
def contrasena():
    return _password_page(OwnPasswordForm())


@bp.post("/cuenta/contrasena")
def cambiar_contrasena():
    form = OwnPasswordForm(formdata=request.form)
    if not form.validate():
        return _password_page(form, form.first_errors(), status=422)
    try:
        user = account.change_own_password(
            current_user, form.actual.data, form.nueva.data, form.confirmacion.data
        )
    except ServiceError as err:
        page, status = _password_page(form, err.errores, None if err.errores else err.detalles, err.status)
        headers = {"Retry-After": str(err.extra["retry_after"])} if "retry_after" in err.extra else {}
        return page, status if status in (422, 429) else 422, headers
    continue_session(user)  # this browser goes on; the other sessions ended with the old token
    flash("Su contraseña fue cambiada; sus otras sesiones se cerraron.", "exito")
    return redirect(url_for("main.index"), code=303)
