"""Work-order writes: one function per use case, each one transaction with its audit row.

The browser pages and the JSON API both call these; the rules live here and nowhere else.
Inputs are the typed values of `OTForm` (the seed's POST names); errors are `ServiceError`s
that carry a Spanish message, the field errors and the HTTP status.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from sqlalchemy import Integer, Text, cast, func, insert, literal, or_, select, update
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.exc import StaleDataError

from .. import audit, steps
from ..auth.security import sees_deleted
from ..extensions import db
from ..formatting import fecha_hora, office_today
from ..models import (
    OTE,
    Cliente,
    Embarcacion,
    EstatusOT,
    EstatusOTId,
    EstatusPaso,
    EstatusPasoId,
    Frente,
    FrenteId,
    Intercom,
    OTDetalle,
    PasoOt,
    Patio,
    Plataforma,
    PTEHeader,
    Registro,
    ResponsableProyecto,
    TipoId,
    Usuario,
    normalize_folio,
)
from ..pte.read import missing_for_ot as pte_missing_for_ot
from ..schedules import bookings, curve_store
from ..service_errors import Conflict, NotFound, Replaced, ServiceError, ValidationFailed
from ..transactions import lost_race, retrying, write_transaction
from . import baselines
from .forms import ACTIVE_REQUIRED, LAND_YARD_REQUIRED, OTForm, checked
from .read import chain_root, current_of_chain, current_version, folio_taken, step_set_for, version_label
from .serialize import OTDatos

MSG_REPROGRAMACION_SIN_INICIAL = "Para una reprogramación, debe seleccionar la OT Inicial."


@dataclass
class Result:
    ot: OTE
    detalles: str
    tipo_aviso: str = "exito"
    cambios: dict = field(default_factory=dict)
    conflictos: list[str] = field(default_factory=list)  # site conflicts it leaves (warnings)

    def with_conflicts(self, warnings: list[str]) -> Result:
        """The site conflicts a save leaves: warnings beside its message, which keeps the seed's
        words for old clients (exclusive sites refuse instead, in bookings.sync_chain)."""
        self.conflictos = warnings
        if warnings:
            self.tipo_aviso = "advertencia"
        return self

    @property
    def mensaje(self) -> str:
        """What a page says after the write: its message, then the site conflicts it left."""
        if not self.conflictos:
            return self.detalles
        return f"{self.detalles.rstrip('.')}. " + " ".join(self.conflictos)


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
    "motivo": "motivo",
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
    "fecha_inicio_real", "fecha_termino_real", "requiere_patio", "fecha_inicio_patio", "fecha_fin_patio", "motivo",
]  # fmt: skip
# Catalog fields checked for existence and (for new values) being active; messages name them as
# the form does.
CATALOGS = {
    name: (model, OTForm.specs()[name].subject)
    for name, model in (
        ("id_cliente", Cliente),
        ("responsable_proyecto", ResponsableProyecto),
        ("id_estatus_ot", EstatusOT),
        ("id_frente", Frente),
        ("id_embarcacion", Embarcacion),
        ("id_plataforma", Plataforma),
        ("id_intercom", Intercom),
        ("id_patio", Patio),
        ("id_patio_fase", Patio),
    )
}


DELETED_READ_ONLY = "La OT está eliminada: restáurela para editarla."
DELETED_NOT_REPROGRAMMABLE = "La OT está eliminada: restáurela para reprogramarla."


def replaced_by(current) -> Replaced:
    label = version_label(current.num_reprogramacion)
    return Replaced(
        f"Esta versión fue reemplazada por {label} (ID {current.id}): edite la versión vigente.",
        vigente=current.id,
    )


def ensure_editable(ot) -> None:
    """THE rule for "this OT may not be written" (its fields and its steps, for every way in:
    pages, inline row, API). `ot` is an OTE or a list row.

    - a deleted OT is read-only until an admin restores it;
    - only a chain's current version is editable: a version replaced by a later live one (and an
      initial OT that has live versions) answers 409 naming the current version."""
    if ot.estatus == Registro.ELIMINADA:
        raise ServiceError(DELETED_READ_ONLY, status=409)
    current = current_version(ot)
    if current is not None and current.id != ot.id:
        raise replaced_by(current)


def lock_chain(ot: OTE) -> None:
    """Writes to one chain take turns: lock its initial OT's row (PostgreSQL; SQLite's BEGIN
    IMMEDIATE already serializes), so an edit or a step change racing a reprogramming sees the new
    version as current once it gets the lock, and is refused by `ensure_editable`."""
    db.session.execute(select(OTE.id).where(OTE.id == chain_root(ot)).with_for_update())


def mark_current(root: int | None) -> None:
    """Keep `OTE.vigente` true on the current version of the chain of initial OT `root` only (one
    UPDATE; called by every write that adds, removes or moves a chain member). Not an edit: the
    rows' `version` does not change."""
    if root is None:
        return
    current = current_of_chain(root)
    db.session.execute(
        update(OTE)
        .where(or_(OTE.id == root, OTE.ot_principal == root))
        .values(vigente=OTE.id == (current.id if current else 0))
        .execution_options(synchronize_session="evaluate")
    )


