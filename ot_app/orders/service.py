"""Work-order use cases: one function per use case, each one transaction with its audit row.

The browser pages and the JSON API both call these; the rules live here and nowhere else.
Inputs are the typed values of `OTForm` (the seed's POST names); errors are `ServiceError`s
that carry a Spanish message, the field errors and the HTTP status.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import Integer, Text, and_, case, cast, func, insert, literal, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased, joinedload
from sqlalchemy.orm.exc import StaleDataError

from .. import audit
from ..extensions import db
from ..models import (
    ESTATUS_ACTIVA,
    ESTATUS_ELIMINADA,
    ESTATUS_POR_DEFINIR,
    FRENTE_TIERRA,
    OTE,
    PASO_COMPLETADO,
    PASO_NO_APLICA,
    PASO_PENDIENTE,
    TIPO_INICIAL,
    TIPO_REPROGRAMADA,
    ActividadLog,
    Cliente,
    Embarcacion,
    EstatusOT,
    EstatusPaso,
    Frente,
    Intercom,
    OTDetalle,
    PasoOt,
    Patio,
    Plataforma,
    PTEHeader,
    ReglaPaso,
    ResponsableProyecto,
    TipoDocumento,
    Usuario,
    utcnow,
)
from ..search import search_condition
from ..service_errors import Conflict, NotFound, ServiceError, ValidationFailed
from ..transactions import write_transaction

DEFAULT_STEP_SET = 5  # the seed's "everything else"
ESTATUS_OT_INICIAL = 1  # Programada

MSG_REPROGRAMACION_SIN_INICIAL = "Para una reprogramación, debe seleccionar la OT Inicial."


@dataclass
class Result:
    ot: OTE
    detalles: str
    tipo_aviso: str = "exito"
    cambios: dict = field(default_factory=dict)


# Request names (the seed's) → OTE columns, for the plain fields.
FIELD_COLUMNS = {
    "orden_trabajo": "orden_trabajo",
    "oficio_ot": "oficio_ot",
    "id_tipo": "id_tipo",
    "descripcion_trabajo": "descripcion_trabajo",
    "comentario_general": "comentario",
    "responsable_cliente": "responsable_cliente",
    "responsable_proyecto": "id_responsable_proyecto",
    "id_cliente": "id_cliente",
    "id_estatus_ot": "id_estatus_ot",
    "id_frente": "id_frente",
    "id_embarcacion": "id_embarcacion",
    "id_plataforma": "id_plataforma",
    "id_intercom": "id_intercom",
    "id_pte_header": "id_pte_header",
    "ot_principal": "ot_principal",
    "monto_mxn": "monto_mxn",
    "monto_usd": "monto_usd",
    "plazo_dias": "plazo_dias",
    "fecha_inicio_programado": "fecha_inicio_programado",
    "fecha_termino_programado": "fecha_termino_programado",
    "fecha_inicio_real": "fecha_inicio_real",
    "fecha_termino_real": "fecha_termino_real",
}
YARD_KEYS = (
    "id_frente",
    "id_patio",
    "check_fase_patio",
    "id_patio_fase",
    "fecha_inicio_patio",
    "fecha_fin_patio",
)
AUDITED = [
    "orden_trabajo", "oficio_ot", "id_tipo", "descripcion_trabajo", "comentario", "responsable_cliente",
    "id_responsable_proyecto", "id_cliente", "id_frente", "id_embarcacion", "id_plataforma", "id_intercom",
    "id_patio", "id_pte_header", "ot_principal", "num_reprogramacion", "id_estatus_ot", "estatus",
    "monto_mxn", "monto_usd", "plazo_dias", "fecha_inicio_programado", "fecha_termino_programado",
    "fecha_inicio_real", "fecha_termino_real", "requiere_patio", "fecha_inicio_patio", "fecha_fin_patio",
]  # fmt: skip
# Catalog fields checked for existence and (for new values) being active.
CATALOGS = {
    "id_cliente": (Cliente, "El cliente"),
    "responsable_proyecto": (ResponsableProyecto, "El responsable de proyecto"),
    "id_estatus_ot": (EstatusOT, "El estatus de la OT"),
    "id_frente": (Frente, "El frente"),
    "id_embarcacion": (Embarcacion, "La embarcación"),
    "id_plataforma": (Plataforma, "La plataforma"),
    "id_intercom": (Intercom, "El intercom"),
    "id_patio": (Patio, "El patio"),
    "id_patio_fase": (Patio, "El patio de la fase de patio"),
}


def normalize_folio(folio: str) -> str:
    return " ".join((folio or "").split()).lower()


def snapshot(ot: OTE) -> dict:
    return {name: getattr(ot, name) for name in AUDITED}


# --------------------------------------------------------------------------- create / edit


def create_order(values: dict, actor: Usuario | None) -> Result:
    """Create an initial OT (tipo 4) or a reprogrammed version (tipo 5) with its steps."""
    for attempt in range(3):
        try:
            with write_transaction():
                return _create(values, actor)
        except IntegrityError as exc:
            # A concurrent create took the folio or the version number: re-run the checks once
            # more (they now see the other row) and answer with a clear message.
            if attempt == 2:
                raise Conflict(
                    "Otra persona registró una OT con los mismos datos al mismo tiempo. Inténtelo de nuevo."
                ) from exc
    raise AssertionError("unreachable")  # pragma: no cover


def _create(values: dict, actor) -> Result:
    errors: dict[str, str] = {}
    ot = OTE(estatus=ESTATUS_ACTIVA, version=1)
    ot.id_tipo = values.get("id_tipo")
    _apply_plain(ot, values)
    ot.comentario = values.get("comentario_general") or ""
    if ot.id_estatus_ot is None:
        ot.id_estatus_ot = ESTATUS_OT_INICIAL
    if (values.get("por_definir") or "").lower() in ("on", "1", "true", "si", "sí"):
        ot.estatus = ESTATUS_POR_DEFINIR

    pte = _check_pte(values.get("id_pte_header"), errors, current=None)
    principal = None
    if ot.id_tipo == TIPO_REPROGRAMADA:
        principal = _check_principal(values, ot, errors, current=None)
        if principal is not None and not values.get("id_pte_header"):
            ot.id_pte_header = principal.id_pte_header
            pte = principal.pte
            errors.pop("id_pte_header", None)
    else:
        ot.ot_principal = None
        ot.num_reprogramacion = None
    if ot.id_cliente is None and pte is not None:
        ot.id_cliente = pte.id_cliente
    _check_catalogs(values, errors, current=None)
    _apply_yard(ot, values, errors, current=None)
    _check_dates(ot, errors)
    if ot.id_tipo == TIPO_INICIAL:
        _check_folio_unique(ot, errors)
    if errors:
        raise ValidationFailed.from_errors(errors)

    if principal is not None:
        _assign_version_number(ot, principal, values.get("num_reprogramacion"), current=None)
    ot.created_by = ot.updated_by = getattr(actor, "id", None)
    db.session.add(ot)
    db.session.flush()

    step_set = step_set_for(ot.id_tipo, ot.id_cliente)
    created_steps = _create_steps(ot.id, step_set)
    audit.log(actor, "crear", "ot", ot.id, audit.diff({}, snapshot(ot)))
    if created_steps == 0:
        return Result(
            ot,
            f"OT creada correctamente, pero el conjunto de pasos {step_set} no tiene pasos activos: "
            "la OT quedó sin pasos.",
            "advertencia",
        )
    return Result(ot, "OT creada correctamente")


def update_order(values: dict, actor: Usuario | None) -> Result:
    """Edit an OT: absent fields keep their value; a stale `version` is a conflict."""
    ot_id = values.get("id")
    if not ot_id:
        raise ValidationFailed("ID del OT no proporcionado", {"id": "ID del OT no proporcionado"})
    try:
        with write_transaction():
            return _update(ot_id, values, actor)
    except StaleDataError as exc:
        # Someone saved between our read and our write: the version_id_col caught it.
        raise _conflict(ot_id) from exc
    except IntegrityError as exc:
        raise ValidationFailed.from_errors(
            {"orden_trabajo": "Ya existe otra OT inicial con ese folio."}
        ) from exc


def _update(ot_id: int, values: dict, actor) -> Result:
    ot = db.session.get(OTE, ot_id)
    if ot is None:
        raise NotFound(f"No existe la OT con ID {ot_id}.")
    sent_version = values.get("version")
    if sent_version is not None and sent_version != ot.version:
        raise _conflict(ot_id, ot)
    before = snapshot(ot)
    # No autoflush: the checks below query the table while `ot` holds unvalidated values.
    with db.session.no_autoflush:
        errors: dict[str, str] = {}
        old_folio_norm = ot.folio_norm
        was_tipo = ot.id_tipo

        _apply_plain(ot, values)
        if "comentario_general" in values:
            ot.comentario = values["comentario_general"] or ""
        activated = ot.estatus == ESTATUS_POR_DEFINIR
        if activated:
            ot.estatus = ESTATUS_ACTIVA

        pte = _check_pte(ot.id_pte_header, errors, current=before["id_pte_header"])
        if "id_cliente" in values and values["id_cliente"] is None and pte is not None:
            ot.id_cliente = pte.id_cliente
        _check_catalogs(values, errors, current=before)

        versions = _active_versions_count(ot.id) if was_tipo == TIPO_INICIAL else 0
        principal = None
        if versions and ot.id_tipo != TIPO_INICIAL:
            errors["id_tipo"] = (
                f"La OT inicial tiene {versions} reprogramación(es) activa(s): no puede cambiar su tipo."
            )
        elif ot.id_tipo == TIPO_REPROGRAMADA:
            if "ot_principal" not in values and was_tipo == TIPO_REPROGRAMADA:
                values = {**values, "ot_principal": ot.ot_principal}
            principal = _check_principal(values, ot, errors, current=ot)
        else:
            ot.ot_principal = None
            ot.num_reprogramacion = None
            if values.get("num_reprogramacion"):
                errors["num_reprogramacion"] = "Una OT inicial no lleva número de reprogramación."
        if any(k in values for k in YARD_KEYS):
            _apply_yard(ot, values, errors, current=before)
        _check_dates(ot, errors)
        folio_claimed = ot.folio_norm != old_folio_norm or was_tipo != TIPO_INICIAL
        if ot.id_tipo == TIPO_INICIAL and ot.estatus != ESTATUS_ELIMINADA and folio_claimed:
            _check_folio_unique(ot, errors)
        if errors:
            raise ValidationFailed.from_errors(errors)

        if principal is not None and (
            ot.ot_principal != before["ot_principal"] or was_tipo != TIPO_REPROGRAMADA
        ):
            _assign_version_number(ot, principal, values.get("num_reprogramacion"), current=None)
        elif principal is not None and values.get("num_reprogramacion") not in (None, ot.num_reprogramacion):
            raise ValidationFailed.from_errors(
                {
                    "num_reprogramacion": f"El número de reprogramación de esta OT es {ot.num_reprogramacion}; "
                    "no se puede cambiar."
                }
            )

    cambios = audit.diff(before, snapshot(ot))
    if versions and ot.folio_norm != old_folio_norm:
        # The chain shares one folio: renaming the initial OT renames its versions with it.
        renamed = db.session.execute(
            update(OTE)
            .where(OTE.ot_principal == ot.id)
            .values(orden_trabajo=ot.orden_trabajo, folio_norm=ot.folio_norm, version=OTE.version + 1)
            .returning(OTE.id)
            .execution_options(synchronize_session=False)
        ).all()
        cambios["reprogramaciones_renombradas"] = [None, len(renamed)]
    if not cambios:
        return Result(ot, "Sin cambios: la OT ya tenía esos datos.")
    ot.updated_by = getattr(actor, "id", None)
    db.session.flush()
    audit.log(actor, "editar", "ot", ot.id, cambios)
    detalles = "OT actualizada correctamente"
    if activated:
        detalles += "; dejó de estar Por definir y ahora está activa"
    return Result(ot, detalles, cambios=cambios)


def _conflict(ot_id: int, ot: OTE | None = None) -> Conflict:
    db.session.rollback()
    ot = db.session.get(OTE, ot_id, populate_existing=True)
    quien = (ot.editor.nombre or ot.editor.username) if ot and ot.editor else "otra persona"
    cuando = ot.updated_at.strftime("%d/%m/%Y %H:%M") + " UTC" if ot and ot.updated_at else ""
    return Conflict(
        f"La OT fue modificada por {quien} el {cuando} mientras usted la editaba. "
        "Revise sus cambios y vuelva a guardar.",
        quien=quien,
        cuando=ot.updated_at.isoformat() + "Z" if ot and ot.updated_at else None,  # naive UTC → RFC 3339
        version_actual=ot.version if ot else None,
        datos=order_datos(ot) if ot else None,
    )


def _apply_plain(ot: OTE, values: dict) -> None:
    for name, column in FIELD_COLUMNS.items():
        if name not in values or name == "ot_principal":
            continue
        value = values[name]
        if name in ("monto_mxn", "monto_usd"):
            value = value if value is not None else Decimal("0.00")
        elif name == "plazo_dias":
            value = value or 0
        elif isinstance(value, str):
            value = value.strip()
            if value == "" and column in ("oficio_ot",):
                value = None
        setattr(ot, column, value)
    if "orden_trabajo" in values:
        ot.orden_trabajo = " ".join((values["orden_trabajo"] or "").split())
        ot.folio_norm = normalize_folio(ot.orden_trabajo)


def _check_pte(pte_id, errors, current) -> PTEHeader | None:
    if not pte_id:
        errors["id_pte_header"] = "La PTE padre es obligatoria."
        return None
    pte = db.session.get(PTEHeader, pte_id)
    if pte is None:
        errors["id_pte_header"] = f"La PTE con ID {pte_id} no existe."
        return None
    if pte_id == current:
        return pte  # an OT keeps its parent even if the PTE changed state later
    if pte.estatus == ESTATUS_ELIMINADA:
        errors["id_pte_header"] = f"La PTE {pte.oficio_pte} fue eliminada."
    elif not pte.aprobada:
        errors["id_pte_header"] = (
            f"La PTE {pte.oficio_pte} no está aprobada; solo una PTE aprobada puede originar una OT."
        )
    return pte


def _check_catalogs(values: dict, errors: dict, current: dict | None) -> None:
    for name, (model, label) in CATALOGS.items():
        value = values.get(name)
        if not value or name in errors:
            continue
        column = "id_patio" if name == "id_patio_fase" else FIELD_COLUMNS.get(name, name)
        row = db.session.get(model, value)
        if row is None:
            errors[name] = f"{label} con ID {value} no existe."
        elif not row.activo and (current is None or current.get(column) != value):
            # Inactive rows stay on the records that use them, but are not chosen anew.
            errors[name] = f"{label} «{row.nombre}» está inactivo y no puede asignarse."


def _check_principal(values: dict, ot: OTE, errors: dict, current: OTE | None) -> OTE | None:
    principal_id = values.get("ot_principal")
    if not principal_id:
        raise ValidationFailed(
            MSG_REPROGRAMACION_SIN_INICIAL,
            {"ot_principal": MSG_REPROGRAMACION_SIN_INICIAL},
            tipo_aviso="advertencia",
        )
    principal = db.session.get(OTE, principal_id, options=[joinedload(OTE.pte)])
    if principal is None or (current is not None and principal.id == current.id):
        errors["ot_principal"] = f"La OT inicial con ID {principal_id} no existe."
        return None
    if principal.id_tipo != TIPO_INICIAL:
        errors["ot_principal"] = (
            f"La OT {principal.orden_trabajo} (ID {principal.id}) no es una OT inicial; "
            "una reprogramación solo puede apuntar a una OT inicial."
        )
        return None
    if principal.estatus == ESTATUS_ELIMINADA:
        errors["ot_principal"] = f"La OT inicial {principal.orden_trabajo} está eliminada."
        return None
    if ot.folio_norm != principal.folio_norm:
        errors["orden_trabajo"] = (
            f"Una reprogramación lleva el folio de su OT inicial: {principal.orden_trabajo}."
        )
    ot.ot_principal = principal.id
    return principal


def _assign_version_number(ot: OTE, principal: OTE, sent, current) -> None:
    last = db.session.scalar(
        select(func.coalesce(func.max(OTE.num_reprogramacion), 0)).where(OTE.ot_principal == principal.id)
    )
    expected = last + 1
    if sent not in (None, expected):
        raise ValidationFailed.from_errors(
            {
                "num_reprogramacion": f"El número de reprogramación que sigue para {principal.orden_trabajo} "
                f"es {expected}, no {sent}."
            }
        )
    ot.num_reprogramacion = expected


def _active_versions_count(ot_id: int) -> int:
    return db.session.scalar(
        select(func.count())
        .select_from(OTE)
        .where(OTE.ot_principal == ot_id, OTE.estatus != ESTATUS_ELIMINADA)
    )


def _apply_yard(ot: OTE, values: dict, errors: dict, current: dict | None) -> None:
    """design.md rule 4: land → the yard is the site; offshore → optional yard phase."""
    frente = ot.id_frente
    patio = None
    requiere = False
    inicio = fin = None
    if frente == FRENTE_TIERRA:
        # On land there is no vessel, platform or intercom: switching the front clears them.
        ot.id_embarcacion = ot.id_plataforma = ot.id_intercom = None
        patio = values.get("id_patio") if "id_patio" in values or current is None else ot.id_patio
        if not patio and "id_patio" not in errors:
            errors["id_patio"] = "En un frente de Tierra el patio es obligatorio."
    elif (values.get("check_fase_patio") or "").strip().lower() == "on":
        patio = values.get("id_patio_fase")
        if patio:
            requiere = True
            inicio = values.get("fecha_inicio_patio")
            fin = values.get("fecha_fin_patio")
            if inicio and fin and fin < inicio:
                errors["fecha_fin_patio"] = "La fecha de fin en patio no puede ser anterior a la de inicio."
        elif "id_patio_fase" not in errors:
            errors["id_patio_fase"] = "Seleccione el patio de la fase de patio."
    ot.id_patio = patio
    ot.requiere_patio = requiere
    ot.fecha_inicio_patio = inicio
    ot.fecha_fin_patio = fin


def _check_dates(ot: OTE, errors: dict) -> None:
    pairs = (
        ("fecha_inicio_programado", "fecha_termino_programado", "programado"),
        ("fecha_inicio_real", "fecha_termino_real", "real"),
    )
    for start, end, label in pairs:
        a, b = getattr(ot, start), getattr(ot, end)
        if a and b and b < a and end not in errors:
            errors[end] = f"La fecha de término {label} no puede ser anterior a la de inicio."


def _check_folio_unique(ot: OTE, errors: dict) -> None:
    if "orden_trabajo" in errors or not ot.folio_norm:
        return
    clash = db.session.scalar(
        select(OTE.id).where(
            OTE.folio_norm == ot.folio_norm,
            OTE.id_tipo == TIPO_INICIAL,
            OTE.estatus != ESTATUS_ELIMINADA,
            OTE.id != (ot.id or 0),
        )
    )
    if clash:
        errors["orden_trabajo"] = f"Ya existe una OT inicial con el folio {ot.orden_trabajo} (ID {clash})."


def folio_available(folio: str, exclude_id: int | None = None) -> bool:
    """For the form's check when the folio field is left."""
    errors: dict = {}
    probe = OTE(orden_trabajo=folio, folio_norm=normalize_folio(folio), id=exclude_id)
    _check_folio_unique(probe, errors)
    return not errors


