"""The OpenAPI 3.1 document of /api (built once from the forms and the envelope), served as JSON.

Request bodies are derived from `OTForm` and `StepForm`, so the documented names are exactly the
ones the API reads; the response schemas are strict (no extra keys) so a fuzzer notices drift."""

from wtforms.fields.core import UnboundField
from wtforms.validators import AnyOf, Length

from ..fields import ID_MAX, MONEY_MAX, MONEY_PATTERN, IdField, IsoDateField, MoneyField, WholeField
from ..forms import Required
from ..orders.forms import OTForm, StepForm
from ..orders.query import LIST_INT_PARAMS
from ..orders.read import SORTS
from ..pte.forms import PTEForm, PTEStatusForm
from . import bp
from .request import CHECKBOXES
from .routes import CATALOGOS

FORM = "application/x-www-form-urlencoded"
JSON = "application/json"
REF = "#/components/schemas/"

# --------------------------------------------------------------------------- value schemas

ID_TEXT = r"^[1-9][0-9]{0,9}$"
WHOLE_TEXT = r"^[0-9]{1,9}$"
MONEY_TEXT = f"^$|{MONEY_PATTERN}"  # what parse_money accepts, or empty (which means 0)
DATE_TEXT = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
MONEY_OUT = r"^[0-9]+\.[0-9]{2}$"


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

STR = {"type": "string"}
INT = {"type": "integer"}
BOOL = {"type": "boolean"}
STR_N = {"type": ["string", "null"]}
INT_N = {"type": ["integer", "null"]}
DATE_N = {"type": ["string", "null"], "format": "date"}
MONEY = {"type": "string", "pattern": MONEY_OUT, "description": "Importe con dos decimales."}


def _object(properties: dict, required: list[str] | None = None) -> dict:
    return {
        "type": "object",
        "properties": properties,
        "required": list(properties) if required is None else required,
        "additionalProperties": False,
    }


def _envelope(exito: bool, avisos: list[str], extra: dict | None = None, required=()) -> dict:
    properties = {
        "exito": {"type": "boolean", "const": exito},
        "tipo_aviso": {"$ref": REF + "TipoAviso", "enum": avisos},
        "detalles": {"type": "string", "description": "Mensaje para el usuario, en español."},
        **(extra or {}),
    }
    return _object(properties, ["exito", "tipo_aviso", "detalles", *required])


OT_DATOS = {
    "id": INT,
    "id_tipo_id": INT,
    "id_frente": INT_N,
    "id_embarcacion": INT_N,
    "id_plataforma": INT_N,
    "id_intercom": INT_N,
    "id_cliente": INT_N,
    "id_patio": INT_N,
    "descripcion_tipo": STR,
    "estatus_ot": INT_N,
    "responsable_proyecto": {
        "anyOf": [INT, {"type": "string", "maxLength": 0}],
        "description": "ID del responsable, o cadena vacía (como el sistema anterior).",
    },
    "responsable_cliente": STR,
    "id_pte_id": {
        "anyOf": [INT, {"type": "string", "maxLength": 0}],
        "description": "ID de la PTE padre, o cadena vacía (como el sistema anterior).",
    },
    "pte_padre": STR,
    "oficio_ot": STR_N,
    "estatus": {**INT, "description": "1 activa, -1 por definir, 0 eliminada."},
    "orden_trabajo": STR,
    "descripcion_trabajo": STR,
    "fecha_inicio_programado": DATE_N,
    "fecha_inicio_real": DATE_N,
    "fecha_termino_programado": DATE_N,
    "fecha_termino_real": DATE_N,
    "comentario": STR_N,
    "ot_principal": INT_N,
    "num_reprogramacion": INT_N,
    "monto_mxn": MONEY,
    "monto_usd": MONEY,
    "plazo_dias": INT_N,
    "requiere_patio": BOOL,
    "fecha_inicio_patio": DATE_N,
    "fecha_fin_patio": DATE_N,
    "version": INT,
    "reprogramaciones": {"type": "array", "items": {"$ref": REF + "Reprogramacion"}},
}
REPROGRAMACION = {
    "id": INT,
    "num_reprogramacion": INT_N,
    "estatus": INT,
    "fecha_inicio_programado": DATE_N,
    "fecha_termino_programado": DATE_N,
    "monto_mxn": MONEY,
    "monto_usd": MONEY,
}
OT_FILA = {
    "id": INT,
    "orden_trabajo": STR,
    "oficio_ot": STR_N,
    "id_tipo": INT,
    "tipo": STR_N,
    "descripcion_trabajo": STR,
    "responsable_cliente": STR,
    "id_responsable_proyecto": INT_N,
    "responsable_proyecto": STR_N,
    "id_cliente": INT_N,
    "cliente": STR_N,
    "id_frente": INT_N,
    "frente": STR_N,
    "sitio": STR_N,
    "id_pte_header": INT_N,
    "pte_padre": STR_N,
    "id_estatus_ot": INT_N,
    "estatus_ot": STR_N,
    "estatus": INT,
    "fecha_inicio_programado": DATE_N,
    "fecha_termino_programado": DATE_N,
    "fecha_inicio_real": DATE_N,
    "fecha_termino_real": DATE_N,
    "monto_mxn": MONEY,
    "monto_usd": MONEY,
    "ot_principal": INT_N,
    "num_reprogramacion": INT_N,
    "reprogramaciones": {**INT_N, "description": "Versiones activas de una OT inicial; null en una versión."},
    "pasos_completados": INT,
    "pasos_total": INT,
    "version": INT,
}
PASO = {"id": INT, "id_paso": INT, "paso": STR, "estatus_paso": INT, "comentario": STR}
CATALOGO = {"id": INT, "nombre": STR, "activo": BOOL}
PTE = {
    "id": INT,
    "oficio_pte": STR,
    "descripcion": STR_N,
    "id_cliente": INT_N,
    "id_estatus_pte": INT_N,
    "aprobada": BOOL,
}

