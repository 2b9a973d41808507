"""Error pages in Spanish: a full page for a browser, a fragment for htmx, the envelope for /api/."""

import logging
from urllib.parse import urlsplit

from flask import redirect, render_template, request, url_for
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from .auth.events import security_event
from .auth.security import is_api_request, is_bearer_request, is_htmx
from .envelope import envelope
from .extensions import db
from .transactions import lost_race

log = logging.getLogger("ot_app")

MESSAGES = {
    400: "La solicitud no es válida.",
    401: "Inicie sesión para continuar.",
    403: "No tiene permiso para realizar esta acción.",
    404: "No se encontró lo que busca.",
    405: "Método no permitido.",
    409: "El registro cambió mientras lo editaba.",
    413: "La solicitud es demasiado grande.",
    422: "Los datos enviados no son válidos.",
    429: "Demasiados intentos. Espere unos minutos e inténtelo de nuevo.",
    500: "Ocurrió un error inesperado. El equipo de sistemas ya fue avisado.",
}
CONCURRENT_WRITE = (
    "Otra persona guardó cambios relacionados al mismo tiempo; no se guardó nada. Vuelva a intentarlo."
)
TITLES = {
    400: "Solicitud no válida",
    401: "Sesión requerida",
    403: "Acceso denegado",
    404: "No encontrado",
    405: "Método no permitido",
    409: "Conflicto",
    413: "Solicitud demasiado grande",
    429: "Demasiados intentos",
    500: "Error del servidor",
}


def _login_url() -> str:
    """Login URL that brings the user back to the page they were on."""
    target = request.full_path if request.method in ("GET", "HEAD") else request.referrer or "/"
    if is_htmx():
        # For an htmx request, come back to the page in the address bar, not to the fragment.
        target = request.headers.get("HX-Current-URL") or target
    parts = urlsplit(target)
    local = parts.path + (f"?{parts.query}" if parts.query else "")
    return url_for("auth.login", next=local or "/")


def error_response(code: int, message: str | None = None):
    message = message or MESSAGES.get(code, MESSAGES[500])
    if is_api_request() or (code == 401 and is_bearer_request()):
        # An API client gets the envelope; a 401 never redirects it to the HTML login page.
        response = envelope(False, message, status=code)
        if code == 401:
            response.headers["WWW-Authenticate"] = 'Bearer realm="ot_app"'
        return response
    if code == 401:
        if is_htmx():
            return "", 401, {"HX-Redirect": _login_url()}
        return redirect(_login_url())
    template = "errors/_error.html" if is_htmx() else "errors/error.html"
    return render_template(template, code=code, title=TITLES.get(code, "Error"), message=message), code


def register_error_handlers(app):
    @app.errorhandler(CSRFError)
    def csrf_error(err):
        security_event("csrf_invalido", motivo=err.description)
        return error_response(400, "La sesión del formulario expiró o no es válida. Recargue la página.")

    from .service_errors import ServiceError

    @app.errorhandler(ServiceError)
    def service_error(err):
        # Pages normally catch these to show them beside the fields; this is the safety net.
        return error_response(err.status, err.detalles)

    @app.errorhandler(HTTPException)
    def http_error(err):
        # Only messages we wrote (see `fail`) reach the user; werkzeug's are English.
        return error_response(err.code or 500, getattr(err, "mensaje", None))

    @app.errorhandler(Exception)
    def unexpected_error(err):
        db.session.rollback()
        if lost_race(err):
            # A write no service retries lost a race (a deadlock): nothing was saved, and saying
            # so lets the person try again.
            log.warning("Escritura concurrente en %s %s: %s", request.method, request.path, err.orig)
            return error_response(409, CONCURRENT_WRITE)
        log.exception("Error no controlado en %s %s", request.method, request.path)
        return error_response(500)


def fail(code: int, mensaje: str):
    """Abort with a Spanish message shown on the page, fragment or envelope."""
    from werkzeug.exceptions import default_exceptions

    err = default_exceptions[code]()
    err.mensaje = mensaje
    raise err