# --------------------------------------------------------------------------- steps


def step_set_for(id_tipo: int, id_cliente: int | None) -> int:
    """The rule table: exact (tipo, cliente) first, then (tipo, any client)."""
    rule = db.session.scalar(
        select(ReglaPaso.tipo_paso)
        .where(
            ReglaPaso.id_tipo == id_tipo,
            or_(ReglaPaso.id_cliente == id_cliente, ReglaPaso.id_cliente.is_(None)),
        )
        .order_by(ReglaPaso.id_cliente.is_(None))
        .limit(1)
    )
    return rule if rule is not None else DEFAULT_STEP_SET


def _create_steps(ot_id: int, step_set: int) -> int:
    """One INSERT ... SELECT: every active template of the set, in id order."""
    templates = (
        select(
            cast(literal(ot_id), Integer),
            PasoOt.id,
            cast(literal(PASO_PENDIENTE), Integer),
            cast(literal(""), Text),
        )
        .where(PasoOt.tipo == step_set, PasoOt.activo.is_(True))
        .order_by(PasoOt.id)
    )
    # RETURNING counts the rows on every backend (psycopg reports rowcount -1 here).
    result = db.session.execute(
        insert(OTDetalle.__table__)
        .from_select(["id_ot", "id_paso", "estatus_paso", "comentario"], templates)
        .returning(OTDetalle.__table__.c.id)
    )
    return len(result.all())


