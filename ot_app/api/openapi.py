"""The OpenAPI 3.1 document of /api, assembled once from what each route declares (api/spec.py),
the forms (request bodies, so the documented names are exactly the ones the API reads) and the
shapes (responses, strict: no extra keys, so a fuzzer notices drift); served as JSON."""

from wtforms.fields.core import UnboundField
from wtforms.validators import AnyOf, Length

from ..fields import ID_MAX, MONEY_MAX, MONEY_PATTERN, IdField, IsoDateField, MoneyField, WholeField
from ..forms import Required
from ..orders.serialize import OTDatos
from ..shapes import REF, components, encoding
from . import bp, catalogs, program_import, programs, pte, timeline  # noqa: F401  (imported for their routes' metadata)
from .ot import EXAMPLE_OT
from .request import CHECKBOXES
from .spec import OPERATIONS, Answer, FormBody, IdBody, JsonBody, Operation, Param, UploadBody

__all__ = ["DOCUMENT", "EXAMPLE_OT", "build_document"]

FORM = "application/x-www-form-urlencoded"
JSON = "application/json"

# --------------------------------------------------------------------------- value schemas

ID_TEXT = r"^[1-9][0-9]{0,9}$"
WHOLE_TEXT = r"^[0-9]{1,9}$"
MONEY_TEXT = f"^$|{MONEY_PATTERN}"  # what parse_money accepts, or empty (which means 0)
DATE_TEXT = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"


def _text_schema(kind, required: bool, max_length: int | None) -> dict:
    """What a form-encoded client posts for one field (always a string)."""
    if kind is IdField:
        schema = {
            "type": "string",
            "pattern": ID_TEXT,
            "description": f"Identificador: entero de 1 a {ID_MAX} en dígitos.",
        }
    elif kind is WholeField:
        schema = {"type": "string", "pattern": WHOLE_TEXT, "description": "Entero mayor o igual a 0."}
    elif kind is MoneyField:
        return {
            "type": "string",
            "pattern": MONEY_TEXT,
            "description": "Importe ≥ 0 con hasta 2 decimales («1,234.50» o «1234.5»); vacío equivale a 0.",
            "examples": ["1,234,567.50", "1234.5", ""],
        }
    elif kind is IsoDateField:
        schema = {
            "type": "string",
            "format": "date",
            "pattern": DATE_TEXT,
            "description": "Fecha ISO AAAA-MM-DD (años 1900 a 2200).",
        }
    else:
        schema = {"type": "string"}
        if required:
            schema["minLength"] = 1
            schema["pattern"] = r"\S"
        if max_length:
            schema["maxLength"] = max_length
        return schema
    if required:
        return schema
    # An optional field sent empty is cleared.
    return {"anyOf": [schema, {"type": "string", "maxLength": 0}], "description": schema["description"]}


def _json_alternative(kind) -> dict | None:
    """The typed JSON value the API also accepts for a field (it becomes the same string)."""
    if kind is IdField:
        return {"type": "integer", "minimum": 1, "maximum": ID_MAX}
    if kind is WholeField:
        return {"type": "integer", "minimum": 0, "maximum": 100_000}
    if kind is MoneyField:
        return {"type": "number", "minimum": 0, "maximum": float(MONEY_MAX)}
    return None


def _field_schemas(form_class, exclude=(), also_required=()) -> tuple[dict, dict, list[str]]:
    """(form-encoded properties, JSON properties, required names) of a form, in field order.

    `also_required`: fields the endpoint requires although the form does not (editar's `id`)."""
    unbound = sorted(
        (
            (name, value)
            for name in dir(form_class)
            if not name.startswith("_") and isinstance(value := getattr(form_class, name), UnboundField)
        ),
        key=lambda item: item[1].creation_counter,
    )
    form_props, json_props, required = {}, {}, []
    for name, field in unbound:
        if name in exclude:
            continue
        validators = field.kwargs.get("validators") or []
        is_required = name in also_required or any(isinstance(v, Required) for v in validators)
        max_length = next((v.max for v in validators if isinstance(v, Length) and v.max > 0), None)
        choices = next((v.values for v in validators if isinstance(v, AnyOf)), None)
        label = field.args[0] if field.args else name
        if choices is not None:
            text = {"type": "string", "enum": [str(c) for c in choices]}
            if not is_required:
                text["enum"].append("")
            typed = {"type": "integer", "enum": list(choices)}
        elif name in CHECKBOXES:
            text = {"type": "string", "enum": ["on", ""], "description": "«on» marca la casilla."}
            typed = {"type": "boolean"}
        else:
            text = _text_schema(field.field_class, is_required, max_length)
            typed = _json_alternative(field.field_class)
        form_props[name] = {"title": label, **text}
        alternatives = [text] + ([typed] if typed else [])
        if not is_required:
            alternatives.append({"type": "null"})
        json_props[name] = (
            {"title": label, "anyOf": alternatives} if len(alternatives) > 1 else form_props[name]
        )
        if is_required:
            required.append(name)
    return form_props, json_props, required


