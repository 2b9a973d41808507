"""/api/pte: the same envelope and the same services as the PTE pages; each route carries what the
OpenAPI document says about it."""

from flask import request
from flask_login import current_user

from ..auth.security import requires_role
from ..envelope import envelope
from ..errors import fail
from ..models import EstatusPasoId, EstatusPTEId, FrenteId, Registro
from ..orders.forms import OTForm
from ..pte import commands, read
from ..pte.forms import PTEForm, PTEStatusForm
from ..pte.serialize import PasoPTE, PTEDatos, PTEFila
from ..service_errors import ValidationFailed
from . import steps as steps_api
from .request import body_id, body_values, query_id, validated
from .spec import (
    CREADA,
    CREATE_CODES,
    EDITADA,
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

TAG = "PTE"
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
APROBADA = {"1": True, "0": False, "": None}  # ?aprobada= → read.active_ptes(aprobada)


@operation(
    "GET",
    "/pte/listar",
    tag=TAG,
    summary="Las PTE activas; `aprobada=1` solo las aprobadas, `aprobada=0` las demás",
    parameters=(Param("aprobada", {"type": "string", "enum": ["0", "1"]}, "1 aprobadas, 0 no."),),
    answer=Answer("PTERespuesta", datos=list[PTEFila]),
    ok="Las PTE.",
    codes=(400, 401),
)
def pte_listar():
    aprobada = request.args.get("aprobada", "").strip()
    if aprobada not in APROBADA:
        fail(400, "El parámetro aprobada debe ser 1 o 0.")
    rows = [PTEFila.json_of_row(r) for r in read.active_ptes(APROBADA[aprobada])]
    return envelope(True, f"{len(rows)} PTE", datos=rows)


@operation(
    "POST",
    "/pte/crear",
    tag=TAG,
    summary="Crear una PTE (queda En elaboración)",
    description="Rol editor. `oficio_pte` es único (sin distinguir mayúsculas ni espacios).",
    body=FormBody(
        PTEForm,
        "Los datos de la PTE.",
        exclude=("id", "version"),
        examples={"pte": ("Una PTE nueva", EXAMPLE_PTE)},
    ),
    answer=CREADA,
    ok="PTE creada.",
    codes=CREATE_CODES,
)
@requires_role("editor")
def pte_crear():
    result = commands.create_pte(validated(PTEForm), current_user)
    return envelope(True, result.detalles, id_nuevo=result.pte.id)


@operation(
    "POST",
    "/pte/editar",
    tag=TAG,
    summary="Editar una PTE: un campo ausente conserva su valor",
    description="Rol editor. Con `version` distinta de la guardada: 409 con quién y cuándo guardó.",
    body=FormBody(
        PTEForm,
        "`id` y los campos a cambiar.",
        required=("id",),
        partial=True,
        examples={"plazo": ("Solo el plazo", {"id": "1", "plazo_dias": "120"})},
    ),
    answer=EDITADA,
    ok="PTE actualizada (o sin cambios).",
    codes=WRITE_CODES,
)
@requires_role("editor")
def pte_editar():
    values = validated(PTEForm, partial=True)
    if not values.get("id"):
        raise ValidationFailed("ID de la PTE no proporcionado", {"id": "ID de la PTE no proporcionado"})
    result = commands.update_pte(values, current_user)
    return envelope(True, result.detalles, tipo_aviso=result.tipo_aviso, version=result.pte.version)


@operation(
    "GET",
    "/pte/obtener",
    tag=TAG,
    summary="Datos de una PTE",
    parameters=(Param("id", ID_QUERY, "ID de la PTE.", required=True, example=1),),
    answer=Answer("PTEObtenerRespuesta", datos=PTEDatos),
    ok="La PTE.",
    codes=READ_CODES,
)
def pte_obtener():
    pte = read.get_pte(query_id("id", message="ID de la PTE no proporcionado"))
    return envelope(True, "PTE encontrada", datos=PTEDatos.from_model(pte).to_json())


@operation(
    "POST",
    "/pte/eliminar",
    tag=TAG,
    summary="Eliminación lógica de una PTE (no si tiene OT activas)",
    description="Rol editor.",
    body=IdBody("El `id` de la PTE.", "1"),
    answer=EXITO,
    ok="PTE eliminada.",
    codes=WRITE_CODES,
)
@requires_role("editor")
def pte_eliminar():
    values = validated(PTEStatusForm, partial=True)
    result = commands.delete_pte(values.get("id"), current_user)
    return envelope(True, result.detalles)


_ESTATUS_MIN, _ESTATUS_MAX = min(EstatusPTEId).value, max(EstatusPTEId).value


@operation(
    "POST",
    "/pte/estatus",
    tag=TAG,
    summary="Cambiar el estatus: En elaboración → Enviada → Aprobada; Cancelada desde las dos primeras",
    description="Rol editor. Una transición no permitida es un 400 que dice a cuáles sí puede pasar.",
    body=FormBody(
        PTEStatusForm,
        f"`id`, el nuevo `id_estatus_pte` ({_ESTATUS_MIN}-{_ESTATUS_MAX}) y, opcional, `version`.",
        required=("id", "id_estatus_pte"),
        examples={
            "enviar": ("Enviar la PTE", {"id": "1", "id_estatus_pte": str(EstatusPTEId.ENVIADA.value)})
        },
    ),
    answer=EDITADA,
    ok="Estatus cambiado.",
    codes=WRITE_CODES,
)
@requires_role("editor")
def pte_estatus():
    values = validated(PTEStatusForm)
    result = commands.change_status(
        values["id"], values["id_estatus_pte"], current_user, values.get("version")
    )
    return envelope(True, result.detalles, version=result.pte.version)


# --------------------------------------------------------------------------- checklist


@operation(
    "GET",
    "/pte/pasos",
    tag=TAG,
    summary="Los pasos de una PTE, en orden (los subpasos bajo su paso), y su avance",
    parameters=(Param("id", ID_QUERY, "ID de la PTE.", required=True, example=1),),
    answer=Answer("PasosPTERespuesta", datos=list[PasoPTE]),
    ok="Los pasos.",
    codes=READ_CODES,
)
def pte_pasos():
    pte_id = query_id("id", message="ID de la PTE no proporcionado")
    read.get_pte(pte_id)  # 404 when unknown
    pasos, avance = read.steps_and_progress(pte_id)
    return envelope(
        True, f"{len(pasos)} pasos, {avance.pct} % de avance", datos=[PasoPTE.json_of_row(p) for p in pasos]
    )


@operation(
    "POST",
    "/pte/crear-ot",
    tag=TAG,
    summary="Crear OT: la OT inicial de una PTE aprobada con su lista de pasos completa",
    description="Rol editor. `id` es la PTE; los campos de la OT que no se envíen se toman de ella "
    "(folio propuesto, descripción, cliente, responsable de proyecto, montos, plazo). La OT queda "
    f"Por definir (estatus {Registro.POR_DEFINIR.value}) hasta su primera edición. Mientras la PTE no "
    "esté aprobada o le falten pasos, responde 409 diciendo qué falta. Responde `id_nuevo`.",
    body=FormBody(
        OTForm,
        "`id` de la PTE y cualquier campo de la OT.",
        required=("id",),
        partial=True,
        examples={
            "crear_ot": (
                "Con lo que la PTE no dice",
                {
                    "id": "1",
                    "responsable_cliente": "Ing. Laura Méndez",
                    "id_frente": str(FrenteId.TIERRA.value),
                    "id_patio": "1",
                },
            )
        },
    ),
    answer=CREADA,
    ok="OT creada, Por definir.",
    codes=(*CREATE_CODES, 404),
)
@requires_role("editor")
def pte_crear_ot():
    body = body_values()
    result = commands.create_ot(body_id("ID de la PTE no proporcionado"), body, current_user)
    return envelope(True, result.detalles, tipo_aviso=result.tipo_aviso, id_nuevo=result.ot.id)


# --------------------------------------------------------------------------- steps: edit, deliverable file

steps_api.register(
    "pte",
    TAG,
    commands,
    read,
    of=" de PTE",
    note=" Un paso con subpasos sigue a sus subpasos: se completa solo (y se reabre) con ellos.",
    example=(
        "Marcar un subpaso completado, con su entregable",
        {
            "id": "1",
            "estatus_paso": str(EstatusPasoId.COMPLETADO.value),
            "entregable_url": "https://sharepoint.example.com/volumetria.xlsx",
        },
    ),
)