def set_step(values: dict, actor: Usuario | None) -> Result:
    """Change one step's status and/or comment."""
    detalle_id = values.get("id")
    if not detalle_id:
        raise ValidationFailed("ID del paso no proporcionado", {"id": "ID del paso no proporcionado"})
    with write_transaction():
        detalle = db.session.get(OTDetalle, detalle_id, options=[joinedload(OTDetalle.paso)])
        if detalle is None:
            raise NotFound(f"No existe el paso con ID {detalle_id}.")
        ot = db.session.get(OTE, detalle.id_ot)
        if ot.estatus == ESTATUS_ELIMINADA:
            raise ServiceError("La OT está eliminada: restáurela para editar sus pasos.", status=409)
        names = dict(db.session.execute(select(EstatusPaso.id, EstatusPaso.nombre)).all())
        label = f"Paso «{detalle.paso.descripcion}»"
        cambios = {}
        if values.get("estatus_paso") and values["estatus_paso"] != detalle.estatus_paso:
            cambios[f"{label}: estatus"] = [
                names.get(detalle.estatus_paso),
                names.get(values["estatus_paso"]),
            ]
            detalle.estatus_paso = values["estatus_paso"]
        if "comentario" in values and (values["comentario"] or "") != (detalle.comentario or ""):
            cambios[f"{label}: comentario"] = [detalle.comentario, values["comentario"] or ""]
            detalle.comentario = values["comentario"] or ""
        if not cambios:
            return Result(ot, "Sin cambios en el paso.")
        detalle.updated_at = utcnow()
        detalle.updated_by = getattr(actor, "id", None)
        audit.log(actor, "paso", "ot", ot.id, cambios)
    result = Result(ot, "Paso actualizado correctamente", cambios=cambios)
    result.detalle = detalle
    return result


