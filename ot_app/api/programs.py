"""/api/ot/programa: an OT version's execution program (issue 19): read it (any revision), its
revisions, two revisions compared, and save a typed one. Parse, call the schedules service,
answer with the envelope."""

from flask import request
from flask_login import current_user

from ..auth.security import requires_role
from ..envelope import envelope
from ..errors import fail
from ..fields import parse_id
from ..input_guard import check_text
from ..schedules import commands, forms, read
from ..schedules.serialize import (
    ComparacionPrograma,
    ProgramaDatos,
    ProgramaGuardado,
    RevisionPrograma,
    comparison_json,
    program_json,
    revision_shape,
)
from ..service_errors import ValidationFailed
from .request import query_id
from .spec import ID_QUERY, READ_CODES, WRITE_CODES, Answer, JsonBody, Param, operation

TAG = "OT"
OT_ID = Param("id", ID_QUERY, "ID de la versión de la OT.", required=True, example=1)
_TEXT = {"type": "string", "maxLength": 300}
ROW_SCHEMA = {
    "type": "object",
    "properties": {
        "id": {
            "type": ["integer", "string"],
            "description": "Id de una fila de la revisión de partida (GET): conserva su distribución y sus claves.",
        },
        "nivel": {
            "type": ["integer", "string"],
            "enum": [1, 2, "1", "2"],
            "description": "1: fase; 2: actividad.",
        },
        "wbs": {"type": "string", "maxLength": 40},
        "nombre": _TEXT,
        "es_patio": {"type": "boolean"},
        "inicio": {"type": ["string", "null"], "format": "date"},
        "fin": {"type": ["string", "null"], "format": "date"},
        "monto_mxn": {"type": "string", "description": "Importe con a lo más dos decimales."},
        "monto_usd": {"type": "string"},
        "peso_mxn": {
            "type": ["string", "null"],
            "description": "Vacío o null: el de omisión (importe ÷ total).",
        },
        "peso_usd": {"type": ["string", "null"]},
        "peso_editado_mxn": {
            "type": "boolean",
            "description": "false: peso_mxn es el de omisión y lo sigue siendo (la respuesta del GET de vuelta).",
        },
        "peso_editado_usd": {"type": "boolean"},
        "perfil": {"type": "string", "enum": ["lineal", "inicio", "final", "campana"]},
        "claves_anexo": {"type": ["array", "null"], "items": {"type": "string"}},
    },
    "required": ["nombre"],
}
BODY = JsonBody(
    "`id` de la versión, `revision` de la que se partió (0 si no tenía programa; otra posterior "
    "responde 409), `actividades` (fases nivel 1 y sus actividades nivel 2, en orden) y `ligas` fin a "
    "inicio entre índices de `actividades` (desde 0), con `retraso_dias`.",
    {
        "type": "object",
        "properties": {
            "id": {"type": "integer", "minimum": 1},
            "revision": {"type": ["integer", "null"], "minimum": 0},
            "comentario": {"type": "string", "maxLength": 2000},
            "actividades": {"type": "array", "items": ROW_SCHEMA, "maxItems": forms.MAX_FILAS},
            "ligas": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "predecesora": {"type": "integer", "minimum": 0},
                        "sucesora": {"type": "integer", "minimum": 0},
                        "retraso_dias": {"type": "integer"},
                    },
                    "required": ["predecesora", "sucesora"],
                },
            },
        },
        "required": ["id", "actividades"],
    },
    example={
        "id": 1,
        "revision": 0,
        "actividades": [
            {"nivel": 1, "nombre": "Ingeniería"},
            {
                "nivel": 2,
                "nombre": "Levantamiento",
                "inicio": "2026-02-02",
                "fin": "2026-02-10",
                "monto_mxn": "100000.00",
            },
            {
                "nivel": 2,
                "nombre": "Ingeniería de detalle",
                "inicio": "2026-02-11",
                "fin": "2026-02-25",
                "monto_mxn": "200000.00",
                "monto_usd": "1000.00",
            },
        ],
        "ligas": [{"predecesora": 1, "sucesora": 2, "retraso_dias": 0}],
    },
)


@operation(
    "GET",
    "/ot/programa",
    tag=TAG,
    summary="El programa de ejecución de una versión de OT: actividades, pesos, ligas, revisión y totales",
    description="La revisión vigente, u otra con `revision`. Importes y porcentajes como texto con "
    "dos decimales; una fase lleva la suma de sus actividades. `congelado`: la versión ya fue "
    "reprogramada y su programa es la línea base.",
    parameters=(OT_ID, Param("revision", ID_QUERY, "Número de revisión (la vigente si se omite).")),
    answer=Answer("ProgramaRespuesta", datos=ProgramaDatos),
    ok="El programa (`revision: null` si la versión no tiene).",
    codes=READ_CODES,
)
def ot_programa():
    ot_id = query_id("id", message="ID de la OT no proporcionado")
    p = read.program(ot_id, query_id("revision", required=False))
    return envelope(
        True, "Programa encontrado" if p.revision else "La OT no tiene programa", datos=program_json(p)
    )


