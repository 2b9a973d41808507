"""Reading an API request: form-encoded or JSON bodies become one MultiDict of strings."""

from flask import request
from werkzeug.datastructures import MultiDict

from ..errors import fail
from ..fields import parse_id
from . import bp

CHECKBOXES = {"check_fase_patio", "por_definir"}


def _storable(text: str) -> bool:
    if "\x00" in text:
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _check_text(kind: str, name: str, value: str) -> None:
    """A NUL or a lone surrogate (JSON "\\ud800") cannot be stored: PostgreSQL refuses NUL in text
    and neither database encodes a surrogate. Refuse them here with a 400 instead of a 500."""
    if not _storable(name):
        fail(400, f"Un {kind} de la solicitud tiene un nombre con caracteres no admitidos.")
    if not _storable(value):
        fail(
            400,
            f"El {kind} {name} contiene caracteres no admitidos (un carácter nulo o texto que no es UTF-8).",
        )


@bp.before_request
def _check_query_string():
    # Blueprint hooks run after the app's login check: an anonymous client still gets its 401.
    for name, value in request.args.items(multi=True):
        _check_text("parámetro", name, value)


def body_values() -> MultiDict:
    """The request body as the seed's form: JSON scalars become the strings a form would post."""
    mimetype = request.mimetype
    if mimetype == "application/json":
        try:
            data = request.get_json(silent=True)
        except RecursionError:  # "[[[[...]]]]" nested deeper than Python's parser goes
            data = None
        if data is None:
            fail(400, "El cuerpo JSON no es válido.")
        if not isinstance(data, dict):
            fail(400, "El cuerpo JSON debe ser un objeto con los campos de la OT.")
        out = MultiDict()
        for key, value in data.items():
            if isinstance(value, (dict, list)):
                _check_text("campo", key, "")
                fail(400, f"El campo {key} debe ser un valor simple, no una lista ni un objeto.")
            if value is None:
                out[key] = ""
            elif isinstance(value, bool):
                out[key] = "on" if value and key in CHECKBOXES else ("1" if value else "")
            else:
                out[key] = str(value)
            _check_text("campo", key, out[key])
        return out
    if mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        for key, value in request.form.items(multi=True):
            _check_text("campo", key, value)
        return request.form
    if not request.get_data(cache=True):
        return MultiDict()
    fail(
        400,
        "Tipo de contenido no admitido: envíe application/x-www-form-urlencoded, "
        "multipart/form-data o application/json.",
    )


def query_id(name: str = "id", required: bool = True, message: str | None = None) -> int | None:
    raw = request.args.get(name, "")
    if not raw.strip():
        if required:
            fail(400, message or f"El parámetro {name} es obligatorio.")
        return None
    try:
        return parse_id(raw)
    except ValueError:
        fail(400, f"El parámetro {name} no es un identificador válido.")
