"""Activity log: one row per change, written in the same transaction as the change."""

from datetime import date, datetime
from decimal import Decimal

from flask import has_request_context, request

from .extensions import db
from .formatting import amount
from .models import ActividadLog


def plain(value):
    """A JSON-friendly copy of a column value."""
    if isinstance(value, Decimal):
        return amount(value)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value


def diff(before: dict, after: dict) -> dict:
    """{field: [old, new]} for the fields whose value changed."""
    return {
        key: [plain(before.get(key)), plain(after.get(key))]
        for key in after
        if plain(before.get(key)) != plain(after.get(key))
    }


def log(actor, accion: str, entidad: str, entidad_id: int | None, cambios: dict) -> ActividadLog:
    row = ActividadLog(
        id_usuario=getattr(actor, "id", None),
        usuario=getattr(actor, "username", "") or "sistema",
        accion=accion,
        entidad=entidad,
        entidad_id=entidad_id,
        cambios=cambios,
        ip=request.remote_addr if has_request_context() else None,
    )
    db.session.add(row)
    return row
