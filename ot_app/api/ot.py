"""/api/ot: the seed's OT endpoints. Parse, call the orders service, answer with the envelope; each
route carries what the OpenAPI document says about it."""

from flask import request
from flask_login import current_user

from ..auth.security import requires_role
from ..envelope import envelope
from ..exports import FORMATS, MIMETYPES, download, export_format
from ..models import EstatusOTId, EstatusPasoId, FrenteId, Registro, TipoId
from ..orders import commands, export, read
from ..orders.forms import BULK_MAX, BulkForm, OTForm, OTStatusForm
from ..orders.query import LIST_INT_PARAMS, list_query_from_args
from ..orders.read import SORTS
from ..orders.serialize import Advertencia, Omitida, OTDatos, OTFila, Paso, Versiones
from ..service_errors import ValidationFailed
from . import steps as steps_api
from .request import body_id, body_values, query_id, read_form, validated
from .spec import (
    CREATE_CODES,
    EXITO,
    ID_QUERY,
    READ_CODES,
    WRITE_CODES,
    Answer,
    FormBody,
    IdBody,
    Param,
    operation,
)

TAG = "OT"
# The site conflicts a write leaves (warnings: an exclusive site refuses instead, as a 400 naming
# the site's field), in Spanish, one sentence each; the seed's `detalles` keeps its words.
CONFLICTOS = {"conflictos": list[str]}
OT_CREADA = Answer("OTCreadaRespuesta", ("exito", "advertencia"), extra={"id_nuevo": int, **CONFLICTOS})
OT_EDITADA = Answer("OTEditadaRespuesta", ("exito", "advertencia"), extra={"version": int, **CONFLICTOS})
# The seed's create form (an initial OT on land); ids as in a fresh database with one PTE.
EXAMPLE_OT = {
    "orden_trabajo": "OT-GRZ-001-26-016.7-J-NHA",
    "oficio_ot": "PEP-SAP-0001-2026",
    "id_tipo": str(TipoId.INICIAL.value),
    "descripcion_trabajo": "Rehabilitación de línea de descarga de 8 pulgadas",
    "comentario_general": "",
    "responsable_cliente": "Ing. Laura Méndez",
    "responsable_proyecto": "1",
    "id_pte_header": "1",
    "id_frente": str(FrenteId.TIERRA.value),
    "id_patio": "1",
    "monto_mxn": "1,234,567.50",
    "monto_usd": "0",
    "plazo_dias": "45",
    "fecha_inicio_programado": "2026-02-01",
    "fecha_termino_programado": "2026-03-17",
}
ORDENES = sorted(SORTS) + sorted(f"-{name}" for name in SORTS)
OT_ID = Param("id", ID_QUERY, "ID de la OT.", required=True, example=1)
# The list's filters and sort, shared by /ot/listar and /ot/exportar (one set of parameters).
LIST_PARAMS = (
    Param(
        "q",
        {"type": "string"},
        "Cada palabra en folio, oficio, descripción o responsable del cliente, o en el nombre del "
        "responsable de proyecto, la embarcación, la plataforma o el patio (se usan 200 caracteres).",
    ),
    Param("pte", {"type": "string"}, "Parte del oficio de la PTE padre (se usan 100 caracteres)."),
    *(Param(name, ID_QUERY, f"Filtra por {name}.") for name in LIST_INT_PARAMS),
    Param(
        "estatus",
        {"type": "integer", "enum": [r.value for r in Registro]},
        f"{Registro.POR_DEFINIR.value} por definir, {Registro.ELIMINADA.value} eliminadas, "
        f"{Registro.ACTIVA.value} activas.",
    ),
    Param(
        "vigentes",
        {"type": "integer", "enum": [0, 1]},
        "1: una fila por cadena, su versión vigente (con `reprogramaciones` de la cadena).",
    ),
    Param("orden", {"type": "string", "enum": ORDENES}, "Columna; con - descendente."),
)