PTE_DATOS = {
    "id": INT,
    "oficio_pte": STR,
    "descripcion": STR,
    "id_cliente": INT_N,
    "cliente": STR_N,
    "responsable_proyecto": INT_N,
    "fecha_solicitud": DATE_N,
    "plazo_dias": INT,
    "monto_mxn": MONEY,
    "monto_usd": MONEY,
    "id_estatus_pte": INT,
    "estatus_pte": STR_N,
    "estatus": INT,
    "version": INT,
}

ERRORES = {
    "type": "object",
    "additionalProperties": {"type": "string"},
    "description": "Mensaje por campo, con los nombres de campo de la solicitud.",
}
SCHEMAS = {
    "TipoAviso": {"type": "string", "enum": ["exito", "error", "advertencia"]},
    "Exito": _envelope(True, ["exito", "advertencia"]),
    "Error": _envelope(False, ["error", "advertencia"], {"errores": ERRORES}),
    "Conflicto": _envelope(
        False,
        ["error", "advertencia"],
        {
            "errores": ERRORES,
            "quien": {**STR, "description": "Quién guardó la OT por última vez."},
            "cuando": {**STR_N, "format": "date-time", "description": "Cuándo (UTC, ISO 8601)."},
            "version_actual": {**INT_N, "description": "La versión guardada; reenvíe con ella."},
            "datos": {"anyOf": [{"$ref": REF + "OTDatos"}, {"type": "null"}]},
        },
    ),
    "OTDatos": _object(OT_DATOS),
    "Reprogramacion": _object(REPROGRAMACION),
    "OTFila": _object(OT_FILA),
    "Paso": _object(PASO),
    "Catalogo": _object(CATALOGO),
    "PTE": _object(PTE),
    "PTEDatos": _object(PTE_DATOS),
    "PTEObtenerRespuesta": _envelope(True, ["exito"], {"datos": {"$ref": REF + "PTEDatos"}}, ["datos"]),
    "CreadaRespuesta": _envelope(True, ["exito", "advertencia"], {"id_nuevo": INT}, ["id_nuevo"]),
    "EditadaRespuesta": _envelope(True, ["exito", "advertencia"], {"version": INT}, ["version"]),
    "OTRespuesta": _envelope(True, ["exito"], {"datos": {"$ref": REF + "OTDatos"}}, ["datos"]),
    "ListaRespuesta": _envelope(
        True,
        ["exito"],
        {
            "datos": {"type": "array", "items": {"$ref": REF + "OTFila"}},
            "total": INT,
            "page": INT,
            "per_page": INT,
        },
        ["datos", "total", "page", "per_page"],
    ),
    "PasosRespuesta": _envelope(
        True, ["exito"], {"datos": {"type": "array", "items": {"$ref": REF + "Paso"}}}, ["datos"]
    ),
    "CatalogoRespuesta": _envelope(
        True, ["exito"], {"datos": {"type": "array", "items": {"$ref": REF + "Catalogo"}}}, ["datos"]
    ),
    "PTERespuesta": _envelope(
        True, ["exito"], {"datos": {"type": "array", "items": {"$ref": REF + "PTE"}}}, ["datos"]
    ),
}