def steps_of(ot_id: int) -> list[dict]:
    rows = db.session.execute(
        select(
            OTDetalle.id,
            OTDetalle.id_paso,
            PasoOt.descripcion,
            OTDetalle.estatus_paso,
            EstatusPaso.nombre,
            OTDetalle.comentario,
            OTDetalle.updated_at,
        )
        .join(PasoOt, PasoOt.id == OTDetalle.id_paso)
        .join(EstatusPaso, EstatusPaso.id == OTDetalle.estatus_paso)
        .where(OTDetalle.id_ot == ot_id)
        .order_by(OTDetalle.id_paso, OTDetalle.id)
    ).all()
    return [
        {
            "id": r[0],
            "id_paso": r[1],
            "paso": r[2],
            "estatus_paso": r[3],
            "estatus_nombre": r[4],
            "comentario": r[5] or "",
            "updated_at": r[6],
        }
        for r in rows
    ]


# --------------------------------------------------------------------------- delete / restore


def delete_order(ot_id, actor: Usuario | None) -> Result:
    if not ot_id:
        raise ValidationFailed("ID de la OT no proporcionado", {"id": "ID de la OT no proporcionado"})
    try:
        return _delete(ot_id, actor)
    except StaleDataError as exc:
        # Someone saved the OT between our read and our write (PostgreSQL, read committed).
        raise _conflict(ot_id) from exc