def snapshot(ot: OTE) -> dict:
    return {name: getattr(ot, name) for name in AUDITED}


# --------------------------------------------------------------------------- create / edit


def _retrying(write, clash: str):
    """`transactions.retrying`: a concurrent write that took the same folio or version number
    makes the next try's checks say so. After three tries, a Conflict with `clash`."""
    try:
        return retrying(write)
    except DBAPIError as exc:
        if isinstance(exc, IntegrityError) or lost_race(exc):
            raise Conflict(clash) from exc
        raise


def create_order(values: dict, actor: Usuario | None, field_errors: dict | None = None) -> Result:
    """Create an initial OT (tipo 4) or a reprogrammed version (tipo 5) with its steps.

    `field_errors`: what the form already refused. The rules below still run over the other values
    and every error is raised at once (one submit, one round of messages); nothing is written."""
    return _retrying(
        lambda: _create(values, actor, field_errors=field_errors),
        "Otra persona registró una OT con los mismos datos al mismo tiempo. Inténtelo de nuevo.",
    )


def _create(
    values: dict, actor, kept: dict | None = None, accion: str = "crear", field_errors: dict | None = None
) -> Result:
    """`kept`: the snapshot of the version a reprogramming replaces; the values it keeps (its PTE,
    catalog rows) are accepted even if they could not be chosen anew (a PTE no longer approved)."""
    errors: dict[str, str] = dict(field_errors or {})
    ot = OTE(estatus=Registro.ACTIVA, version=1)
    ot.id_tipo = values.get("id_tipo")
    _apply_plain(ot, values)
    ot.comentario = values.get("comentario_general") or ""
    if ot.id_estatus_ot is None:
        ot.id_estatus_ot = EstatusOTId.PROGRAMADA
    if checked(values.get("por_definir")):
        ot.estatus = Registro.POR_DEFINIR
        # Not known yet: the columns hold "" until the edit that makes the OT active fills them.
        ot.descripcion_trabajo = ot.descripcion_trabajo or ""
        ot.responsable_cliente = ot.responsable_cliente or ""

    pte = _check_pte(values.get("id_pte_header"), errors, current=(kept or {}).get("id_pte_header"))
    principal = None
    if ot.id_tipo == TipoId.REPROGRAMADA:
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
    _check_catalogs(values, errors, current=kept)
    _apply_yard(ot, values, errors, current=None)
    _check_dates(ot, errors)
    if ot.id_tipo == TipoId.INICIAL:
        _check_folio_unique(ot, errors)
    if errors:
        raise ValidationFailed.from_errors(_merged(errors, field_errors))

    if principal is not None:
        _assign_version_number(ot, principal, values.get("num_reprogramacion"))
    ot.created_by = ot.updated_by = getattr(actor, "id", None)
    db.session.add(ot)
    db.session.flush()

    if principal is not None:
        mark_current(principal.id)  # the new version replaces the chain's current one
    conflictos = bookings.sync_chain(principal.id if principal is not None else ot.id)
    curve_store.refresh([ot.id])  # the stored planned curve: its dates and amounts
    step_set = step_set_for(ot.id_tipo, ot.id_cliente)
    created_steps = _create_steps(ot.id, step_set)
    audit.log(actor, accion, "ot", ot.id, audit.diff({}, snapshot(ot)))
    if created_steps == 0:
        return Result(
            ot,
            f"OT creada correctamente, pero el conjunto de pasos {step_set} no tiene pasos activos: "
            "la OT quedó sin pasos.",
            "advertencia",
        ).with_conflicts(conflictos)
    return Result(ot, "OT creada correctamente").with_conflicts(conflictos)


# What a reprogramming takes from the version it replaces when the request does not say: the
# issue's list (folio and PTE, client, site and yard phase, description, responsables, plazo, both
# amounts). Not the oficio, comment, status or real dates: those belong to each version.
PREFILLED = (
    "id_pte_header", "id_cliente", "id_frente", "id_embarcacion", "id_plataforma", "id_intercom",
    "descripcion_trabajo", "responsable_cliente", "responsable_proyecto", "plazo_dias",
    "monto_mxn", "monto_usd",
)  # fmt: skip
MOTIVO_REQUIRED = "El motivo de la reprogramación es obligatorio."


@dataclass
class Reprogrammed(Result):
    advertencias: list = field(default_factory=list)


def programmed_end(start, plazo):
    """The programmed end of a version that runs `plazo` calendar days from `start` (None without both)."""
    return start + timedelta(days=plazo) if start and plazo else None


def reprogram_dates(current: OTE) -> tuple:
    """A new version's default programme: it starts the day its predecessor ends and keeps its plazo.
    The service and the Reprogramar form both start from this."""
    start = current.fecha_termino_programado
    return start, programmed_end(start, current.plazo_dias)