def _examples(examples: dict | None) -> dict:
    """OpenAPI `examples` of a media type: {name: (summary, value)} → {name: {summary, value}}."""
    if not examples:
        return {}
    return {
        "examples": {
            name: {"summary": summary, "value": value} for name, (summary, value) in examples.items()
        }
    }


def _body(form_class, exclude=(), required_extra=(), partial=False, description="", examples=None) -> dict:
    """A request body from a form. `partial`: absent fields keep their value, so only
    `required_extra` is required (a field that is sent must still be valid: non-blank if required)."""
    form_props, json_props, required = _field_schemas(form_class, exclude, required_extra)
    if partial:
        required = list(required_extra)

    def schema(props):
        out = {"type": "object", "properties": props}
        if required:
            out["required"] = required
        return out

    return {
        "required": True,
        "description": description
        + " Se acepta application/x-www-form-urlencoded (como el sistema anterior) o application/json "
        "(un objeto con valores simples; una lista o un objeto anidado es un 400).",
        "content": {
            FORM: {"schema": schema(form_props), **_examples(examples)},
            JSON: {"schema": schema(json_props), **_examples(examples)},
        },
    }


def _id_body(description: str, example: str) -> dict:
    text = {"type": "string", "pattern": ID_TEXT}
    return {
        "required": True,
        "description": description,
        "content": {
            FORM: {
                "schema": {"type": "object", "properties": {"id": text}, "required": ["id"]},
                "example": {"id": example},
            },
            JSON: {
                "schema": {
                    "type": "object",
                    "properties": {
                        "id": {"anyOf": [text, {"type": "integer", "minimum": 1, "maximum": ID_MAX}]}
                    },
                    "required": ["id"],
                },
                "example": {"id": int(example)},
            },
        },
    }


# --------------------------------------------------------------------------- response schemas


def _object(properties: dict, required: list[str]) -> dict:
    return {"type": "object", "properties": properties, "required": required, "additionalProperties": False}


def _envelope(exito: bool, avisos: list[str], extra: dict | None = None, required=()) -> dict:
    properties = {
        "exito": {"type": "boolean", "const": exito},
        "tipo_aviso": {"$ref": REF + "TipoAviso", "enum": avisos},
        "detalles": {"type": "string", "description": "Mensaje para el usuario, en español."},
        **(extra or {}),
    }
    return _object(properties, ["exito", "tipo_aviso", "detalles", *required])


def _answer(answer: Answer) -> dict:
    """A success envelope: `datos` (a shape's $ref or an array of them) and the other keys."""
    extra = {"datos": encoding(answer.datos).schema} if answer.datos is not None else {}
    extra.update({name: encoding(kind).schema for name, kind in answer.extra.items()})
    return _envelope(answer.exito, list(answer.avisos), extra, list(extra))


ERRORES = {
    "type": "object",
    "additionalProperties": {"type": "string"},
    "description": "Mensaje por campo, con los nombres de campo de la solicitud.",
}
ERROR_ENVELOPES = {
    "TipoAviso": {"type": "string", "enum": ["exito", "error", "advertencia"]},
    "Error": _envelope(False, ["error", "advertencia"], {"errores": ERRORES}),
    "Conflicto": _envelope(
        False,
        ["error", "advertencia"],
        {
            "errores": ERRORES,
            "quien": {"type": "string", "description": "Quién guardó la OT por última vez."},
            "cuando": {
                "type": ["string", "null"],
                "format": "date-time",
                "description": "Cuándo (UTC, ISO 8601).",
            },
            "version_actual": {
                "type": ["integer", "null"],
                "description": "La versión guardada; reenvíe con ella.",
            },
            "datos": encoding(OTDatos | None).schema,
            "vigente": {
                "type": "integer",
                "description": "ID de la versión vigente de la cadena, cuando la OT fue reemplazada por ella.",
            },
        },
    ),
}


def _schemas(operations: list[Operation]) -> dict:
    """The components: the error envelopes, each operation's answer and every shape they send."""
    answers: dict[str, Answer] = {}
    for op in operations:
        for answer in (op.answer, *(a for _, a in op.refusals)):
            if answer.media:
                continue
            if answers.setdefault(answer.name, answer) != answer:
                raise ValueError(f"two different answers are named {answer.name}")
    return {
        **ERROR_ENVELOPES,
        **{name: _answer(answer) for name, answer in answers.items()},
        **components(
            OTDatos,
            *(a.datos for a in answers.values() if a.datos is not None),
            *(kind for a in answers.values() for kind in a.extra.values()),
        ),
    }