ERROR_TEXT = {
    400: "Solicitud no válida: campo faltante o con formato incorrecto, JSON mal formado, tipo de "
    "contenido no admitido, un carácter nulo o texto que no es UTF-8. `errores` dice qué campo y por qué.",
    401: "Sin token o con un token no válido (`Authorization: Bearer <token>`).",
    403: "El rol del usuario no permite la acción (un lector solo consulta).",
    404: "No existe el registro pedido.",
    409: "Conflicto: alguien guardó antes (`quien`, `cuando`, `version_actual`), o el estado de la OT no "
    "permite la acción.",
    413: "El cuerpo de la solicitud es demasiado grande.",
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


def _query(name: str, schema: dict, description: str, required: bool = False, example=None) -> dict:
    out = {"name": name, "in": "query", "required": required, "description": description, "schema": schema}
    if example is not None:
        out["example"] = example
    return out


ID_QUERY = {"type": "integer", "minimum": 1, "maximum": ID_MAX}
# The seed's create form (an initial OT on land); ids as in a fresh database with one PTE.
EXAMPLE_OT = {
    "orden_trabajo": "OT-GRZ-001-26-016.7-J-NHA",
    "oficio_ot": "PEP-SAP-0001-2026",
    "id_tipo": "4",
    "descripcion_trabajo": "Rehabilitación de línea de descarga de 8 pulgadas",
    "comentario_general": "",
    "responsable_cliente": "Ing. Laura Méndez",
    "responsable_proyecto": "1",
    "id_pte_header": "1",
    "id_frente": "1",
    "id_patio": "1",
    "monto_mxn": "1,234,567.50",
    "monto_usd": "0",
    "plazo_dias": "45",
    "fecha_inicio_programado": "2026-02-01",
    "fecha_termino_programado": "2026-03-17",
}
WRITE_CODES = (400, 401, 403, 404, 409, 413)
ORDENES = sorted(SORTS) + sorted(f"-{name}" for name in SORTS)


EXAMPLE_PTE = {
    "oficio_pte": "PEP-PTE-0100-2026",
    "descripcion": "Mantenimiento integral a ductos de recolección",
    "id_cliente": "1",
    "responsable_proyecto": "1",
    "fecha_solicitud": "2026-03-01",
    "plazo_dias": "90",
    "monto_mxn": "1,500,000.00",
    "monto_usd": "0",
}
PTE_PATHS = {
    "/api/pte/crear": {
        "post": {
            "operationId": "pte_crear",
            "tags": ["PTE"],
            "summary": "Crear una PTE (queda En elaboración)",
            "description": "Rol editor. `oficio_pte` es único (sin distinguir mayúsculas ni espacios).",
            "requestBody": _body(
                PTEForm,
                exclude=("id", "version"),
                description="Los datos de la PTE.",
                examples={"pte": ("Una PTE nueva", EXAMPLE_PTE)},
            ),
            "responses": _responses("CreadaRespuesta", "PTE creada.", (400, 401, 403, 409, 413)),
        }
    },
    "/api/pte/editar": {
        "post": {
            "operationId": "pte_editar",
            "tags": ["PTE"],
            "summary": "Editar una PTE: un campo ausente conserva su valor",
            "description": "Rol editor. Con `version` distinta de la guardada: 409 con quién y cuándo guardó.",
            "requestBody": _body(
                PTEForm,
                required_extra=("id",),
                partial=True,
                description="`id` y los campos a cambiar.",
                examples={"plazo": ("Solo el plazo", {"id": "1", "plazo_dias": "120"})},
            ),
            "responses": _responses("EditadaRespuesta", "PTE actualizada (o sin cambios).", WRITE_CODES),
        }
    },
    "/api/pte/obtener": {
        "get": {
            "operationId": "pte_obtener",
            "tags": ["PTE"],
            "summary": "Datos de una PTE",
            "parameters": [_query("id", ID_QUERY, "ID de la PTE.", required=True, example=1)],
            "responses": _responses("PTEObtenerRespuesta", "La PTE.", (400, 401, 404)),
        }
    },
    "/api/pte/eliminar": {
        "post": {
            "operationId": "pte_eliminar",
            "tags": ["PTE"],
            "summary": "Eliminación lógica de una PTE (no si tiene OT activas)",
            "description": "Rol editor.",
            "requestBody": _id_body("El `id` de la PTE.", "1"),
            "responses": _responses("Exito", "PTE eliminada.", WRITE_CODES),
        }
    },
    "/api/pte/estatus": {
        "post": {
            "operationId": "pte_estatus",
            "tags": ["PTE"],
            "summary": "Cambiar el estatus: En elaboración → Enviada → Aprobada; Cancelada desde las dos primeras",
            "description": "Rol editor. Una transición no permitida es un 400 que dice a cuáles sí puede pasar.",
            "requestBody": _body(
                PTEStatusForm,
                required_extra=("id", "id_estatus_pte"),
                description="`id`, el nuevo `id_estatus_pte` (1-4) y, opcional, `version`.",
                examples={"enviar": ("Enviar la PTE", {"id": "1", "id_estatus_pte": "2"})},
            ),
            "responses": _responses("EditadaRespuesta", "Estatus cambiado.", WRITE_CODES),
        }
    },
}


def build_document() -> dict:
    paths = {
        "/api/ot/crear": {
            "post": {
                "operationId": "ot_crear",
                "tags": ["OT"],
                "summary": "Crear una OT inicial (tipo 4) o una reprogramación (tipo 5) con sus pasos",
                "description": "Rol editor. Con `id_tipo=5` se requiere `ot_principal`. `por_definir=on` la "
                "crea con estatus -1. Responde `id_nuevo`; `tipo_aviso: advertencia` si quedó sin pasos.",
                "requestBody": _body(
                    OTForm,
                    exclude=("id", "version"),
                    description="Los campos del sistema anterior.",
                    examples={
                        "ot_inicial_en_tierra": (
                            "Una OT inicial en tierra, como la envía el sistema anterior",
                            EXAMPLE_OT,
                        )
                    },
                ),
                "responses": _responses("CreadaRespuesta", "OT creada.", (400, 401, 403, 409, 413)),
            }
        },
        "/api/ot/editar": {
            "post": {
                "operationId": "ot_editar",
                "tags": ["OT"],
                "summary": "Editar una OT: un campo ausente conserva su valor; uno opcional vacío se borra",
                "description": "Rol editor. Si se envía `version` y no coincide con la guardada, nada se guarda "
                "y la respuesta es 409 con quién y cuándo guardó.",
                "requestBody": _body(
                    OTForm,
                    required_extra=("id",),
                    partial=True,
                    description="`id` y los campos a cambiar.",
                    examples={
                        "cambiar_montos": (
                            "Solo los campos que cambian",
                            {"id": "1", "monto_mxn": "2,500,000.00", "comentario_general": "Ajuste de monto"},
                        ),
                        "todo_el_formulario": ("El formulario completo", {"id": "1", **EXAMPLE_OT}),
                    },
                ),
                "responses": _responses("EditadaRespuesta", "OT actualizada (o sin cambios).", WRITE_CODES),
            }
        },
        "/api/ot/obtener": {
            "get": {
                "operationId": "ot_obtener",
                "tags": ["OT"],
                "summary": "Datos de una OT con las llaves del sistema anterior",
                "parameters": [_query("id", ID_QUERY, "ID de la OT.", required=True, example=1)],
                "responses": _responses("OTRespuesta", "La OT.", (400, 401, 404)),
            }
        },
        "/api/ot/eliminar": {
            "post": {
                "operationId": "ot_eliminar",
                "tags": ["OT"],
                "summary": "Eliminar (lógicamente) una OT",
                "description": "Rol editor. Una OT inicial con reprogramaciones activas no se elimina (409).",
                "requestBody": _id_body("`id` de la OT.", "3"),
                "responses": _responses("Exito", "OT eliminada.", WRITE_CODES),
            }
        },
        "/api/ot/restaurar": {
            "post": {
                "operationId": "ot_restaurar",
                "tags": ["OT"],
                "summary": "Restaurar una OT eliminada",
                "description": "Rol admin.",
                "requestBody": _id_body("`id` de la OT.", "3"),
                "responses": _responses("Exito", "OT restaurada.", WRITE_CODES),
            }
        },
        "/api/ot/listar": {
            "get": {
                "operationId": "ot_listar",
                "tags": ["OT"],
                "summary": "Buscar, filtrar, ordenar y paginar OT",
                "description": "Sin `estatus` lista las activas y las por definir; `estatus=0` (eliminadas) "
                "solo para un administrador.",
                "parameters": [
                    _query(
                        "q",
                        {"type": "string"},
                        "Texto en folio, oficio, descripción o responsable del cliente (se usan 200 caracteres).",
                    ),
                    _query(
                        "pte",
                        {"type": "string"},
                        "Parte del oficio de la PTE padre (se usan 100 caracteres).",
                    ),
                    *(_query(name, ID_QUERY, f"Filtra por {name}.") for name in LIST_INT_PARAMS),
                    _query(
                        "estatus",
                        {"type": "integer", "enum": [-1, 0, 1]},
                        "-1 por definir, 0 eliminadas, 1 activas.",
                    ),
                    _query("orden", {"type": "string", "enum": ORDENES}, "Columna; con - descendente."),
                    _query(
                        "page", {"type": "integer", "minimum": 1, "maximum": 1_000_000}, "Página (desde 1)."
                    ),
                    _query(
                        "per_page", {"type": "integer", "minimum": 1, "maximum": 200}, "Filas por página."
                    ),
                ],
                "responses": _responses("ListaRespuesta", "Una página de OT.", (400, 401, 403)),
            }
        },
        "/api/ot/pasos": {
            "get": {
                "operationId": "ot_pasos",
                "tags": ["OT"],
                "summary": "Los pasos de una OT, en orden",
                "parameters": [_query("id", ID_QUERY, "ID de la OT.", required=True, example=1)],
                "responses": _responses("PasosRespuesta", "Los pasos.", (400, 401, 404)),
            }
        },
        "/api/ot/paso/editar": {
            "post": {
                "operationId": "ot_paso_editar",
                "tags": ["OT"],
                "summary": "Cambiar el estatus (1–4) y/o el comentario de un paso",
                "description": "Rol editor. `id` es el ID del paso (de `/api/ot/pasos`).",
                "requestBody": _body(
                    StepForm,
                    description="`id` del paso, `estatus_paso` y/o `comentario`.",
                    examples={
                        "completar": (
                            "Marcar un paso completado",
                            {"id": "1", "estatus_paso": "3", "comentario": "Entregado"},
                        )
                    },
                ),
                "responses": _responses("Exito", "Paso actualizado (o sin cambios).", WRITE_CODES),
            }
        },
        "/api/catalogos/{nombre}": {
            "get": {
                "operationId": "catalogo",
                "tags": ["Catálogos"],
                "summary": "Un catálogo: [{id, nombre, activo}]",
                "parameters": [
                    {
                        "name": "nombre",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "string", "enum": list(CATALOGOS)},
                    }
                ],
                "responses": _responses("CatalogoRespuesta", "Las filas del catálogo.", (400, 401, 404)),
            }
        },
        "/api/pte/listar": {
            "get": {
                "operationId": "pte_listar",
                "tags": ["PTE"],
                "summary": "Las PTE activas; `aprobada=1` solo las aprobadas, `aprobada=0` las demás",
                "parameters": [
                    _query("aprobada", {"type": "string", "enum": ["0", "1"]}, "1 aprobadas, 0 no.")
                ],
                "responses": _responses("PTERespuesta", "Las PTE.", (400, 401)),
            }
        },
        **PTE_PATHS,
    }
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
            "schemas": SCHEMAS,
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
