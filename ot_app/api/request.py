"""Reading an API request: form-encoded or JSON bodies become one MultiDict of strings, which a form
validates (`validated`); ids in the query string or the body."""

from flask import request
from werkzeug.datastructures import MultiDict

from ..errors import fail
from ..fields import ActivoField, IdField, ParsedField, parse_id
from ..input_guard import check_text
from ..service_errors import ValidationFailed

CHECKBOXES = {"check_fase_patio", "por_definir"}
JSON_KINDS = {bool: "un valor true/false", int: "un número", float: "un número"}


class JsonValues(MultiDict):
    """A JSON body as the strings a form would post, remembering which values were not JSON
    strings (`kinds`: field → "un número" / "un valor true/false"), so `validated` can refuse a
    number in a text field and a boolean where an id goes (issue 16, finding 6)."""

    def __init__(self):
        super().__init__()
        self.kinds: dict[str, str] = {}


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
        out = JsonValues()
        for key, value in data.items():
            if isinstance(value, (dict, list)):
                check_text("campo", key, "")
                fail(400, f"El campo {key} debe ser un valor simple, no una lista ni un objeto.")
            if value is None:
                out[key] = ""
            elif isinstance(value, bool):
                out.kinds[key] = JSON_KINDS[bool]
                out[key] = ("on" if value else "") if key in CHECKBOXES else ("1" if value else "0")
            else:
                if not isinstance(value, str):
                    out.kinds[key] = JSON_KINDS[type(value)]
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
    values, errors = read_form(form_class, partial, formdata)
    if errors:
        raise ValidationFailed.from_errors(errors)
    return values


def read_form(form_class, partial: bool = False, formdata: MultiDict | None = None) -> tuple[dict, dict]:
    """The values and the field errors, not raised: a service that takes `field_errors` adds its
    rules' and refuses them all at once (one request, one round of messages, as on the pages)."""
    formdata = body_values() if formdata is None else formdata
    form = form_class(formdata=formdata, partial=partial)
    wrong_types = _json_type_errors(form, getattr(formdata, "kinds", {}))
    form.validate()
    errors = {**form.first_errors(), **wrong_types}
    # In the form's field order, as the pages list them (the first is the envelope's message).
    order = {f.name: i for i, f in enumerate(form)}
    # A refused JSON type is not a value at all (true is not the id 1): the service never sees it.
    values = {k: v for k, v in form.present_values().items() if k not in wrong_types}
    return values, dict(sorted(errors.items(), key=lambda kv: order.get(kv[0], len(order))))


def _json_type_errors(form, kinds: dict[str, str]) -> dict[str, str]:
    """{field: message} for JSON values of the wrong type: a text field takes only a JSON string
    (a number was stored as its text, 1e309 as "inf"); an id is never true/false (true was the id 1).
    Checkboxes and a record's state (activo) take booleans; other typed fields take numbers."""
    errors = {}
    for field in form:
        kind = kinds.get(field.name)
        if kind is None or field.name in CHECKBOXES or isinstance(field, ActivoField):
            continue
        if isinstance(field, IdField):
            if kind == JSON_KINDS[bool]:
                errors[field.name] = f"{field.subject} no es un identificador válido."
        elif isinstance(field, ParsedField):
            if kind == JSON_KINDS[bool]:
                errors[field.name] = f"{field.subject} no admite un valor true/false."
        else:
            errors[field.name] = f"El campo «{field.label.text}» debe ser un texto entre comillas, no {kind}."
    return errors


def body_id(missing: str) -> int:
    """The body's `id`: `missing` when there is none, a 400 when it is not an id (true is not 1)."""
    values = body_values()
    raw = values.get("id", "")
    if not str(raw).strip():
        raise ValidationFailed(missing, {"id": missing})
    try:
        if getattr(values, "kinds", {}).get("id") == JSON_KINDS[bool]:
            raise ValueError("a boolean")
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