def _delete(ot_id, actor: Usuario | None) -> Result:
    with write_transaction():
        ot = db.session.get(OTE, ot_id)
        if ot is None:
            raise NotFound(f"No existe la OT con ID {ot_id}.")
        if ot.estatus == ESTATUS_ELIMINADA:
            raise ServiceError(f"La OT {ot.orden_trabajo} ya estaba eliminada.", tipo_aviso="advertencia")
        if ot.id_tipo == TIPO_INICIAL:
            versions = _active_versions_count(ot.id)
            if versions:
                raise ServiceError(
                    f"La OT inicial {ot.orden_trabajo} tiene {versions} reprogramación(es) activa(s): "
                    f"elimine primero {'esa reprogramación' if versions == 1 else f'esas {versions} reprogramaciones'}.",
                    status=409,
                    tipo_aviso="advertencia",
                )
        before = ot.estatus
        ot.estatus = ESTATUS_ELIMINADA
        ot.updated_by = getattr(actor, "id", None)
        db.session.flush()
        audit.log(actor, "eliminar", "ot", ot.id, {"estatus": [before, ESTATUS_ELIMINADA]})
    return Result(ot, "OT eliminada correctamente")


def restore_order(ot_id, actor: Usuario | None) -> Result:
    if not ot_id:
        raise ValidationFailed("ID de la OT no proporcionado", {"id": "ID de la OT no proporcionado"})
    try:
        with write_transaction():
            ot = db.session.get(OTE, ot_id)
            if ot is None:
                raise NotFound(f"No existe la OT con ID {ot_id}.")
            if ot.estatus != ESTATUS_ELIMINADA:
                raise ServiceError(f"La OT {ot.orden_trabajo} no está eliminada.", tipo_aviso="advertencia")
            if ot.id_tipo == TIPO_REPROGRAMADA and ot.principal and ot.principal.estatus == ESTATUS_ELIMINADA:
                raise ServiceError(
                    f"Restaure primero la OT inicial {ot.principal.orden_trabajo} (ID {ot.principal.id}).",
                    status=409,
                )
            if ot.id_tipo == TIPO_INICIAL:
                errors: dict = {}
                _check_folio_unique(ot, errors)
                if errors:
                    raise ServiceError(
                        errors["orden_trabajo"] + " Cambie el folio de una de las dos antes de restaurar.",
                        status=409,
                    )
            ot.estatus = ESTATUS_ACTIVA
            ot.updated_by = getattr(actor, "id", None)
            db.session.flush()
            audit.log(actor, "restaurar", "ot", ot.id, {"estatus": [ESTATUS_ELIMINADA, ESTATUS_ACTIVA]})
    except StaleDataError as exc:
        raise _conflict(ot_id) from exc
    return Result(ot, "OT restaurada correctamente")