def reprogram_order(values: dict, actor: Usuario | None) -> Reprogrammed:
    """Create version n + 1 of the chain whose current version is `values["id"]` (or the initial
    OT when it has none), through the same creation path as `create_order` with tipo 5, prefilled
    from that version for every field not given. Any other member of the chain is refused (409
    naming the current version); so is the loser of two reprogrammings of one version at once."""
    ot_id = values.get("id")
    if not ot_id:
        raise ValidationFailed("ID de la OT no proporcionado", {"id": "ID de la OT no proporcionado"})
    if not (values.get("motivo") or "").strip():
        raise ValidationFailed(MOTIVO_REQUIRED, {"motivo": MOTIVO_REQUIRED})
    # Someone who took the number at the same moment is, on the next try, the current version.
    return _retrying(
        lambda: _reprogram(ot_id, values, actor),
        "Otra persona reprogramó esta OT al mismo tiempo. Inténtelo de nuevo.",
    )


def _reprogram(ot_id: int, values: dict, actor) -> Reprogrammed:
    ot = db.session.get(OTE, ot_id)
    if ot is None:
        raise NotFound(f"No existe la OT con ID {ot_id}.")
    # Two reprogrammings of one chain at once take turns here: the initial OT's row is locked
    # (PostgreSQL; SQLite's BEGIN IMMEDIATE already serializes), so the second one sees the first's
    # version as current below and is refused, instead of numbering itself after it.
    lock_chain(ot)
    db.session.refresh(ot)
    if ot.estatus == Registro.ELIMINADA:
        raise ServiceError(DELETED_NOT_REPROGRAMMABLE, status=409)
    current = current_version(ot)
    if current is not None and current.id != ot.id:
        raise Replaced(
            f"Esta versión fue reemplazada por {_named(current)}: reprograme la versión vigente.",
            vigente=current.id,
        )
    if values.get("version") is not None and values["version"] != ot.version:
        # The form was prefilled from an older state of the current version: show what changed.
        raise _conflict(ot.id, ot)
    root = ot if ot.id_tipo == TipoId.INICIAL else db.session.get(OTE, ot.ot_principal)
    given = {k: v for k, v in values.items() if k not in ("id", "version")}
    if given.get("ot_principal") not in (None, root.id):
        raise ValidationFailed.from_errors(
            {
                "ot_principal": f"La reprogramación de {root.orden_trabajo} apunta a su OT inicial (ID {root.id})."
            }
        )
    kept = snapshot(ot)
    prefill = {name: kept[FIELD_COLUMNS[name]] for name in PREFILLED}
    if not any(k in given for k in YARD_KEYS):
        prefill.update(
            id_patio=ot.id_patio,
            check_fase_patio="on" if ot.requiere_patio else "",
            id_patio_fase=ot.id_patio if ot.requiere_patio else None,
            fecha_inicio_patio=ot.fecha_inicio_patio,
            fecha_fin_patio=ot.fecha_fin_patio,
        )
    elif "id_frente" not in given:
        prefill["id_frente"] = ot.id_frente
    merged = {**prefill, **given}
    if "fecha_inicio_programado" not in given:
        merged["fecha_inicio_programado"] = reprogram_dates(ot)[0]
    if "fecha_termino_programado" not in given:
        merged["fecha_termino_programado"] = programmed_end(
            merged["fecha_inicio_programado"], merged.get("plazo_dias")
        )
    merged.update(
        id_tipo=TipoId.REPROGRAMADA,
        ot_principal=root.id,
        orden_trabajo=given.get("orden_trabajo") or root.orden_trabajo,
    )
    result = _create(merged, actor, kept=kept, accion="reprogramar")
    new = result.ot
    from ..schedules.commands import copy_program  # schedules builds on orders: imported late

    # The new version's program starts as a copy, so the one it replaces stays the baseline.
    copy_program(ot, new, actor)
    advertencias = baselines.warnings(new, previous=ot, original=root)
    detalles = f"Reprogramación {_named(new)} de {root.orden_trabajo} creada correctamente"
    if result.tipo_aviso != "exito":
        detalles = result.detalles.replace("OT creada correctamente", detalles)
    elif advertencias:
        detalles += f", con {len(advertencias)} advertencia(s)"
    return Reprogrammed(
        new,
        detalles,
        "advertencia" if advertencias or result.tipo_aviso != "exito" else "exito",
        conflictos=result.conflictos,
        advertencias=advertencias,
    )


def _merged(errors: dict, field_errors: dict | None) -> dict:
    """Every error of one submit: the form's own message wins for a field, in the form's order."""
    if not field_errors:
        return errors
    return {**field_errors, **{k: v for k, v in errors.items() if k not in field_errors}}


