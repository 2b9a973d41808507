"""Who is asking: session users, bearer-token API clients, login everywhere, CSRF, roles,
idle timeout; and the app-wide security setup (proxy, throttling, headers, security log)."""

import logging
import secrets
import time
from datetime import timedelta
from functools import wraps

from flask import abort, current_app, flash, g, has_request_context, make_response, request, session
from flask_login import current_user, login_user, logout_user
from flask_wtf.csrf import CSRFError
from sqlalchemy import select
from werkzeug.middleware.proxy_fix import ProxyFix

from .. import data_version
from ..extensions import csrf, db, login_manager
from ..fields import id_or_none
from ..models import ApiToken, Usuario, utcnow
from ..transactions import write_transaction
from . import throttle
from .events import security_event

# Endpoints reachable without logging in.
PUBLIC_ENDPOINTS = {"auth.login", "auth.entrar", "static"}
# Session key holding the time (epoch seconds) of the last request of a logged-in browser.
SEEN_KEY = "_visto"
# Answers that go to the security log (429 is logged where the login is refused, with details).
LOGGED_STATUSES = {403: "acceso_denegado", 409: "conflicto", 413: "demasiado_grande"}


def init_app(app):
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Inicie sesión para continuar."
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"

    hops = int(app.config.get("TRUST_PROXY_HOPS") or 0)
    if hops > 0:
        # Only the addresses our own proxies add are believed; with 0 no header is.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)
    app.config["PERMANENT_SESSION_LIFETIME"] = timedelta(hours=float(app.config["SESSION_IDLE_HOURS"]))

    # Security events reach the log at INFO; Flask gives the "ot_app" logger a handler.
    app.logger  # noqa: B018  (creates the app logger and its default handler)
    security_log = logging.getLogger("ot_app.security")
    if security_log.level == logging.NOTSET:
        security_log.setLevel(logging.INFO)

    from . import headers

    throttle.init_app(app)
    headers.init_app(app)
    app.before_request(_require_login_and_csrf)
    app.after_request(_log_refusals)


def _now() -> float:
    return time.time()


def start_session(user: Usuario) -> None:
    """Log `user` in on a brand-new session (nothing carried over from before the login)."""
    session.clear()
    session.permanent = True
    login_user(user)
    session[SEEN_KEY] = int(_now())
    # A fresh random value: no two logins share a cookie, even the same user's in the same second.
    session["_sid"] = secrets.token_urlsafe(12)


def continue_session(user: Usuario) -> None:
    """Keep this browser logged in after `user`'s session token rotated (own password change)."""
    login_user(user)
    session[SEEN_KEY] = int(_now())


def _check_idle() -> None:
    """End a browser session unused for SESSION_IDLE_HOURS, even if the browser kept the cookie."""
    if request.endpoint == "static":
        return
    if "_user_id" not in session:
        if not session and request.cookies.get(current_app.config["SESSION_COOKIE_NAME"]):
            # The browser sent a cookie Flask refused (older than the idle time, or tampered):
            # forget it, and tell the user why they see the login page.
            session.clear()
            security_event("sesion_expirada", usuario="-", motivo="cookie vencida o no válida")
            if not request.path.startswith("/api/"):
                flash("Su sesión expiró por inactividad. Inicie sesión de nuevo.", "info")
        return
    now = _now()
    seen = session.get(SEEN_KEY)
    idle = float(current_app.config["SESSION_IDLE_HOURS"]) * 3600
    if isinstance(seen, int | float) and 0 <= now - seen <= idle:
        session[SEEN_KEY] = int(now)
        return
    usuario = current_user.username if current_user.is_authenticated else None
    logout_user()
    session.clear()
    security_event("sesion_expirada", usuario=usuario or "-")
    if not request.path.startswith("/api/"):
        flash("Su sesión expiró por inactividad. Inicie sesión de nuevo.", "info")


@login_manager.user_loader
def load_user(user_id: str):
    """The cookie carries id:session_token; a rotated token (logout, new password) ends it."""
    uid, _, token = (user_id or "").partition(":")
    uid = id_or_none(uid)
    if uid is None or not token:
        return None
    # The data version rides along: every page asks for it, and a round trip less is a tenth of a
    # kept page's time on PostgreSQL.
    row = db.session.execute(select(Usuario, data_version.read_along()).where(Usuario.id == uid)).first()
    if row is None:
        return None
    user, version = row
    data_version.note(version)
    if not user.activo or user.session_token != token:
        return None
    return user


