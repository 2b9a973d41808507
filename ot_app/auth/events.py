"""Security log: one line per event on the logger "ot_app.security".

    evento=login_fallido usuario="jperez" ip="10.0.0.7" utc=2026-03-02T14:05:09Z metodo="POST" ruta="/login"

Every value is quoted and its control characters escaped (a username holding a newline stays on
its line and cannot forge another event). Passwords are never passed here.
"""

from __future__ import annotations

import logging
import unicodedata
from datetime import UTC, datetime

from flask import has_request_context, request

log = logging.getLogger("ot_app.security")

# Events that are not a normal day's work log at WARNING, so a quiet production log still shows them.
WARNING_EVENTS = {"login_bloqueado", "acceso_denegado", "csrf_invalido", "demasiado_grande", "token_invalido"}


def clean(value) -> str:
    """A quoted, single-line, printable rendering of `value` (repr-style escapes for the rest)."""
    text = "" if value is None else str(value)
    out = []
    for ch in text:
        if ch in ('"', "\\"):
            out.append("\\" + ch)
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\r":
            out.append("\\r")
        elif ch == "\t":
            out.append("\\t")
        elif unicodedata.category(ch)[0] in ("C", "Z") and ch != " ":
            # Control, format, private, unassigned, and line/paragraph separators (U+2028...).
            code = ord(ch)
            out.append(
                f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"
            )
        else:
            out.append(ch)
    return '"' + "".join(out)[:300] + '"'


def utc_stamp() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def current_username() -> str | None:
    """The logged-in user's username, without loading anyone new."""
    from flask import g

    user = g.get("_login_user")
    if user is not None and getattr(user, "is_authenticated", False):
        return user.username
    return None


def security_event(evento: str, usuario: str | None = None, **fields) -> None:
    """Log one security event with the user, the client IP and the UTC time."""
    parts = [f"evento={evento}"]
    if usuario is None and has_request_context():
        usuario = current_username()
    parts.append(f"usuario={clean(usuario if usuario is not None else '-')}")
    if has_request_context():
        parts.append(f"ip={clean(request.remote_addr)}")
    parts.append(f"utc={utc_stamp()}")
    if has_request_context():
        parts.append(f"metodo={clean(request.method)}")
        parts.append(f"ruta={clean(request.path)}")
    for key, value in fields.items():
        parts.append(f"{key}={clean(value)}")
    level = logging.WARNING if evento in WARNING_EVENTS else logging.INFO
    log.log(level, " ".join(parts))