def update_order(values: dict, actor: Usuario | None, field_errors: dict | None = None) -> Result:
    """Edit an OT: absent fields keep their value; a stale `version` is a conflict."""
    ot_id = values.get("id")
    if not ot_id:
        if field_errors and "id" in field_errors:  # an id that is not one: no OT to check rules on
            raise ValidationFailed.from_errors({"id": field_errors["id"], **field_errors})
        raise ValidationFailed("ID del OT no proporcionado", {"id": "ID del OT no proporcionado"})
    try:
        # A concurrent booking of the same exclusive site (or the same folio) makes the next
        # try's check refuse it beside its field.
        return retrying(lambda: _update(ot_id, values, actor, field_errors))
    except StaleDataError as exc:
        # Someone saved between our read and our write: the version_id_col caught it.
        raise _conflict(ot_id) from exc
    except DBAPIError as exc:
        if _lost_site_race(exc):
            raise Conflict(SITE_RACE) from exc
        if isinstance(exc, IntegrityError):
            raise ValidationFailed.from_errors(
                {"orden_trabajo": "Ya existe otra OT inicial con ese folio."}
            ) from exc
        raise


def _lost_site_race(exc: DBAPIError) -> bool:
    """A concurrent booking of the same exclusive site: PostgreSQL's exclusion constraint refused
    ours, or ended in the deadlock two bookings checked at the same instant can make."""
    if isinstance(exc, IntegrityError):
        return bookings.is_exclusion_violation(exc)
    return lost_race(exc)


SITE_RACE = (
    "Otra persona reservó el mismo sitio exclusivo para esas fechas al mismo tiempo; no se guardó nada. "
    "Revise las fechas y vuelva a guardar."
)


def _update(ot_id: int, values: dict, actor, field_errors: dict | None = None) -> Result:
    ot = db.session.get(OTE, ot_id)
    if ot is None:
        raise NotFound(f"No existe la OT con ID {ot_id}.")
    lock_chain(ot)
    ensure_editable(ot)
    sent_version = values.get("version")
    if sent_version is not None and sent_version != ot.version:
        raise _conflict(ot_id, ot)
    before = snapshot(ot)
    # No autoflush: the checks below query the table while `ot` holds unvalidated values.
    with db.session.no_autoflush:
        errors: dict[str, str] = dict(field_errors or {})
        old_folio_norm = ot.folio_norm
        was_tipo = ot.id_tipo

        _apply_plain(ot, values)
        if "comentario_general" in values:
            ot.comentario = values["comentario_general"] or ""
        activated = ot.estatus == Registro.POR_DEFINIR
        if activated:
            ot.estatus = Registro.ACTIVA

        pte = _check_pte(ot.id_pte_header, errors, current=before["id_pte_header"])
        if "id_cliente" in values and values["id_cliente"] is None and pte is not None:
            ot.id_cliente = pte.id_cliente
        _check_catalogs(values, errors, current=before)

        # ensure_editable let it through: an initial OT here has no live version, so its tipo and
        # folio are free to change (the chain's folio is fixed once it has versions).
        principal = None
        if ot.id_tipo == TipoId.REPROGRAMADA:
            if "ot_principal" not in values and was_tipo == TipoId.REPROGRAMADA:
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
        if activated:
            _check_activation(ot, errors)
        folio_claimed = ot.folio_norm != old_folio_norm or was_tipo != TipoId.INICIAL
        if ot.id_tipo == TipoId.INICIAL and ot.estatus != Registro.ELIMINADA and folio_claimed:
            _check_folio_unique(ot, errors)
        if errors:
            raise ValidationFailed.from_errors(_merged(errors, field_errors))

        if principal is not None and (
            ot.ot_principal != before["ot_principal"] or was_tipo != TipoId.REPROGRAMADA
        ):
            _assign_version_number(ot, principal, values.get("num_reprogramacion"))
        elif principal is not None and values.get("num_reprogramacion") not in (None, ot.num_reprogramacion):
            raise ValidationFailed.from_errors(
                {
                    "num_reprogramacion": f"El número de reprogramación de esta OT es {ot.num_reprogramacion}; "
                    "no se puede cambiar."
                }
            )

    cambios = audit.diff(before, snapshot(ot))
    if not cambios:
        return Result(ot, "Sin cambios: la OT ya tenía esos datos.")
    ot.updated_by = getattr(actor, "id", None)
    db.session.flush()
    if ot.id_tipo != was_tipo or ot.ot_principal != before["ot_principal"]:
        # It left one chain (or stood alone) and joined another: both chains' current versions move.
        mark_current(before["ot_principal"] or ot.id)
        mark_current(chain_root(ot))
        bookings.sync_chain(before["ot_principal"] or ot.id)
    conflictos = bookings.sync_chain(chain_root(ot))
    if not cambios.keys().isdisjoint(curve_store.OT_INPUTS):
        curve_store.refresh([ot.id])  # the stored planned curve follows its dates and amounts
    audit.log(actor, "editar", "ot", ot.id, cambios)
    detalles = "OT actualizada correctamente"
    if activated:
        detalles += "; dejó de estar Por definir y ahora está activa"
    return Result(ot, detalles, cambios=cambios).with_conflicts(conflictos)


