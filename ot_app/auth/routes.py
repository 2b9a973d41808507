"""Login page and logout."""

from urllib.parse import urlsplit

from flask import flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user

from ..extensions import db
from ..models import Usuario
from . import bp
from .forms import LoginForm

BAD_CREDENTIALS = "Usuario o contraseña incorrectos."


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


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm()
    if request.method == "GET":
        form.next.data = request.args.get("next", "")
        if current_user.is_authenticated:
            return redirect(safe_next(form.next.data))
    error = None
    if form.validate_on_submit():
        user = db.session.execute(
            db.select(Usuario).where(Usuario.username == form.username.data)
        ).scalar_one_or_none()
        if user is not None and user.activo and user.check_password(form.password.data):
            session.clear()  # a new session at login: nothing carried over from before
            session.permanent = True
            login_user(user)
            return redirect(safe_next(form.next.data))
        error = BAD_CREDENTIALS
    status = 200 if request.method == "GET" or not error else 401
    return render_template("auth/login.html", form=form, error=error), status


@bp.route("/logout", methods=["POST"])
def logout():
    if current_user.is_authenticated:
        # Rotating the token makes any copy of the old cookie worthless.
        current_user.rotate_session()
        db.session.commit()
    logout_user()
    session.clear()
    flash("Sesión cerrada.", "info")
    return redirect(url_for("auth.login"))