# --------------------------------------------------------------------------- read


def get_order(ot_id) -> OTE:
    ot = db.session.get(
        OTE,
        ot_id,
        options=[
            joinedload(OTE.tipo),
            joinedload(OTE.pte),
            joinedload(OTE.cliente),
            joinedload(OTE.frente),
            joinedload(OTE.embarcacion),
            joinedload(OTE.plataforma),
            joinedload(OTE.intercom),
            joinedload(OTE.patio),
            joinedload(OTE.responsable),
            joinedload(OTE.estatus_ot),
            joinedload(OTE.principal),
            joinedload(OTE.editor),
        ],
    )
    if ot is None:
        raise NotFound(f"No existe la OT con ID {ot_id}.")
    return ot


def chain_of(ot: OTE) -> list[dict]:
    """The versions of the chain this OT belongs to (its initial OT's versions), oldest first."""
    root = ot.ot_principal or ot.id
    rows = db.session.execute(
        select(
            OTE.id,
            OTE.num_reprogramacion,
            OTE.estatus,
            OTE.fecha_inicio_programado,
            OTE.fecha_termino_programado,
            OTE.monto_mxn,
            OTE.monto_usd,
        )
        .where(OTE.ot_principal == root)
        .order_by(OTE.num_reprogramacion)
    ).all()
    return [
        {
            "id": r[0],
            "num_reprogramacion": r[1],
            "estatus": r[2],
            "fecha_inicio_programado": iso(r[3]),
            "fecha_termino_programado": iso(r[4]),
            "monto_mxn": money(r[5]),
            "monto_usd": money(r[6]),
        }
        for r in rows
    ]


def iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def money(value) -> str:
    return f"{Decimal(value or 0):.2f}"