ERROR_TEXT = {
    400: "Solicitud no válida: campo faltante o con formato incorrecto, JSON mal formado, tipo de "
    "contenido no admitido, un carácter nulo o texto que no es UTF-8. `errores` dice qué campo y por qué.",
    401: "Sin token o con un token no válido (`Authorization: Bearer <token>`).",
    403: "El rol del usuario no permite la acción (un lector solo consulta).",
    404: "No existe el registro pedido.",
    409: "Conflicto: alguien guardó antes (`quien`, `cuando`, `version_actual`), la versión fue reemplazada "
    "por otra (`vigente`: solo la versión vigente de una cadena se edita), o el estado de la OT no "
    "permite la acción.",
    413: "El cuerpo de la solicitud es demasiado grande.",
    422: "El archivo tiene errores o no se aceptó (vacío, de un tipo no permitido por su contenido o con "
    "una ruta en su nombre): nada se guardó; `datos` es el reporte de una importación, `errores.archivo` "
    "dice por qué se rechazó un entregable.",
}


def _responses(ok_schema: str, ok_text: str, codes: tuple[int, ...]) -> dict:
    out = {"200": {"description": ok_text, "content": {JSON: {"schema": {"$ref": REF + ok_schema}}}}}
    for code in codes:
        schema = "Conflicto" if code == 409 else "Error"
        out[str(code)] = {
            "description": ERROR_TEXT[code],
            "content": {JSON: {"schema": {"$ref": REF + schema}}},
        }
    return out


def _parameter(param: Param) -> dict:
    out = {"name": param.name, "in": param.where, "required": param.required}
    if param.description is not None:
        out["description"] = param.description
    out["schema"] = param.schema
    if param.example is not None:
        out["example"] = param.example
    return out


def _request_body(body: FormBody | IdBody | UploadBody | JsonBody) -> dict:
    if isinstance(body, IdBody):
        return _id_body(body.description, body.example)
    if isinstance(body, JsonBody):
        media = {"schema": body.schema} | ({"example": body.example} if body.example else {})
        return {"required": True, "description": body.description, "content": {"application/json": media}}
    if isinstance(body, UploadBody):
        schema = {"type": "object", "properties": body.fields, "required": list(body.required)}
        return {
            "required": True,
            "description": body.description,
            "content": {"multipart/form-data": {"schema": schema}},
        }
    return _body(
        body.form_class,
        exclude=body.exclude,
        required_extra=body.required,
        partial=body.partial,
        description=body.description,
        examples=body.examples,
    )


def _operation(op: Operation) -> dict:
    out = {"operationId": op.operation_id, "tags": [op.tag], "summary": op.summary}
    if op.description:
        out["description"] = op.description
    if op.parameters:
        out["parameters"] = [_parameter(p) for p in op.parameters]
    if op.body:
        out["requestBody"] = _request_body(op.body)
    out["responses"] = _responses(op.answer.name, op.ok, op.codes)
    if op.answer.media:
        medias = op.answer.media if isinstance(op.answer.media, tuple) else (op.answer.media,)
        content = {m: {"schema": {"type": "string", "contentMediaType": m}} for m in medias}
        out["responses"]["200"] = {"description": op.ok, "content": content}
    for code, answer in op.refusals:
        out["responses"][str(code)] = {
            "description": ERROR_TEXT[code],
            "content": {JSON: {"schema": {"$ref": REF + answer.name}}},
        }
    return out


def build_document(operations: list[Operation] = OPERATIONS) -> dict:
    paths: dict[str, dict] = {}
    for op in operations:
        paths.setdefault(op.path, {})[op.method] = _operation(op)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "OT: API de órdenes de trabajo",
            "version": "1.0.0",
            "description": "API compatible con el sistema anterior: mismos nombres de campo y el sobre "
            "`{exito, tipo_aviso, detalles}`. Toda respuesta, también de error, es ese sobre en JSON.",
        },
        "jsonSchemaDialect": "https://json-schema.org/draft/2020-12/schema",
        "security": [{"bearerAuth": []}],
        "tags": [{"name": "OT"}, {"name": "Catálogos"}, {"name": "PTE"}],
        "paths": paths,
        "components": {
            "schemas": _schemas(operations),
            "securitySchemes": {
                "bearerAuth": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "Token de `flask users token`.",
                }
            },
        },
    }


DOCUMENT = build_document()


@bp.get("/openapi.json")
def openapi_document():
    """The document requires login like every route (see auth.security)."""
    return DOCUMENT