@operation(
    "POST",
    "/ot/crear",
    tag=TAG,
    summary=f"Crear una OT inicial (tipo {TipoId.INICIAL.value}) o una reprogramación "
    f"(tipo {TipoId.REPROGRAMADA.value}) con sus pasos",
    description=f"Rol editor. Con `id_tipo={TipoId.REPROGRAMADA.value}` se requiere `ot_principal`. "
    f"`por_definir=on` la crea con estatus {Registro.POR_DEFINIR.value}. Responde `id_nuevo`; "
    "`tipo_aviso: advertencia` si quedó sin pasos.",
    body=FormBody(
        OTForm,
        "Los campos del sistema anterior.",
        exclude=("id", "version"),
        examples={
            "ot_inicial_en_tierra": (
                "Una OT inicial en tierra, como la envía el sistema anterior",
                EXAMPLE_OT,
            )
        },
    ),
    answer=OT_CREADA,
    ok="OT creada.",
    codes=CREATE_CODES,
)
@requires_role("editor")
def ot_crear():
    values, errors = read_form(OTForm)
    result = commands.create_order(values, current_user, errors)
    return envelope(
        True,
        result.detalles,
        tipo_aviso=result.tipo_aviso,
        id_nuevo=result.ot.id,
        conflictos=result.conflictos,
    )


@operation(
    "POST",
    "/ot/editar",
    tag=TAG,
    summary="Editar una OT: un campo ausente conserva su valor; uno opcional vacío se borra",
    description="Rol editor. Si se envía `version` y no coincide con la guardada, nada se guarda "
    "y la respuesta es 409 con quién y cuándo guardó.",
    body=FormBody(
        OTForm,
        "`id` y los campos a cambiar.",
        required=("id",),
        partial=True,
        examples={
            "cambiar_montos": (
                "Solo los campos que cambian",
                {"id": "1", "monto_mxn": "2,500,000.00", "comentario_general": "Ajuste de monto"},
            ),
            "todo_el_formulario": ("El formulario completo", {"id": "1", **EXAMPLE_OT}),
        },
    ),
    answer=OT_EDITADA,
    ok="OT actualizada (o sin cambios).",
    codes=WRITE_CODES,
)
@requires_role("editor")
def ot_editar():
    raw = body_values()
    if not raw.get("id", "").strip():  # before the form, which would only say the id is not valid
        raise ValidationFailed("ID del OT no proporcionado", {"id": "ID del OT no proporcionado"})
    values, errors = read_form(OTForm, partial=True, formdata=raw)
    result = commands.update_order(values, current_user, errors)
    return envelope(
        True,
        result.detalles,
        tipo_aviso=result.tipo_aviso,
        version=result.ot.version,
        conflictos=result.conflictos,
    )


@operation(
    "POST",
    "/ot/reprogramar",
    tag=TAG,
    summary="Reprogramar una OT: crear la versión n + 1 de su cadena, prellenada desde la vigente",
    description="Rol editor. `id` es la versión vigente de la cadena (o la OT inicial si no tiene "
    "versiones); `motivo` es obligatorio; cualquier campo de la OT que se envíe cambia, los demás se "
    "toman de la versión vigente (folio fijo; la PTE puede cambiar a otra aprobada; el inicio es el "
    "término programado de la versión anterior). Otra versión de la cadena, o una reprogramación "
    "simultánea que ganó, responde 409 con `vigente`. `advertencias` (regla del 25 % contra la "
    "original, inicio antes del término anterior, datos por definir) nunca impiden guardar.",
    body=FormBody(
        OTForm,
        "`id`, `motivo` y los campos que cambian.",
        required=("id", "motivo"),
        partial=True,
        examples={
            "ampliar_plazo": (
                "Nuevo plazo y monto, con su motivo y oficio",
                {
                    "id": "1",
                    "motivo": "Ampliación de alcance solicitada por el cliente",
                    "oficio_ot": "PEP-SAP-0002-2026",
                    "plazo_dias": "60",
                    "monto_mxn": "1,500,000.00",
                },
            )
        },
    ),
    answer=Answer(
        "ReprogramadaRespuesta",
        ("exito", "advertencia"),
        extra={
            "id_nuevo": int,
            "num_reprogramacion": int,
            "advertencias": list[Advertencia],
            **CONFLICTOS,
        },
    ),
    ok="Versión creada (`tipo_aviso: advertencia` cuando trae advertencias).",
    codes=WRITE_CODES,
)
@requires_role("editor")
def ot_reprogramar():
    raw = body_values()
    if not raw.get("id", "").strip():
        raise ValidationFailed("ID de la OT no proporcionado", {"id": "ID de la OT no proporcionado"})
    result = commands.reprogram_order(validated(OTForm, partial=True, formdata=raw), current_user)
    return envelope(
        True,
        result.detalles,
        tipo_aviso=result.tipo_aviso,
        id_nuevo=result.ot.id,
        num_reprogramacion=result.ot.num_reprogramacion,
        advertencias=[Advertencia.json_of_row(a) for a in result.advertencias],
        conflictos=result.conflictos,
    )


