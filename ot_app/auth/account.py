"""One's own account: changing one's own password (every role). The rules and the transaction of
that use case; the page (auth/routes.py) only parses the form and shows what this says."""

from __future__ import annotations

from .. import audit
from ..extensions import db
from ..models import Usuario
from ..service_errors import ServiceError, ValidationFailed
from ..transactions import write_transaction
from . import passwords, throttle
from .events import security_event

WRONG_CURRENT = "La contraseña actual no es correcta."
MISMATCH = "Las dos contraseñas nuevas no coinciden."
SAME_AS_BEFORE = "La contraseña nueva debe ser distinta de la actual."
TOO_MANY = "Demasiados intentos con una contraseña actual incorrecta. Espere {minutos} minuto{s} e inténtelo de nuevo."


class TooManyAttempts(ServiceError):
    status = 429

    def __init__(self, seconds: int):
        minutos = max(1, -(-seconds // 60))
        super().__init__(TOO_MANY.format(minutos=minutos, s="" if minutos == 1 else "s"), retry_after=seconds)


def change_own_password(user: Usuario, actual: str, nueva: str, confirmacion: str) -> Usuario:
    """Check the current password (counted like a login: wrong ones hit the same throttle, so this
    page is no way around it), then the new one (policy, typed twice, not the old one), and set it.
    The session token rotates: the user's other sessions end; the caller keeps this one going.
    API tokens stay: they are made by an administrator at the server, not with the password."""
    refused = throttle.blocked(user.username)
    if refused:
        security_event("contrasena_bloqueada", usuario=user.username, por=refused[0])
        raise TooManyAttempts(refused[1])
    errors: dict[str, str] = {}
    if not passwords.verify(user, actual or ""):
        throttle.record_failure(user.username)
        security_event("contrasena_actual_incorrecta", usuario=user.username)
        errors["actual"] = WRONG_CURRENT
    problem = passwords.password_problem(nueva or "", user.username)
    if problem:
        errors["nueva"] = problem
    elif nueva == actual and "actual" not in errors:
        errors["nueva"] = SAME_AS_BEFORE
    if (nueva or "") != (confirmacion or ""):
        errors["confirmacion"] = MISMATCH
    if errors:
        raise ValidationFailed.from_errors(errors)
    with write_transaction():
        row = db.session.get(Usuario, user.id)
        row.set_password(nueva)
        audit.log(row, "cambiar_contrasena", "usuario", row.id, {"password": ["***", "***"]})
    security_event("contrasena_cambiada", usuario=user.username)
    return row