@login_manager.request_loader
def load_user_from_request(req):
    header = req.headers.get("Authorization", "")
    if not header.lower().startswith("bearer "):
        return None
    token = header[7:].strip()
    if not token:
        return None
    row = db.session.execute(
        db.select(ApiToken).where(ApiToken.token_hash == ApiToken.hash(token), ApiToken.activo.is_(True))
    ).scalar_one_or_none()
    if row is None or row.vencido() or not row.usuario.activo:
        return None
    g.api_token = row
    return row.usuario


@login_manager.unauthorized_handler
def unauthorized():
    abort(401)


def is_api_request() -> bool:
    return request.path.startswith("/api/")


def is_bearer_request() -> bool:
    """An API client (not a browser): it sent `Authorization: Bearer ...`."""
    return request.headers.get("Authorization", "").lower().startswith("bearer ")


def is_htmx() -> bool:
    return request.headers.get("HX-Request") == "true"


def _require_login_and_csrf():
    # GET, HEAD and OPTIONS skip the CSRF check, so none of them may write: every page that saves
    # has a view of its own for POST (never a branch on request.method), and HEAD runs the GET view.
    if not is_bearer_request():
        _check_idle()
    if request.endpoint in PUBLIC_ENDPOINTS:
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            csrf.protect()
        return None
    if is_bearer_request():
        # A bearer token must be valid; such clients are not browsers and need no CSRF token. A bad
        # token counts like a failed login against the client IP's ceiling (auth/throttle.py).
        refused = throttle.blocked()
        if refused:
            return _too_many_tokens(*refused)
        if not current_user.is_authenticated or "api_token" not in g:
            throttle.record_failure()
            security_event("token_invalido", usuario="-")
            abort(401)
        _touch_token(g.api_token)
        return None
    if not current_user.is_authenticated:
        abort(401)
    if request.method not in ("GET", "HEAD", "OPTIONS"):
        csrf.protect()
    return None


def _too_many_tokens(clave: str, seconds: int):
    from ..errors import error_response

    security_event("login_bloqueado", usuario="-", por=clave, espera_s=seconds)
    minutos = max(1, -(-seconds // 60))
    message = (
        "Demasiados intentos fallidos desde esta dirección (inicios de sesión o tokens no válidos). "
        f"Espere {minutos} minuto{'' if minutos == 1 else 's'} e inténtelo de nuevo."
    )
    response = make_response(error_response(429, message))
    response.headers["Retry-After"] = str(seconds)
    return response


def _log_refusals(response):
    evento = LOGGED_STATUSES.get(response.status_code)
    if evento:
        security_event(evento, estado=response.status_code)
    return response


def _touch_token(token: ApiToken) -> None:
    now = utcnow()
    # Written at most once a minute, so reads stay read-only. In a write transaction of its own:
    # on SQLite, writing inside the request's read transaction fails with "database is locked"
    # when another worker committed since that read began (found by tests/reliability/test_load.py).
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        with write_transaction():
            token.last_used_at = now


def sees_deleted(actor=None) -> bool:
    """The one rule for deleted records (OTs, PTEs): only admins see them; the read services answer
    404 to everyone else (issue 16, finding 4). `actor` defaults to who is asking in this request,
    page or API alike; outside a request (CLI, demo data) nobody is hidden anything."""
    if actor is None:
        if not has_request_context():
            return True
        actor = current_user
    return bool(getattr(actor, "is_authenticated", False)) and actor.puede("admin")


def requires_role(rol: str):
    """Refuse (403) users below `rol` (lector < editor < admin)."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                abort(401)
            if not current_user.puede(rol):
                abort(403)
            return view(*args, **kwargs)

        wrapped.required_role = rol
        return wrapped

    return decorator


__all__ = [
    "CSRFError",
    "requires_role",
    "is_api_request",
    "is_bearer_request",
    "is_htmx",
    "load_user",
    "start_session",
    "continue_session",
]
