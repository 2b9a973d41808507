"""PTE writes: create, edit, status workflow, logical delete. One transaction each, with its
activity-log row. Only a PTE that `puede_originar_ot` can parent a new OT (orders.commands checks it)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import Integer, Text, cast, func, insert, literal, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased, joinedload
from sqlalchemy.orm.exc import StaleDataError

from .. import audit, steps
from ..extensions import db
from ..formatting import office_today
from ..models import (
    OTE,
    Cliente,
    EstatusPaso,
    EstatusPasoId,
    EstatusPTEId,
    PasoPte,
    PTEDetalle,
    PTEHeader,
    Registro,
    ResponsableProyecto,
    utcnow,
)
from ..service_errors import Conflict, NotFound, ServiceError, ValidationFailed
from ..transactions import write_transaction
from .read import status_names, step_set_for

TRANSITIONS = {
    EstatusPTEId.EN_ELABORACION: {EstatusPTEId.ENVIADA, EstatusPTEId.CANCELADA},
    EstatusPTEId.ENVIADA: {EstatusPTEId.APROBADA, EstatusPTEId.CANCELADA},
    EstatusPTEId.APROBADA: set(),
    EstatusPTEId.CANCELADA: set(),
}
FIELDS = {
    "oficio_pte": "oficio_pte",
    "descripcion": "descripcion",
    "id_cliente": "id_cliente",
    "responsable_proyecto": "id_responsable_proyecto",
    "fecha_solicitud": "fecha_solicitud",
    "plazo_dias": "plazo_dias",
    "monto_mxn": "monto_mxn",
    "monto_usd": "monto_usd",
}
AUDITED = [*FIELDS.values(), "id_estatus_pte", "estatus"]


@dataclass
class PTEResult:
    pte: PTEHeader
    detalles: str
    tipo_aviso: str = "exito"


def snapshot(pte: PTEHeader) -> dict:
    return {name: getattr(pte, name) for name in AUDITED}


def _apply(pte: PTEHeader, values: dict, errors: dict, before: dict | None) -> None:
    for name, column in FIELDS.items():
        if name not in values:
            continue
        value = values[name]
        if name == "oficio_pte":
            value = " ".join((value or "").split())
        elif name in ("monto_mxn", "monto_usd"):
            value = value if value is not None else Decimal("0.00")
        elif name == "plazo_dias":
            value = value or 0
        elif name == "descripcion":
            value = (value or "").strip()
        setattr(pte, column, value)
    for name, model, label in (
        ("id_cliente", Cliente, "El cliente"),
        ("responsable_proyecto", ResponsableProyecto, "El responsable de proyecto"),
    ):
        value = values.get(name)
        if not value:
            continue
        row = db.session.get(model, value)
        if row is None:
            errors[name] = f"{label} con ID {value} no existe."
        elif not row.activo and (before is None or before.get(FIELDS[name]) != value):
            errors[name] = f"{label} «{row.nombre}» está inactivo y no puede asignarse."
    if "oficio_pte" in values and pte.oficio_pte and "oficio_pte" not in errors:
        clash = db.session.execute(
            select(PTEHeader.id, PTEHeader.oficio_pte).where(
                func.lower(PTEHeader.oficio_pte) == pte.oficio_pte.lower(), PTEHeader.id != (pte.id or 0)
            )
        ).first()
        if clash:
            errors["oficio_pte"] = f"Ya existe la PTE {clash[1]} (ID {clash[0]}) con ese oficio."


def create_pte(values: dict, actor) -> PTEResult:
    try:
        return _create_pte(values, actor)
    except IntegrityError as exc:  # the same oficio saved by someone else a moment ago
        raise Conflict(
            "Otra persona registró una PTE con ese oficio al mismo tiempo. Revise y vuelva a guardar."
        ) from exc


def _create_pte(values: dict, actor) -> PTEResult:
    with write_transaction():
        pte = PTEHeader(id_estatus_pte=EstatusPTEId.EN_ELABORACION, estatus=Registro.ACTIVA)
        errors: dict = {}
        with db.session.no_autoflush:
            _apply(pte, values, errors, None)
        if errors:
            raise ValidationFailed.from_errors(errors)
        pte.created_by = pte.updated_by = getattr(actor, "id", None)
        db.session.add(pte)
        db.session.flush()
        step_set = step_set_for(pte.id_cliente)
        created = _create_steps(pte.id, step_set)
        audit.log(actor, "crear", "pte", pte.id, audit.diff({}, snapshot(pte)))
    if created == 0:
        return PTEResult(
            pte,
            f"PTE creada correctamente, pero el conjunto de pasos de PTE {step_set} no tiene pasos "
            "activos: la PTE quedó sin lista de pasos.",
            "advertencia",
        )
    return PTEResult(pte, "PTE creada correctamente")


def _create_steps(pte_id: int, step_set: int) -> int:
    """One INSERT ... SELECT: every active template of the set (a sub-step only under an active
    parent), Pendiente."""
    parent = aliased(PasoPte)
    templates = (
        select(
            cast(literal(pte_id), Integer),
            PasoPte.id,
            cast(literal(EstatusPasoId.PENDIENTE), Integer),
            cast(literal(""), Text),
        )
        .outerjoin(parent, parent.id == PasoPte.id_padre)
        .where(
            PasoPte.tipo == step_set,
            PasoPte.activo.is_(True),
            or_(parent.id.is_(None), parent.activo.is_(True)),
        )
        .order_by(PasoPte.id)
    )
    result = db.session.execute(
        insert(PTEDetalle.__table__)
        .from_select(["id_pte", "id_paso", "estatus_paso", "comentario"], templates)
        .returning(PTEDetalle.__table__.c.id)
    )
    return len(result.all())


def _load_for_write(pte_id, sent_version) -> PTEHeader:
    pte = db.session.get(PTEHeader, pte_id)
    if pte is None:
        raise NotFound(f"No existe la PTE con ID {pte_id}.")
    if sent_version is not None and sent_version != pte.version:
        raise _conflict(pte)
    return pte


def _conflict(pte: PTEHeader) -> Conflict:
    db.session.rollback()
    pte = db.session.get(PTEHeader, pte.id, populate_existing=True)
    quien = "otra persona"
    if pte.updated_by:
        from ..models import Usuario

        user = db.session.get(Usuario, pte.updated_by)
        quien = (user.nombre or user.username) if user else quien
    return Conflict(
        f"La PTE fue modificada por {quien} el {pte.updated_at:%d/%m/%Y %H:%M} UTC mientras usted la editaba. "
        "Revise sus cambios y vuelva a guardar.",
        quien=quien,
        cuando=pte.updated_at.isoformat() + "Z",  # naive UTC → RFC 3339
        version_actual=pte.version,
    )


def ensure_editable(pte: PTEHeader) -> None:
    """A deleted PTE is read-only, whatever the way in (edit page, status buttons, API): the one
    place that says so. Deleting it again is its own warning (see delete_pte)."""
    if pte.eliminada:
        raise ServiceError(f"La PTE {pte.oficio_pte} está eliminada.", status=409)


# A PTE's steps: writable while the PTE is not deleted.
STEPS = steps.Checklist("pte", PTEDetalle, PTEHeader, "id_pte", ensure_editable)


def update_pte(values: dict, actor) -> PTEResult:
    pte_id = values.get("id")
    if not pte_id:
        raise ValidationFailed("ID de la PTE no proporcionado", {"id": "ID de la PTE no proporcionado"})
    try:
        with write_transaction():
            pte = _load_for_write(pte_id, values.get("version"))
            ensure_editable(pte)
            before = snapshot(pte)
            errors: dict = {}
            with db.session.no_autoflush:
                _apply(pte, values, errors, before)
            if errors:
                raise ValidationFailed.from_errors(errors)
            cambios = audit.diff(before, snapshot(pte))
            if not cambios:
                return PTEResult(pte, "Sin cambios: la PTE ya tenía esos datos.")
            pte.updated_by = getattr(actor, "id", None)
            db.session.flush()
            audit.log(actor, "editar", "pte", pte.id, cambios)
    except StaleDataError as exc:
        raise _conflict(db.session.get(PTEHeader, pte_id)) from exc
    except IntegrityError as exc:
        raise Conflict(
            "Otra persona registró una PTE con ese oficio al mismo tiempo. Revise y vuelva a guardar."
        ) from exc
    return PTEResult(pte, "PTE actualizada correctamente")


def allowed_transitions(pte: PTEHeader) -> list[int]:
    return sorted(TRANSITIONS.get(pte.id_estatus_pte, set()))


def change_status(pte_id, nuevo: int, actor, sent_version=None) -> PTEResult:
    if not pte_id:
        raise ValidationFailed("ID de la PTE no proporcionado", {"id": "ID de la PTE no proporcionado"})
    try:
        with write_transaction():
            pte = _load_for_write(pte_id, sent_version)
            ensure_editable(pte)
            names = status_names()
            if nuevo not in names:
                raise ValidationFailed.from_errors({"id_estatus_pte": f"El estatus {nuevo} no existe."})
            actual = pte.id_estatus_pte
            if nuevo == actual:
                raise ServiceError(
                    f"La PTE {pte.oficio_pte} ya está {names[actual]}.", tipo_aviso="advertencia"
                )
            if nuevo not in TRANSITIONS.get(actual, set()):
                allowed = [names[s] for s in sorted(TRANSITIONS.get(actual, set()))]
                hint = f" Desde {names[actual]} solo puede pasar a: {', '.join(allowed)}." if allowed else ""
                raise ValidationFailed.from_errors(
                    {
                        "id_estatus_pte": f"Una PTE {names[actual]} no puede pasar a {names[nuevo]}."
                        + (hint or f" {names[actual]} es un estatus final.")
                    }
                )
            if nuevo == EstatusPTEId.CANCELADA:
                active = _active_ots(pte.id)
                if active:
                    raise ServiceError(
                        f"La PTE {pte.oficio_pte} tiene {active} OT activa(s): no se puede cancelar.",
                        status=409,
                    )
            pte.id_estatus_pte = nuevo
            pte.updated_by = getattr(actor, "id", None)
            db.session.flush()
            audit.log(actor, "estatus", "pte", pte.id, {"estatus_pte": [names[actual], names[nuevo]]})
    except StaleDataError as exc:
        raise _conflict(db.session.get(PTEHeader, pte_id)) from exc
    return PTEResult(pte, f"La PTE {pte.oficio_pte} ahora está {names[nuevo]}.")


def _active_ots(pte_id: int) -> int:
    return db.session.scalar(
        select(func.count())
        .select_from(OTE)
        .where(OTE.id_pte_header == pte_id, OTE.estatus != Registro.ELIMINADA)
    )


def delete_pte(pte_id, actor) -> PTEResult:
    if not pte_id:
        raise ValidationFailed("ID de la PTE no proporcionado", {"id": "ID de la PTE no proporcionado"})
    with write_transaction():
        pte = _load_for_write(pte_id, None)
        if pte.eliminada:
            raise ServiceError(f"La PTE {pte.oficio_pte} ya estaba eliminada.", tipo_aviso="advertencia")
        active = _active_ots(pte.id)
        if active:
            raise ServiceError(
                f"La PTE {pte.oficio_pte} tiene {active} OT activa(s): elimínelas o cámbielas de PTE primero.",
                status=409,
                tipo_aviso="advertencia",
            )
        pte.estatus = Registro.ELIMINADA
        pte.updated_by = getattr(actor, "id", None)
        db.session.flush()
        audit.log(actor, "eliminar", "pte", pte.id, {"estatus": [Registro.ACTIVA, Registro.ELIMINADA]})
    return PTEResult(pte, "PTE eliminada correctamente")


# --------------------------------------------------------------------------- checklist

SUBPASOS_LISTOS = "Entregables finalizados"


@dataclass
class StepResult:
    pte: PTEHeader
    detalles: str
    cambios: dict
    tipo_aviso: str = "exito"


def set_step(values: dict, actor) -> StepResult:
    """Change one PTE step's status, comment, dates and/or deliverable link (`steps.apply_changes`,
    the OT steps' rules). A step with sub-steps follows them: it completes itself when every
    sub-step is Completado or No aplica (today's end date, "Entregables finalizados", logged as the
    system's) and reopens (En proceso) when one reopens; its own status is not set by hand."""
    with write_transaction():
        detalle, pte = steps.open_step(STEPS, values.get("id"))
        names = dict(db.session.execute(select(EstatusPaso.id, EstatusPaso.nombre)).all())
        nuevo = values.get("estatus_paso")
        if nuevo and nuevo != detalle.estatus_paso and _substeps(pte.id, detalle.id_paso):
            raise ValidationFailed.from_errors(
                {
                    "estatus_paso": f"El estatus de «{detalle.paso.descripcion}» lo dan sus subpasos: "
                    "se completa sola cuando todos están Completados o No aplica."
                }
            )
        cambios = steps.apply_changes(detalle, values, f"Paso «{detalle.paso.descripcion}»", names)
        if not cambios:
            return StepResult(pte, "Sin cambios en el paso.", {})
        steps.record(STEPS, detalle, pte, cambios, actor)
        detalles = "Paso actualizado correctamente"
        if detalle.paso.id_padre and "estatus_paso" in values:
            follow = _follow_substeps(pte.id, detalle.paso.id_padre, names)
            if follow:
                detalles += follow
    return StepResult(pte, detalles, cambios)


def _substeps(pte_id: int, id_paso: int) -> list[PTEDetalle]:
    return list(
        db.session.scalars(
            select(PTEDetalle)
            .join(PasoPte, PasoPte.id == PTEDetalle.id_paso)
            .where(PTEDetalle.id_pte == pte_id, PasoPte.id_padre == id_paso)
        )
    )


def _follow_substeps(pte_id: int, id_paso_padre: int, names: dict) -> str:
    """The parent step follows its sub-steps (see set_step); its change is logged as the system's."""
    parent = db.session.scalar(
        select(PTEDetalle)
        .options(joinedload(PTEDetalle.paso))
        .where(PTEDetalle.id_pte == pte_id, PTEDetalle.id_paso == id_paso_padre)
    )
    if parent is None:
        return ""
    closed = all(s.estatus_paso in steps.CLOSED for s in _substeps(pte_id, id_paso_padre))
    today = office_today()
    if closed and parent.estatus_paso != EstatusPasoId.COMPLETADO:
        end = max(today, parent.fecha_inicio) if parent.fecha_inicio else today
        change = {
            "estatus_paso": EstatusPasoId.COMPLETADO,
            "fecha_termino": end,
            "comentario": SUBPASOS_LISTOS,
        }
        note = f"; «{parent.paso.descripcion}» quedó Completado"
    elif not closed and parent.estatus_paso == EstatusPasoId.COMPLETADO:
        change = {"estatus_paso": EstatusPasoId.EN_PROCESO, "fecha_termino": None}
        if parent.comentario == SUBPASOS_LISTOS:
            change["comentario"] = ""
        note = f"; «{parent.paso.descripcion}» se reabrió (En proceso)"
    else:
        return ""
    cambios = steps.apply_changes(parent, change, f"Paso «{parent.paso.descripcion}»", names, today)
    parent.updated_at = utcnow()
    parent.updated_by = None
    audit.log(None, "paso", "pte", pte_id, cambios)
    return note


# --------------------------------------------------------------------------- Crear OT


def create_ot(pte_id, given, actor):
    """Crear OT: the PTE's initial OT, prefilled from it (`read.ot_prefill`: folio proposal,
    description, client, responsable, amounts, plazo) under whatever `given` (the OT form's
    fields, as posted) says, created Por definir. Refused (409, saying what is missing) while the
    PTE is not approved or its checklist is incomplete. Returns orders.commands' Result."""
    from werkzeug.datastructures import MultiDict

    from ..orders import commands as orders
    from ..orders.forms import OTForm
    from .read import get_pte, missing_for_ot, ot_prefill

    if not pte_id:
        raise ValidationFailed("ID de la PTE no proporcionado", {"id": "ID de la PTE no proporcionado"})
    pte = get_pte(pte_id)
    missing = missing_for_ot(pte)
    if missing:
        raise ServiceError(missing, status=409)
    formdata = MultiDict(ot_prefill(pte))
    for key, value in given.items(multi=True):
        if key not in ("id", "version", "id_pte_header", "id_tipo", "ot_principal"):
            formdata[key] = value
    form = OTForm(formdata=formdata)
    if not form.validate():
        raise ValidationFailed.from_errors(form.first_errors())
    return orders.create_order(form.present_values(), actor)


def attach_step_file(paso_id, storage, actor) -> StepResult:
    """Upload a PTE step's deliverable file (`steps.attach_file`); a deleted PTE cannot change."""
    return StepResult(*steps.attach_file(STEPS, paso_id, storage, actor))