def order_datos(ot: OTE, reprogramaciones: list | None = None) -> dict:
    """The seed's `obtener_datos_ot` keys, dates ISO, amounts as 2-decimal strings."""
    return {
        "id": ot.id,
        "id_tipo_id": ot.id_tipo,
        "id_frente": ot.id_frente,
        "id_embarcacion": ot.id_embarcacion,
        "id_plataforma": ot.id_plataforma,
        "id_intercom": ot.id_intercom,
        "id_cliente": ot.id_cliente,
        "id_patio": ot.id_patio,
        "descripcion_tipo": ot.tipo.nombre if ot.tipo else "",
        "estatus_ot": ot.id_estatus_ot,
        "responsable_proyecto": ot.id_responsable_proyecto or "",
        "responsable_cliente": ot.responsable_cliente,
        "id_pte_id": ot.id_pte_header or "",
        "pte_padre": ot.pte.oficio_pte if ot.pte else "",
        "oficio_ot": ot.oficio_ot,
        "estatus": ot.estatus,
        "orden_trabajo": ot.orden_trabajo,
        "descripcion_trabajo": ot.descripcion_trabajo,
        "fecha_inicio_programado": iso(ot.fecha_inicio_programado),
        "fecha_inicio_real": iso(ot.fecha_inicio_real),
        "fecha_termino_programado": iso(ot.fecha_termino_programado),
        "fecha_termino_real": iso(ot.fecha_termino_real),
        "comentario": ot.comentario,
        "ot_principal": ot.ot_principal,
        "num_reprogramacion": ot.num_reprogramacion,
        "monto_mxn": money(ot.monto_mxn),
        "monto_usd": money(ot.monto_usd),
        "plazo_dias": ot.plazo_dias,
        "requiere_patio": bool(ot.requiere_patio),
        "fecha_inicio_patio": iso(ot.fecha_inicio_patio),
        "fecha_fin_patio": iso(ot.fecha_fin_patio),
        "version": ot.version,
        "reprogramaciones": reprogramaciones if reprogramaciones is not None else [],
    }


def history_of(ot_id: int, limit: int = 200) -> list[ActividadLog]:
    return list(
        db.session.scalars(
            select(ActividadLog)
            .where(ActividadLog.entidad == "ot", ActividadLog.entidad_id == ot_id)
            .order_by(ActividadLog.id.desc())
            .limit(limit)
        )
    )


# --------------------------------------------------------------------------- list

SORTS = {
    "id": OTE.id,
    "folio": OTE.folio_norm,
    "fecha_inicio_programado": OTE.fecha_inicio_programado,
    "fecha_termino_programado": OTE.fecha_termino_programado,
    "monto_mxn": OTE.monto_mxn,
    "monto_usd": OTE.monto_usd,
    "estatus_ot": OTE.id_estatus_ot,
    "cliente": OTE.id_cliente,
}
DEFAULT_SORT = "-id"


@dataclass
class ListQuery:
    q: str = ""
    pte: str = ""  # part of the parent PTE's oficio
    id_cliente: int | None = None
    id_estatus_ot: int | None = None
    id_tipo: int | None = None
    id_frente: int | None = None
    id_pte_header: int | None = None
    ot_principal: int | None = None
    estatus: int | None = None  # None: active and por definir; -1, 0 or 1 to pick one
    id: int | None = None  # one OT whatever its estatus (a row refreshed after an inline edit)
    orden: str = DEFAULT_SORT
    page: int = 1
    per_page: int = 50


class Fila(dict):
    """A list row read as `row["x"]` or `row.x`: Jinja tries the attribute first, and a failed
    attribute lookup per cell (~1,900 per list page) costs more than the rest of the row."""

    __slots__ = ()

    def __getattr__(self, name):
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None


@dataclass
class Page:
    items: list[dict]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def _filters(query: ListQuery) -> list:
    conditions = []
    if query.id is not None:
        conditions.append(OTE.id == query.id)
    elif query.estatus is None:
        conditions.append(OTE.estatus != ESTATUS_ELIMINADA)
    else:
        conditions.append(OTE.estatus == query.estatus)
    for name in ("id_cliente", "id_estatus_ot", "id_tipo", "id_frente", "id_pte_header", "ot_principal"):
        value = getattr(query, name)
        if value is not None:
            conditions.append(getattr(OTE, name) == value)
    if query.pte:
        ptes = select(PTEHeader.id).where(
            func.lower(PTEHeader.oficio_pte).contains(query.pte.lower(), autoescape=True)
        )
        conditions.append(OTE.id_pte_header.in_(ptes))
    found = search_condition(query.q, db.session.get_bind().dialect.name)
    if found is not None:
        conditions.append(found)
    return conditions


