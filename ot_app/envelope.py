"""The seed's JSON envelope: {exito, tipo_aviso, detalles, ...}."""

from flask import jsonify


def envelope(exito: bool, detalles: str, status: int = 200, tipo_aviso: str | None = None, **extra):
    body = {
        "exito": exito,
        "tipo_aviso": tipo_aviso or ("exito" if exito else "error"),
        "detalles": detalles,
    }
    body.update(extra)
    response = jsonify(body)
    response.status_code = status
    return response