def _conflict(ot_id: int, ot: OTE | None = None) -> Conflict:
    db.session.rollback()
    ot = db.session.get(OTE, ot_id, populate_existing=True)
    quien = (ot.editor.nombre or ot.editor.username) if ot and ot.editor else "otra persona"
    cuando = fecha_hora(ot.updated_at) if ot and ot.updated_at else ""  # the office's time
    return Conflict(
        f"La OT fue modificada por {quien} el {cuando} mientras usted la editaba. "
        "Revise sus cambios y vuelva a guardar.",
        quien=quien,
        cuando=ot.updated_at.isoformat() + "Z" if ot and ot.updated_at else None,  # naive UTC → RFC 3339
        version_actual=ot.version if ot else None,
        datos=OTDatos.from_model(ot).to_json() if ot else None,
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
            if value == "" and column in ("oficio_ot", "motivo"):
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
    if pte.puede_originar_ot:
        # Its checklist must be complete too (issue 13): the PTE's own gate says what is missing.
        incomplete = pte_missing_for_ot(pte)
        if incomplete:
            errors["id_pte_header"] = incomplete
        return pte
    if pte.eliminada:
        errors["id_pte_header"] = f"La PTE {pte.oficio_pte} fue eliminada."
    else:
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
    if not principal_id and errors:
        # Said with the other errors of the submit; alone it keeps the seed's warning.
        errors.setdefault("ot_principal", MSG_REPROGRAMACION_SIN_INICIAL)
        return None
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
    if principal.id_tipo != TipoId.INICIAL:
        errors["ot_principal"] = (
            f"La OT {principal.orden_trabajo} (ID {principal.id}) no es una OT inicial; "
            "una reprogramación solo puede apuntar a una OT inicial."
        )
        return None
    if principal.estatus == Registro.ELIMINADA:
        errors["ot_principal"] = f"La OT inicial {principal.orden_trabajo} está eliminada."
        return None
    if ot.folio_norm != principal.folio_norm:
        errors["orden_trabajo"] = (
            f"Una reprogramación lleva el folio de su OT inicial: {principal.orden_trabajo}."
        )
    else:
        # The same folio compared loosely; the chain stores it once, as the initial OT writes it.
        ot.orden_trabajo = principal.orden_trabajo
    ot.ot_principal = principal.id
    return principal


def _assign_version_number(ot: OTE, principal: OTE, sent) -> None:
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
        .where(OTE.ot_principal == ot_id, OTE.estatus != Registro.ELIMINADA)
    )


def _apply_yard(ot: OTE, values: dict, errors: dict, current: dict | None) -> None:
    """design.md rule 4: land → the yard is the site; offshore → optional yard phase."""
    frente = ot.id_frente
    patio = None
    requiere = False
    inicio = fin = None
    if FrenteId.en_tierra(frente):
        # On land there is no vessel, platform or intercom: switching the front clears them.
        ot.id_embarcacion = ot.id_plataforma = ot.id_intercom = None
        patio = values.get("id_patio") if "id_patio" in values or current is None else ot.id_patio
        # "Por definir" may leave the yard for later; activation asks for it (_check_activation).
        if not patio and "id_patio" not in errors and ot.estatus != Registro.POR_DEFINIR:
            errors["id_patio"] = LAND_YARD_REQUIRED
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


def _check_activation(ot: OTE, errors: dict) -> None:
    """An OT leaving "Por definir" needs what any active OT needs, with the form's messages."""
    columns = {name: FIELD_COLUMNS[name] for name in ACTIVE_REQUIRED}
    for name, column in columns.items():
        value = getattr(ot, column)
        if name not in errors and (value is None or (isinstance(value, str) and not value.strip())):
            errors[name] = ACTIVE_REQUIRED[name]
    if FrenteId.en_tierra(ot.id_frente) and not ot.id_patio and "id_patio" not in errors:
        errors["id_patio"] = LAND_YARD_REQUIRED


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
    if "orden_trabajo" in errors:
        return
    taken = folio_taken(ot.orden_trabajo, exclude_id=ot.id)
    if taken:
        errors["orden_trabajo"] = taken