def list_orders(query: ListQuery) -> Page:
    """A page of OT rows (dicts) with names, step progress and version counts.

    Four statements whatever the page size: count, rows, step progress, version counts (grouped
    queries over the page's ids: cheaper than a correlated subquery per row, measured)."""
    conditions = _filters(query)
    total = db.session.scalar(select(func.count()).select_from(OTE).where(and_(*conditions)))

    desc = query.orden.startswith("-")
    column = SORTS.get(query.orden.lstrip("-"), OTE.id)
    order = [column.desc() if desc else column.asc()]
    if column is not OTE.id:
        order.append(OTE.id.desc() if desc else OTE.id.asc())

    # Deferred join: find the page's ids on the indexes first, then join the names for those
    # 50 rows only (joining before the OFFSET made deep pages pay for every skipped row).
    page_ids = (
        select(OTE.id)
        .where(and_(*conditions))
        .order_by(*order)
        .limit(query.per_page)
        .offset((query.page - 1) * query.per_page)
        .subquery()
    )
    pte = aliased(PTEHeader)
    sitio = func.coalesce(Embarcacion.nombre, Plataforma.nombre, Patio.nombre)
    stmt = (
        select(
            OTE.id,
            OTE.orden_trabajo,
            OTE.oficio_ot,
            OTE.id_tipo,
            OTE.descripcion_trabajo,
            OTE.responsable_cliente,
            OTE.estatus,
            OTE.id_estatus_ot,
            OTE.fecha_inicio_programado,
            OTE.fecha_termino_programado,
            OTE.fecha_inicio_real,
            OTE.fecha_termino_real,
            OTE.monto_mxn,
            OTE.monto_usd,
            OTE.ot_principal,
            OTE.num_reprogramacion,
            OTE.id_cliente,
            OTE.id_frente,
            OTE.id_pte_header,
            OTE.id_responsable_proyecto,
            OTE.comentario,
            OTE.version,
            pte.oficio_pte.label("pte"),
            Cliente.nombre.label("cliente"),
            Frente.nombre.label("frente"),
            sitio.label("sitio"),
            Plataforma.nombre.label("plataforma"),
            Patio.nombre.label("patio"),
            ResponsableProyecto.nombre.label("responsable"),
            EstatusOT.nombre.label("estatus_ot"),
            TipoDocumento.nombre.label("tipo"),
        )
        .outerjoin(pte, pte.id == OTE.id_pte_header)
        .outerjoin(Cliente, Cliente.id == OTE.id_cliente)
        .outerjoin(Frente, Frente.id == OTE.id_frente)
        .outerjoin(Embarcacion, Embarcacion.id == OTE.id_embarcacion)
        .outerjoin(Plataforma, Plataforma.id == OTE.id_plataforma)
        .outerjoin(Patio, Patio.id == OTE.id_patio)
        .outerjoin(ResponsableProyecto, ResponsableProyecto.id == OTE.id_responsable_proyecto)
        .outerjoin(EstatusOT, EstatusOT.id == OTE.id_estatus_ot)
        .outerjoin(TipoDocumento, TipoDocumento.id == OTE.id_tipo)
        .join(page_ids, page_ids.c.id == OTE.id)
        .order_by(*order)
    )
    items = [Fila(row._mapping) for row in db.session.execute(stmt)]
    ids = [item["id"] for item in items]
    progress = {}
    versions = {}
    if ids:
        progress = {
            r[0]: (r[1], r[2])
            for r in db.session.execute(
                select(
                    OTDetalle.id_ot,
                    func.sum(case((OTDetalle.estatus_paso == PASO_COMPLETADO, 1), else_=0)),
                    func.sum(case((OTDetalle.estatus_paso != PASO_NO_APLICA, 1), else_=0)),
                )
                .where(OTDetalle.id_ot.in_(ids))
                .group_by(OTDetalle.id_ot)
            )
        }
        initial = [item["id"] for item in items if item["id_tipo"] == TIPO_INICIAL]
        if initial:
            versions = dict(
                db.session.execute(
                    select(OTE.ot_principal, func.count())
                    .where(OTE.ot_principal.in_(initial), OTE.estatus != ESTATUS_ELIMINADA)
                    .group_by(OTE.ot_principal)
                ).all()
            )
    for item in items:
        done, total_steps = progress.get(item["id"], (0, 0))
        item["pasos_completados"] = int(done or 0)
        item["pasos_total"] = int(total_steps or 0)
        item["reprogramaciones"] = versions.get(item["id"], 0) if item["id_tipo"] == TIPO_INICIAL else None
    return Page(items=items, total=total, page=query.page, per_page=query.per_page)


def list_row(ot_id: int) -> dict:
    """One OT as a list row (the same keys as `list_orders` items)."""
    page = list_orders(ListQuery(id=ot_id, per_page=1))
    if not page.items:
        raise NotFound(f"No existe la OT con ID {ot_id}.")
    return page.items[0]