@operation(
    "GET",
    "/ot/obtener",
    tag=TAG,
    summary="Datos de una OT con las llaves del sistema anterior",
    parameters=(OT_ID,),
    answer=Answer("OTRespuesta", datos=OTDatos),
    ok="La OT.",
    codes=READ_CODES,
)
def ot_obtener():
    ot = read.get_order(query_id("id", message="ID del OT no proporcionado"))
    return envelope(True, "OT encontrada", datos=OTDatos.from_model(ot, read.chain_of(ot)).to_json())


@operation(
    "GET",
    "/ot/versiones",
    tag=TAG,
    summary="El linaje de la cadena de una OT: cada versión con sus cambios y advertencias",
    description="`id` de cualquier miembro de la cadena. Cada versión (R0 la OT inicial) trae sus "
    "cambios contra la anterior y contra la original (`{campo: {de, a, diferencia, porcentaje}}`) y "
    "sus advertencias (regla del 25 %, inicio antes del término anterior, datos por definir). Las "
    "versiones eliminadas no forman parte del linaje.",
    parameters=(OT_ID,),
    answer=Answer("VersionesRespuesta", datos=Versiones),
    ok="El linaje.",
    codes=READ_CODES,
)
def ot_versiones():
    ot = read.get_order(query_id("id", message="ID del OT no proporcionado"))
    lineage = read.versions_of(ot)
    return envelope(
        True, f"{len(lineage.versiones)} versiones", datos=Versiones.from_lineage(lineage).to_json()
    )


@operation(
    "POST",
    "/ot/eliminar",
    tag=TAG,
    summary="Eliminar (lógicamente) una OT",
    description="Rol editor. Una OT inicial con reprogramaciones activas no se elimina (409).",
    body=IdBody("`id` de la OT.", "3"),
    answer=EXITO,
    ok="OT eliminada.",
    codes=WRITE_CODES,
)
@requires_role("editor")
def ot_eliminar():
    result = commands.delete_order(body_id("ID de la OT no proporcionado"), current_user)
    return envelope(True, result.detalles)


@operation(
    "POST",
    "/ot/restaurar",
    tag=TAG,
    summary="Restaurar una OT eliminada",
    description="Rol admin.",
    body=IdBody("`id` de la OT.", "3"),
    answer=EXITO,
    ok="OT restaurada.",
    codes=WRITE_CODES,
)
@requires_role("admin")
def ot_restaurar():
    result = commands.restore_order(body_id("ID de la OT no proporcionado"), current_user)
    return envelope(True, result.detalles)


@operation(
    "GET",
    "/ot/listar",
    tag=TAG,
    summary="Buscar, filtrar, ordenar y paginar OT",
    description="Sin `estatus` lista las activas y las por definir; "
    f"`estatus={Registro.ELIMINADA.value}` (eliminadas) solo para un administrador.",
    parameters=(
        *LIST_PARAMS,
        Param("page", {"type": "integer", "minimum": 1, "maximum": 1_000_000}, "Página (desde 1)."),
        Param("per_page", {"type": "integer", "minimum": 1, "maximum": 200}, "Filas por página."),
    ),
    answer=Answer("ListaRespuesta", datos=list[OTFila], extra={"total": int, "page": int, "per_page": int}),
    ok="Una página de OT.",
    codes=(400, 401, 403),
)
def ot_listar():
    page = read.list_orders(list_query_from_args(request.args), current_user)
    return envelope(
        True,
        f"{page.total} OT encontradas",
        datos=[OTFila.json_of_row(item) for item in page.items],
        total=page.total,
        page=page.page,
        per_page=page.per_page,
    )


@operation(
    "GET",
    "/ot/exportar",
    tag=TAG,
    summary="Exportar la lista de OT (todas las páginas) a xlsx o CSV",
    description="Los mismos filtros y orden que `/ot/listar`, sin paginar; se envía en flujo (sin "
    "cargar la lista en memoria). Encabezado, paneles fijos, importes como números con dos decimales, "
    "fechas como fechas; CSV en UTF-8 con BOM. Un texto que empieza con `=`, `+`, `-`, `@`, tabulador "
    "o retorno se neutraliza.",
    parameters=(
        *LIST_PARAMS,
        Param("formato", {"type": "string", "enum": list(FORMATS)}, "xlsx por omisión."),
    ),
    answer=Answer("ExportacionOT", media=MIMETYPES),
    ok="El archivo.",
    codes=(400, 401, 403),
)
def ot_exportar():
    formato = export_format(request.args)
    nombre, sheet, columns, rows = export.export_orders(list_query_from_args(request.args), current_user)
    return download(nombre, formato, sheet, columns, rows)


