"""Reading an API request: form-encoded or JSON bodies become one MultiDict of strings, which a form
validates (`validated`); ids in the query string or the body."""

from flask import request
from werkzeug.datastructures import MultiDict

from ..errors import fail
from ..fields import parse_id
from ..input_guard import check_text
from ..service_errors import ValidationFailed

CHECKBOXES = {"check_fase_patio", "por_definir"}


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
                check_text("campo", key, "")
                fail(400, f"El campo {key} debe ser un valor simple, no una lista ni un objeto.")
            if value is None:
                out[key] = ""
            elif isinstance(value, bool):
                out[key] = "on" if value and key in CHECKBOXES else ("1" if value else "")
            else:
                out[key] = str(value)
            check_text("campo", key, out[key])
        return out
    if mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        for key, value in request.form.items(multi=True):
            check_text("campo", key, value)
        return request.form
    if not request.get_data(cache=True):
        return MultiDict()
    fail(
        400,
        "Tipo de contenido no admitido: envíe application/x-www-form-urlencoded, "
        "multipart/form-data o application/json.",
    )


def validated(form_class, partial: bool = False, formdata: MultiDict | None = None) -> dict:
    """The values a form read from the body (`formdata` when the route already read it); a field
    error is a ValidationFailed, which the API answers as a 400 naming each field.

    `partial`: the fields absent from the body are absent from the values (they keep theirs)."""
    form = form_class(formdata=body_values() if formdata is None else formdata, partial=partial)
    if not form.validate():
        raise ValidationFailed.from_errors(form.first_errors())
    return form.present_values()


def body_id(missing: str) -> int:
    """The body's `id`: `missing` when there is none, a 400 when it is not an id."""
    raw = body_values().get("id", "")
    if not str(raw).strip():
        raise ValidationFailed(missing, {"id": missing})
    try:
        return parse_id(raw)
    except ValueError:
        raise ValidationFailed(
            "El ID no es un identificador válido.", {"id": "El ID no es un identificador válido."}
        ) from None


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