def _create_steps(ot_id: int, step_set: int) -> int:
    """One INSERT ... SELECT: every active template of the set, in id order."""
    templates = (
        select(
            cast(literal(ot_id), Integer),
            PasoOt.id,
            cast(literal(EstatusPasoId.PENDIENTE), Integer),
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


def _guard_chain(ot: OTE) -> None:
    lock_chain(ot)
    ensure_editable(ot)


# An OT's steps: written under its chain's lock, only on the chain's current, live version.
STEPS = steps.Checklist("ot", OTDetalle, OTE, "id_ot", _guard_chain)


def set_step(values: dict, actor: Usuario | None) -> Result:
    """Change one step's status, comment, dates and/or deliverable link (`steps.apply_changes`)."""
    with write_transaction():
        detalle, ot = steps.open_step(STEPS, values.get("id"))
        names = dict(db.session.execute(select(EstatusPaso.id, EstatusPaso.nombre)).all())
        label = f"Paso «{detalle.paso.descripcion}»"
        # Status, comment, dates and deliverable link: the rules shared with the PTE checklist.
        cambios = steps.apply_changes(detalle, values, label, names)
        if not cambios:
            return Result(ot, "Sin cambios en el paso.")
        steps.record(STEPS, detalle, ot, cambios, actor)
    result = Result(ot, "Paso actualizado correctamente", cambios=cambios)
    result.detalle = detalle
    return result


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
        if ot.estatus == Registro.ELIMINADA:
            raise ServiceError(f"La OT {ot.orden_trabajo} ya estaba eliminada.", tipo_aviso="advertencia")
        if ot.id_tipo == TipoId.INICIAL:
            versions = _active_versions_count(ot.id)
            if versions:
                activas = (
                    "1 reprogramación activa" if versions == 1 else f"{versions} reprogramaciones activas"
                )
                raise ServiceError(
                    f"La OT inicial {ot.orden_trabajo} tiene {activas}: "
                    f"elimine primero {'esa reprogramación' if versions == 1 else f'esas {versions} reprogramaciones'}.",
                    status=409,
                    tipo_aviso="advertencia",
                )
        current = current_version(ot)
        if current is not None and current.id != ot.id:
            label = version_label(current.num_reprogramacion)
            raise Replaced(
                f"Esta versión fue reemplazada por {label} (ID {current.id}): solo la versión vigente "
                "de una cadena puede eliminarse.",
                vigente=current.id,
            )
        before = ot.estatus
        ot.estatus = Registro.ELIMINADA
        ot.updated_by = getattr(actor, "id", None)
        db.session.flush()
        mark_current(chain_root(ot))
        conflictos = bookings.sync_chain(chain_root(ot))  # the version now current books again
        cambios = {"estatus": [before, Registro.ELIMINADA]}
        detalles = "OT eliminada correctamente"
        if ot.id_tipo == TipoId.REPROGRAMADA:
            # The previous live version (or the initial OT) is the chain's current one again.
            now = current_version(ot)
            if now is not None:
                cambios["version_vigente"] = [_named(ot), _named(now)]
                detalles += f"; {_named(now)} vuelve a ser la versión vigente"
        audit.log(actor, "eliminar", "ot", ot.id, cambios)
    return Result(ot, detalles).with_conflicts(conflictos)


def _named(version) -> str:
    """ "R3 (ID 42)": a version as messages and the audit log name it."""
    return f"{version_label(version.num_reprogramacion)} (ID {version.id})"


def restore_order(ot_id, actor: Usuario | None) -> Result:
    if not ot_id:
        raise ValidationFailed("ID de la OT no proporcionado", {"id": "ID de la OT no proporcionado"})
    try:
        with write_transaction():
            ot = db.session.get(OTE, ot_id)
            if ot is None:
                raise NotFound(f"No existe la OT con ID {ot_id}.")
            if ot.estatus != Registro.ELIMINADA:
                raise ServiceError(f"La OT {ot.orden_trabajo} no está eliminada.", tipo_aviso="advertencia")
            if (
                ot.id_tipo == TipoId.REPROGRAMADA
                and ot.principal
                and ot.principal.estatus == Registro.ELIMINADA
            ):
                raise ServiceError(
                    f"Restaure primero la OT inicial {ot.principal.orden_trabajo} (ID {ot.principal.id}).",
                    status=409,
                )
            if ot.id_tipo == TipoId.INICIAL:
                errors: dict = {}
                _check_folio_unique(ot, errors)
                if errors:
                    raise ServiceError(
                        errors["orden_trabajo"] + " Cambie el folio de una de las dos antes de restaurar.",
                        status=409,
                    )
            cambios = {"estatus": [Registro.ELIMINADA, Registro.ACTIVA]}
            detalles = "OT restaurada correctamente"
            if ot.id_tipo == TipoId.REPROGRAMADA:
                current = current_version(ot)
                if current is not None and (current.num_reprogramacion or 0) > (ot.num_reprogramacion or 0):
                    raise Replaced(
                        f"No se puede restaurar {_named(ot)}: después de eliminarla se creó "
                        f"{_named(current)}, que es la versión vigente, y solo la última versión de una "
                        "cadena puede estar vigente. Para volver a esos datos, reprograme la versión vigente.",
                        vigente=current.id,
                    )
                if current is not None:
                    cambios["version_vigente"] = [_named(current), _named(ot)]
                    detalles += f"; {_named(ot)} vuelve a ser la versión vigente"
            ot.estatus = Registro.ACTIVA
            ot.updated_by = getattr(actor, "id", None)
            db.session.flush()
            mark_current(chain_root(ot))
            conflictos = bookings.sync_chain(chain_root(ot))
            audit.log(actor, "restaurar", "ot", ot.id, cambios)
    except StaleDataError as exc:
        raise _conflict(ot_id) from exc
    except DBAPIError as exc:
        if _lost_site_race(exc):
            raise Conflict(SITE_RACE) from exc
        raise
    return Result(ot, detalles).with_conflicts(conflictos)


# --------------------------------------------------------------------------- status


def change_status(values: dict, actor: Usuario | None) -> Result:
    """Change an OT's status (issue 13). Entering Terminada stamps `fecha_termino_real` (`fecha`,
    default today) and leaving it clears it; entering En ejecución stamps `fecha_inicio_real`
    (`fecha`, default today) when it is empty. The optional `comentario` goes to the log entry,
    never over the OT's general comment. A stale `version` is a conflict."""
    ot_id = values.get("id")
    if not ot_id:
        raise ValidationFailed("ID de la OT no proporcionado", {"id": "ID de la OT no proporcionado"})
    try:
        return retrying(lambda: _change_status(ot_id, values, actor))
    except StaleDataError as exc:
        raise _conflict(ot_id) from exc
    except DBAPIError as exc:
        if _lost_site_race(exc):
            raise Conflict(SITE_RACE) from exc
        raise


def _change_status(ot_id, values: dict, actor) -> Result:
    ot = db.session.get(OTE, ot_id)
    if ot is None:
        raise NotFound(f"No existe la OT con ID {ot_id}.")
    lock_chain(ot)  # as update_order: not while the chain is being reprogrammed
    ensure_editable(ot)
    sent_version = values.get("version")
    if sent_version is not None and sent_version != ot.version:
        raise _conflict(ot_id, ot)
    names = dict(db.session.execute(select(EstatusOT.id, EstatusOT.nombre)).all())
    cambios = _apply_status(ot, values, names, actor)
    conflictos = bookings.sync_chain(chain_root(ot))  # cancelled: frees its sites; real dates: overruns
    detalles = f"La OT {ot.orden_trabajo} ahora está {names[ot.id_estatus_ot]}"
    if "fecha_termino_real" in cambios:
        shown = ot.fecha_termino_real.strftime("%d/%m/%Y") if ot.fecha_termino_real else "sin fecha"
        detalles += f"; término real: {shown}"
    elif "fecha_inicio_real" in cambios:
        detalles += f"; inicio real: {ot.fecha_inicio_real:%d/%m/%Y}"
    return Result(ot, detalles + ".", cambios=cambios).with_conflicts(conflictos)


# The real date each status stamps with `fecha` (default today): said here once, for the rule below
# and for the forms that ask for that date (the list's bulk status shows it only for these).
STATUS_DATES = {
    EstatusOTId.TERMINADA: "fecha_termino_real",
    EstatusOTId.EN_EJECUCION: "fecha_inicio_real",  # only when the OT has none yet
}


def _apply_status(ot: OTE, values: dict, names: dict, actor) -> dict:
    """THE status rule (one OT, already locked and editable): the new status, the real dates it
    stamps or clears, the audit row. Raises before touching `ot` when the change is refused."""
    nuevo, actual = values.get("id_estatus_ot"), ot.id_estatus_ot
    if nuevo not in names:
        raise ValidationFailed.from_errors({"id_estatus_ot": f"El estatus de OT con ID {nuevo} no existe."})
    if nuevo == actual:
        raise ServiceError(f"La OT {ot.orden_trabajo} ya está {names[nuevo]}.", tipo_aviso="advertencia")
    fecha = values.get("fecha") or office_today()
    before = {
        "id_estatus_ot": actual,
        "fecha_inicio_real": ot.fecha_inicio_real,
        "fecha_termino_real": ot.fecha_termino_real,
    }
    after = dict(before, id_estatus_ot=nuevo)
    stamped = STATUS_DATES.get(nuevo)
    if stamped == "fecha_termino_real":
        after["fecha_termino_real"] = fecha
    elif actual == EstatusOTId.TERMINADA:
        after["fecha_termino_real"] = None
    if stamped == "fecha_inicio_real" and ot.fecha_inicio_real is None:
        after["fecha_inicio_real"] = fecha
    start, end = after["fecha_inicio_real"], after["fecha_termino_real"]
    if start and end and end < start:
        raise ValidationFailed.from_errors(
            {"fecha": "La fecha de término real no puede ser anterior a la de inicio real."}
        )
    for name, value in after.items():
        setattr(ot, name, value)
    ot.updated_by = getattr(actor, "id", None)
    db.session.flush()
    cambios = audit.diff(before, after)
    comentario = (values.get("comentario") or "").strip()
    if comentario:
        cambios[STATUS_COMMENT] = [None, comentario]
    audit.log(actor, "estatus", "ot", ot.id, cambios)
    return cambios


STATUS_COMMENT = "Comentario del cambio de estatus"


def attach_step_file(paso_id, storage, actor: Usuario | None) -> Result:
    """Upload a step's deliverable file, under the same rules as set_step (`steps.attach_file`)."""
    ot, detalles, cambios = steps.attach_file(STEPS, paso_id, storage, actor)
    return Result(ot, detalles, cambios=cambios)


# --------------------------------------------------------------------------- bulk actions (issue 17)


@dataclass
class BulkResult:
    """What a bulk action did: the OTs it changed and, for each one it skipped, why."""

    detalles: str
    tipo_aviso: str
    cambiadas: list[int]
    omitidas: list[dict]  # {"id", "orden_trabajo", "motivo"}
    valor: str = ""  # the status or project manager set, by name
    # Every selected OT in the selection's order, {"id", "orden_trabajo", "motivo"} (None: changed):
    # the page's per-row result.
    filas: list[dict] = field(default_factory=list)


def bulk_change(values: dict, actor: Usuario | None) -> BulkResult:
    """One bulk action (`BulkForm`: `accion` estatus or responsable, `ots` as (id, version) pairs)
    over the list's selection, in ONE transaction. Each OT goes through the same rules as its
    single edit (editable, its version, the status rule); an OT that fails one — someone else
    changed it meanwhile, it was deleted or replaced, it already has that value — is skipped and
    reported, never overwritten. One audit row per changed OT."""
    accion, pairs = values.get("accion"), values.get("ots") or []
    if not pairs:
        raise ValidationFailed.from_errors({"ots": "Seleccione al menos una OT."})
    try:
        with write_transaction():
            return _bulk(accion, pairs, values, actor)
    except DBAPIError as exc:
        if _lost_site_race(exc):
            raise Conflict(SITE_RACE) from exc
        raise
    except StaleDataError as exc:
        # Only when a writer that skips the chain lock raced us: nothing was saved.
        raise Conflict(
            "Otra persona cambió una de las OT seleccionadas al mismo tiempo; no se guardó nada."
        ) from exc


def _bulk(accion, pairs, values: dict, actor) -> BulkResult:
    if accion == "estatus":
        names = dict(db.session.execute(select(EstatusOT.id, EstatusOT.nombre)).all())
        if values.get("id_estatus_ot") not in names:
            raise ValidationFailed.from_errors(
                {"id_estatus_ot": f"El estatus de OT con ID {values.get('id_estatus_ot')} no existe."}
            )
        shown = names[values["id_estatus_ot"]]
    else:
        errors: dict = {}
        _check_catalogs({"responsable_proyecto": values.get("responsable_proyecto")}, errors, None)
        if errors:
            raise ValidationFailed.from_errors(errors)
        shown = db.session.get(ResponsableProyecto, values["responsable_proyecto"]).nombre
    ids = [i for i, _ in pairs]
    # Lock every chain involved at once, in id order (two bulk actions never wait on each other
    # in a circle), then read the OTs again: what is checked is what is committed.
    roots = db.session.scalars(select(func.coalesce(OTE.ot_principal, OTE.id)).where(OTE.id.in_(ids))).all()
    db.session.execute(select(OTE.id).where(OTE.id.in_(set(roots))).order_by(OTE.id).with_for_update())
    found = {
        ot.id: ot
        for ot in db.session.scalars(
            select(OTE).where(OTE.id.in_(ids)).execution_options(populate_existing=True)
        )
    }
    cambiadas, omitidas, filas = [], [], []
    for ot_id, version in pairs:
        ot = found.get(ot_id)
        if ot is None or (ot.eliminada and not sees_deleted(actor)):
            omitidas.append({"id": ot_id, "orden_trabajo": "", "motivo": f"No existe la OT con ID {ot_id}."})
            filas.append(omitidas[-1])
            continue
        try:
            ensure_editable(ot)
            if version is not None and version != ot.version:
                quien = (ot.editor.nombre or ot.editor.username) if ot.editor else "otra persona"
                raise Conflict(f"{quien} la modificó mientras usted la tenía seleccionada.")
            if accion == "estatus":
                # Leaving Cancelada books its sites again, and an exclusive one may refuse: a
                # savepoint undoes this OT alone (its status and audit row), the others stay.
                with db.session.begin_nested():
                    _apply_status(ot, values, names, actor)
                    bookings.sync_chain(chain_root(ot))
            else:
                _apply_responsable(ot, values["responsable_proyecto"], shown, actor)
        except ServiceError as err:
            omitidas.append({"id": ot.id, "orden_trabajo": ot.orden_trabajo, "motivo": err.detalles})
            filas.append(omitidas[-1])
            continue
        cambiadas.append(ot.id)
        filas.append({"id": ot.id, "orden_trabajo": ot.orden_trabajo, "motivo": None})
    detalles = (
        f"{len(cambiadas)} OT {'cambió' if len(cambiadas) == 1 else 'cambiaron'} a «{shown}»"
        if cambiadas
        else "Ninguna OT cambió"
    )
    if omitidas:
        detalles += f"; {len(omitidas)} sin cambiar: " + "; ".join(
            f"{o['orden_trabajo'] or 'ID ' + str(o['id'])}: {o['motivo']}" for o in omitidas[:5]
        )
        if len(omitidas) > 5:
            detalles += f"; y {len(omitidas) - 5} más"
    return BulkResult(
        detalles.rstrip(".") + ".", "advertencia" if omitidas else "exito", cambiadas, omitidas, shown, filas
    )


def _apply_responsable(ot: OTE, id_responsable: int, nombre: str, actor) -> None:
    if ot.id_responsable_proyecto == id_responsable:
        raise ServiceError(f"ya tiene a {nombre} como responsable de proyecto.", tipo_aviso="advertencia")
    before = ot.id_responsable_proyecto
    ot.id_responsable_proyecto = id_responsable
    ot.updated_by = getattr(actor, "id", None)
    db.session.flush()
    audit.log(actor, "editar", "ot", ot.id, {"id_responsable_proyecto": [before, id_responsable]})