@operation(
    "GET",
    "/ot/pasos",
    tag=TAG,
    summary="Los pasos de una OT, en orden",
    parameters=(OT_ID,),
    answer=Answer("PasosRespuesta", datos=list[Paso]),
    ok="Los pasos.",
    codes=READ_CODES,
)
def ot_pasos():
    ot_id = query_id("id", message="ID del OT no proporcionado")
    read.get_order(ot_id)  # 404 when unknown
    pasos = [Paso.json_of_row(p) for p in read.steps_of(ot_id)]
    return envelope(True, f"{len(pasos)} pasos", datos=pasos)


@operation(
    "POST",
    "/ot/estatus",
    tag=TAG,
    summary="Cambiar el estatus de una OT, con las fechas reales que eso marca",
    description="Rol editor. Pasar a Terminada pone `fecha_termino_real` (`fecha`, hoy si no se "
    "envía) y dejar Terminada la borra; pasar a En ejecución pone `fecha_inicio_real` si está vacía. "
    "`comentario` (opcional) queda en el historial del cambio, nunca sobre el comentario general de la "
    "OT. Con `version` distinta de la guardada responde 409.",
    body=FormBody(
        OTStatusForm,
        "`id` de la OT, `id_estatus_ot` y, opcionales, `fecha`, `comentario`, `version`.",
        examples={
            "terminar": (
                "Terminar una OT ayer",
                {
                    "id": "1",
                    "id_estatus_ot": str(EstatusOTId.TERMINADA.value),
                    "fecha": "2026-11-30",
                    "comentario": "Acta de entrega firmada",
                },
            )
        },
    ),
    answer=OT_EDITADA,
    ok="Estatus cambiado.",
    codes=WRITE_CODES,
)
@requires_role("editor")
def ot_estatus():
    result = commands.change_status(validated(OTStatusForm), current_user)
    return envelope(
        True,
        result.detalles,
        tipo_aviso=result.tipo_aviso,
        version=result.ot.version,
        conflictos=result.conflictos,
    )


@operation(
    "POST",
    "/ot/masivo",
    tag=TAG,
    summary="Una acción sobre varias OT a la vez: cambiar su estatus o su responsable de proyecto",
    description="Rol editor. `accion`: `estatus` (con `id_estatus_ot` y, opcionales, `fecha` y "
    "`comentario`, las mismas reglas que `/api/ot/estatus`) o `responsable` (con "
    f"`responsable_proyecto`). `ots`: hasta {BULK_MAX} OT separadas por comas, cada una `ID` o "
    "`ID:versión`; con la versión, una OT que otra persona cambió entretanto se omite, nunca se "
    "sobrescribe. Todo en una transacción; cada OT omitida viene en `omitidas` con su motivo "
    "(`tipo_aviso: advertencia`), las cambiadas en `cambiadas`. Una fila de historial por OT.",
    body=FormBody(
        BulkForm,
        "`accion`, `ots` y el nuevo valor.",
        examples={
            "terminar_dos": (
                "Terminar dos OT, comprobando la versión que se vio",
                {"accion": "estatus", "ots": "12:3,15:1", "id_estatus_ot": str(EstatusOTId.TERMINADA.value)},
            ),
            "reasignar": (
                "Reasignar el responsable",
                {"accion": "responsable", "ots": "12,15", "responsable_proyecto": "2"},
            ),
        },
    ),
    answer=Answer(
        "MasivoRespuesta", ("exito", "advertencia"), extra={"cambiadas": list[int], "omitidas": list[Omitida]}
    ),
    ok="La acción se aplicó (las OT omitidas, con su motivo).",
    codes=WRITE_CODES,
)
@requires_role("editor")
def ot_masivo():
    result = commands.bulk_change(validated(BulkForm), current_user)
    return envelope(
        True,
        result.detalles,
        tipo_aviso=result.tipo_aviso,
        cambiadas=result.cambiadas,
        omitidas=[Omitida(**o).to_json() for o in result.omitidas],
    )


# --------------------------------------------------------------------------- steps: edit, deliverable file

steps_api.register(
    "ot",
    TAG,
    commands,
    read,
    example=(
        "Marcar un paso completado",
        {"id": "1", "estatus_paso": str(EstatusPasoId.COMPLETADO.value), "comentario": "Entregado"},
    ),
)