@operation(
    "GET",
    "/ot/programa/revisiones",
    tag=TAG,
    summary="Las revisiones del programa de una versión de OT, la más reciente primero",
    parameters=(OT_ID,),
    answer=Answer("RevisionesProgramaRespuesta", datos=list[RevisionPrograma]),
    ok="Las revisiones (lista vacía si no tiene programa).",
    codes=READ_CODES,
)
def ot_programa_revisiones():
    ot_id = query_id("id", message="ID de la OT no proporcionado")
    read.get_ot(ot_id)
    datos = [revision_shape(r).to_json() for r in read.revisions(ot_id)]
    return envelope(True, f"{len(datos)} revisión(es)", datos=datos)


@operation(
    "GET",
    "/ot/programa/comparar",
    tag=TAG,
    summary="Comparar dos revisiones del programa de una versión de OT (por EDT, o por nombre)",
    description="Por omisión la anterior (`a`) contra la vigente (`b`). `cambiadas` trae fechas, "
    "importes, pesos, nivel o perfil con su antes y después.",
    parameters=(
        OT_ID,
        Param("a", ID_QUERY, "Revisión anterior."),
        Param("b", ID_QUERY, "Revisión posterior (la vigente si se omite)."),
    ),
    answer=Answer("ComparacionProgramaRespuesta", datos=ComparacionPrograma),
    ok="Agregadas, eliminadas y cambiadas.",
    codes=READ_CODES,
)
def ot_programa_comparar():
    ot_id = query_id("id", message="ID de la OT no proporcionado")
    c = read.compare(ot_id, query_id("a", required=False), query_id("b", required=False))
    return envelope(True, "Comparación de revisiones", datos=comparison_json(c))


def _strings_checked(value, name="actividades"):
    """Every text in the body storable (no NUL, valid UTF-8), as in every other body."""
    if isinstance(value, str):
        check_text("campo", name, value)
    elif isinstance(value, dict):
        for key, item in value.items():
            check_text("campo", key, "")
            _strings_checked(item, key)
    elif isinstance(value, list):
        for item in value:
            _strings_checked(item, name)


def _body() -> dict:
    if request.mimetype != "application/json":
        fail(400, "Envíe el programa como application/json.")
    try:
        data = request.get_json(silent=True)
    except RecursionError:
        data = None
    if not isinstance(data, dict):
        fail(400, "El cuerpo JSON debe ser un objeto con id, revision, actividades y ligas.")
    _strings_checked(data)
    return data


def _int_or_none(data: dict, key: str, message: str) -> int | None:
    value = data.get(key)
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise ValidationFailed.from_errors({key: message})
    try:
        number = int(str(value).strip())
    except ValueError:
        raise ValidationFailed.from_errors({key: message}) from None
    if not 0 <= number <= 2_147_483_647:
        raise ValidationFailed.from_errors({key: message})
    return number


@operation(
    "POST",
    "/ot/programa",
    tag=TAG,
    summary="Guardar el programa de una versión de OT como su siguiente revisión",
    description="Rol editor. Solo JSON. Pesos vacíos: importe ÷ total por moneda (suman 100.00); los "
    "capturados se conservan. Todos los errores de una vez en `errores` (llaves "
    "`actividades.<i>.<campo>`, `ligas.<j>`, `peso_mxn`, `peso_usd`). Fechas fuera del periodo "
    "programado de la versión: `advertencias`, nunca impiden guardar. Una versión ya reprogramada "
    "responde 409 (su programa es la línea base).",
    body=BODY,
    answer=Answer("ProgramaGuardadoRespuesta", ("exito", "advertencia"), datos=ProgramaGuardado),
    ok="La revisión guardada y sus advertencias.",
    codes=WRITE_CODES,
)
@requires_role("editor")
def ot_programa_guardar():
    data = _body()
    raw_id = data.get("id")
    if raw_id in (None, ""):
        raise ValidationFailed.from_errors({"id": "ID de la OT no proporcionado"})
    try:
        if isinstance(raw_id, bool) or not isinstance(raw_id, (int, str)):
            raise ValueError
        ot_id = parse_id(str(raw_id))
    except ValueError:
        raise ValidationFailed.from_errors({"id": "ID de la OT no válido"}) from None
    expected = _int_or_none(
        data, "revision", "revision es el número de la revisión de la que partió (0 si no había)."
    )
    actividades, ligas = data.get("actividades"), data.get("ligas") or []
    if not isinstance(actividades, list) or not isinstance(ligas, list):
        raise ValidationFailed.from_errors({"actividades": "actividades y ligas son listas."})
    comentario = data.get("comentario") or ""
    if not isinstance(comentario, str):
        raise ValidationFailed.from_errors({"comentario": "comentario es texto."})
    read.get_ot(ot_id)
    base = read.revision(ot_id) if expected else None
    lectura = forms.read_rows(actividades, ligas, base=base if base and base.n == expected else None)
    try:
        saved = commands.save_program(
            ot_id,
            lectura.plan,
            current_user,
            expected_n=expected,
            comentario=comentario[:2000],
            field_errors=lectura.errores,
        )
    except ValidationFailed as err:
        raise lectura.beside_cells(err) from None
    n = saved.revision.n
    detalles = f"Programa guardado como revisión {n}"
    if saved.advertencias:
        detalles += f", con {len(saved.advertencias)} advertencia(s)"
    return envelope(
        True,
        detalles,
        tipo_aviso="advertencia" if saved.advertencias else "exito",
        datos=ProgramaGuardado(ot_id, n, saved.advertencias).to_json(),
    )
