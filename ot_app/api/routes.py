"""The /api endpoints: parse, call the service, answer with the envelope. No rule lives here."""

from flask import request
from flask_login import current_user

from ..auth.security import requires_role
from ..catalogs.registry import MODELS
from ..envelope import envelope
from ..errors import fail
from ..extensions import db
from ..fields import parse_id
from ..models import PTEHeader
from ..orders import commands, read, serialize
from ..orders.forms import OTForm, StepForm
from ..orders.query import list_query_from_args
from ..service_errors import ServiceError, ValidationFailed
from . import bp
from .request import body_values, query_id

# The seed's catalog names → models: the catalog pages' own map.
CATALOGOS = MODELS


@bp.errorhandler(ServiceError)
def service_error(err: ServiceError):
    extra = dict(err.extra)
    if err.errores:
        extra["errores"] = err.errores
    return envelope(False, err.detalles, status=err.status, tipo_aviso=err.tipo_aviso, **extra)


def _validated(form_class, partial: bool = False):
    form = form_class(formdata=body_values(), partial=partial)
    if not form.validate():
        raise ValidationFailed.from_errors(form.first_errors())
    return form.present_values()


@bp.post("/ot/crear")
@requires_role("editor")
def ot_crear():
    values = _validated(OTForm)
    result = commands.create_order(values, current_user)
    return envelope(True, result.detalles, tipo_aviso=result.tipo_aviso, id_nuevo=result.ot.id)


@bp.post("/ot/editar")
@requires_role("editor")
def ot_editar():
    raw = body_values()
    if not raw.get("id", "").strip():
        raise ValidationFailed("ID del OT no proporcionado", {"id": "ID del OT no proporcionado"})
    form = OTForm(formdata=raw, partial=True)
    if not form.validate():
        raise ValidationFailed.from_errors(form.first_errors())
    result = commands.update_order(form.present_values(), current_user)
    return envelope(True, result.detalles, tipo_aviso=result.tipo_aviso, version=result.ot.version)


@bp.get("/ot/obtener")
def ot_obtener():
    ot = read.get_order(query_id("id", message="ID del OT no proporcionado"))
    return envelope(True, "OT encontrada", datos=serialize.order_datos(ot, read.chain_of(ot)))


@bp.post("/ot/eliminar")
@requires_role("editor")
def ot_eliminar():
    result = commands.delete_order(_body_id("ID de la OT no proporcionado"), current_user)
    return envelope(True, result.detalles)


@bp.post("/ot/restaurar")
@requires_role("admin")
def ot_restaurar():
    result = commands.restore_order(_body_id("ID de la OT no proporcionado"), current_user)
    return envelope(True, result.detalles)


def _body_id(missing: str) -> int:
    raw = body_values().get("id", "")
    if not str(raw).strip():
        raise ValidationFailed(missing, {"id": missing})
    try:
        return parse_id(raw)
    except ValueError:
        raise ValidationFailed(
            "El ID no es un identificador válido.", {"id": "El ID no es un identificador válido."}
        ) from None


@bp.get("/ot/listar")
def ot_listar():
    query = list_query_from_args(request.args)
    page = read.list_orders(query, current_user)
    return envelope(
        True,
        f"{page.total} OT encontradas",
        datos=[serialize.list_row_datos(item) for item in page.items],
        total=page.total,
        page=page.page,
        per_page=page.per_page,
    )


@bp.get("/ot/pasos")
def ot_pasos():
    ot_id = query_id("id", message="ID del OT no proporcionado")
    read.get_order(ot_id)  # 404 when unknown
    pasos = [
        {k: p[k] for k in ("id", "id_paso", "paso", "estatus_paso", "comentario")}
        for p in read.steps_of(ot_id)
    ]
    return envelope(True, f"{len(pasos)} pasos", datos=pasos)


@bp.post("/ot/paso/editar")
@requires_role("editor")
def ot_paso_editar():
    values = _validated(StepForm, partial=True)
    if "id" not in values:
        raise ValidationFailed("ID del paso no proporcionado", {"id": "ID del paso no proporcionado"})
    if values.get("estatus_paso") is None and "comentario" not in values:
        raise ValidationFailed(
            "Indique el estatus del paso o su comentario.", {"estatus_paso": "Indique el estatus del paso."}
        )
    result = commands.set_step(values, current_user)
    return envelope(True, result.detalles)


@bp.get("/catalogos/<nombre>")
def catalogo(nombre: str):
    model = CATALOGOS.get(nombre)
    if model is None:
        fail(404, f"No existe el catálogo {nombre}. Catálogos: {', '.join(CATALOGOS)}.")
    rows = db.session.execute(db.select(model.id, model.nombre, model.activo).order_by(model.id)).all()
    return envelope(
        True,
        f"{len(rows)} registros",
        datos=[{"id": r[0], "nombre": r[1], "activo": bool(r[2])} for r in rows],
    )


@bp.get("/pte/listar")
def pte_listar():
    aprobada = request.args.get("aprobada", "").strip()
    if aprobada not in ("", "0", "1"):
        fail(400, "El parámetro aprobada debe ser 1 o 0.")
    stmt = (
        db.select(
            PTEHeader.id,
            PTEHeader.oficio_pte,
            PTEHeader.descripcion,
            PTEHeader.id_cliente,
            PTEHeader.id_estatus_pte,
        )
        .where(PTEHeader.estatus == 1)
        .order_by(PTEHeader.oficio_pte)
    )
    if aprobada == "1":
        stmt = stmt.where(PTEHeader.id_estatus_pte == 3)
    elif aprobada == "0":
        stmt = stmt.where(PTEHeader.id_estatus_pte != 3)
    rows = db.session.execute(stmt).all()
    return envelope(
        True,
        f"{len(rows)} PTE",
        datos=[
            {
                "id": r[0],
                "oficio_pte": r[1],
                "descripcion": r[2],
                "id_cliente": r[3],
                "id_estatus_pte": r[4],
                "aprobada": r[4] == 3,
            }
            for r in rows
        ],
    )
