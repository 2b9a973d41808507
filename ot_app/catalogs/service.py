"""Catalog use cases: simple catalogs (one data-driven set of rules for all), step templates and
the step-set rules. Every write is one transaction with its activity-log row."""

from __future__ import annotations

from sqlalchemy import delete, func, select

from .. import audit
from ..extensions import db
from ..models import (
    OTE,
    Cliente,
    Embarcacion,
    EstatusOT,
    Intercom,
    OTDetalle,
    PasoOt,
    Patio,
    Plataforma,
    PTEHeader,
    ReglaPaso,
    ResponsableProyecto,
    TipoDocumento,
)
from ..service_errors import NotFound, ServiceError, ValidationFailed
from ..transactions import write_transaction
from .registry import CATALOGOS, Catalogo

NOMBRE_MAX = 150


# Who uses a row of each catalog: (column, what to call the users).
REFERENCES: dict[type, list[tuple]] = {
    Cliente: [
        (OTE.id_cliente, "OT"),
        (PTEHeader.id_cliente, "PTE"),
        (ReglaPaso.id_cliente, "reglas de pasos"),
    ],
    Embarcacion: [(OTE.id_embarcacion, "OT")],
    Plataforma: [(OTE.id_plataforma, "OT")],
    Intercom: [(OTE.id_intercom, "OT")],
    Patio: [(OTE.id_patio, "OT")],
    ResponsableProyecto: [(OTE.id_responsable_proyecto, "OT"), (PTEHeader.id_responsable_proyecto, "PTE")],
    EstatusOT: [(OTE.id_estatus_ot, "OT")],
}


def get_catalogo(slug: str) -> Catalogo:
    cat = CATALOGOS.get(slug)
    if cat is None:
        raise NotFound(f"No existe el catálogo {slug}.")
    return cat


def _editable(slug: str) -> Catalogo:
    cat = get_catalogo(slug)
    if not cat.editable:
        raise ServiceError(
            f"El catálogo {cat.titulo} es fijo: las reglas de la aplicación dependen de él.", status=403
        )
    return cat


def normalize(nombre: str) -> str:
    return " ".join((nombre or "").split())


def list_rows(slug: str, q: str = "") -> list[dict]:
    """Rows with how many records use each one (one grouped query per referencing column)."""
    cat = get_catalogo(slug)
    model = cat.model
    stmt = select(model.id, model.nombre, model.activo).order_by(model.nombre, model.id)
    text = normalize(q)
    if text:
        stmt = stmt.where(func.lower(model.nombre).contains(text.lower(), autoescape=True))
    rows = [{"id": r[0], "nombre": r[1], "activo": bool(r[2]), "usos": {}} for r in db.session.execute(stmt)]
    by_id = {r["id"]: r for r in rows}
    for column, label in REFERENCES.get(model, []):
        for ref_id, count in db.session.execute(
            select(column, func.count()).where(column.is_not(None)).group_by(column)
        ):
            if ref_id in by_id:
                by_id[ref_id]["usos"][label] = count
    return rows


def usage(model, row_id: int) -> dict[str, int]:
    out = {}
    for column, label in REFERENCES.get(model, []):
        count = db.session.scalar(select(func.count()).where(column == row_id))
        if count:
            out[label] = count
    return out


def describe_usage(usos: dict[str, int]) -> str:
    return ", ".join(f"{n:,} {label}" for label, n in usos.items())


def _check_nombre(cat: Catalogo, nombre: str, exclude_id: int | None = None) -> str:
    nombre = normalize(nombre)
    if not nombre:
        raise ValidationFailed.from_errors({"nombre": "El nombre es obligatorio."})
    if len(nombre) > NOMBRE_MAX:
        raise ValidationFailed.from_errors({"nombre": f"El nombre admite hasta {NOMBRE_MAX} caracteres."})
    model = cat.model
    clash = db.session.execute(
        select(model.id, model.nombre).where(
            func.lower(model.nombre) == nombre.lower(), model.id != (exclude_id or 0)
        )
    ).first()
    if clash:
        raise ValidationFailed.from_errors(
            {
                "nombre": f"Ya existe {'una' if cat.femenino else 'un'} {cat.singular} «{clash[1]}» (ID {clash[0]})."
            }
        )
    return nombre


def create_row(slug: str, nombre: str, actor) -> object:
    cat = _editable(slug)
    with write_transaction():
        row = cat.model(nombre=_check_nombre(cat, nombre), activo=True)
        db.session.add(row)
        db.session.flush()
        audit.log(actor, "crear", cat.slug, row.id, {"nombre": [None, row.nombre], "activo": [None, True]})
    return row


def update_row(slug: str, row_id: int, nombre: str | None, activo: bool | None, actor) -> object:
    cat = _editable(slug)
    with write_transaction():
        row = db.session.get(cat.model, row_id)
        if row is None:
            raise NotFound(f"No existe {'la' if cat.femenino else 'el'} {cat.singular} con ID {row_id}.")
        before = {"nombre": row.nombre, "activo": row.activo}
        if nombre is not None:
            row.nombre = _check_nombre(cat, nombre, exclude_id=row.id)
        if activo is not None:
            row.activo = bool(activo)
        cambios = audit.diff(before, {"nombre": row.nombre, "activo": row.activo})
        if cambios:
            audit.log(actor, "editar", cat.slug, row.id, cambios)
    return row


def delete_row(slug: str, row_id: int, actor) -> str:
    """Only an unused row is deleted; a used one must be deactivated, and the message says why."""
    cat = _editable(slug)
    with write_transaction():
        row = db.session.get(cat.model, row_id)
        if row is None:
            raise NotFound(f"No existe {'la' if cat.femenino else 'el'} {cat.singular} con ID {row_id}.")
        usos = usage(cat.model, row.id)
        if usos:
            raise ServiceError(
                f"«{row.nombre}» no se puede eliminar porque lo usan {describe_usage(usos)}. "
                "Desactívelo para que no se ofrezca en formularios nuevos.",
                status=409,
            )
        nombre = row.nombre
        db.session.delete(row)
        audit.log(actor, "eliminar", cat.slug, row_id, {"nombre": [nombre, None]})
    return nombre


# --------------------------------------------------------------------------- step templates


def step_sets() -> list[int]:
    sets = set(db.session.scalars(select(PasoOt.tipo).distinct()))
    sets |= set(db.session.scalars(select(ReglaPaso.tipo_paso).distinct()))
    return sorted(sets)


def list_steps(step_set: int) -> list[dict]:
    """Templates of a set in id order, with how many OTs use each."""
    used = (
        select(OTDetalle.id_paso, func.count(OTDetalle.id_ot.distinct()).label("n"))
        .join(PasoOt, PasoOt.id == OTDetalle.id_paso)
        .where(PasoOt.tipo == step_set)
        .group_by(OTDetalle.id_paso)
        .subquery()
    )
    rows = db.session.execute(
        select(PasoOt.id, PasoOt.descripcion, PasoOt.activo, func.coalesce(used.c.n, 0))
        .outerjoin(used, used.c.id_paso == PasoOt.id)
        .where(PasoOt.tipo == step_set)
        .order_by(PasoOt.id)
    ).all()
    return [{"id": r[0], "descripcion": r[1], "activo": bool(r[2]), "ots": r[3]} for r in rows]


def _check_descripcion(descripcion: str) -> str:
    text = normalize(descripcion)
    if not text:
        raise ValidationFailed.from_errors({"descripcion": "La descripción del paso es obligatoria."})
    if len(text) > 300:
        raise ValidationFailed.from_errors(
            {"descripcion": "La descripción del paso admite hasta 300 caracteres."}
        )
    return text


def create_step(step_set: int, descripcion: str, actor) -> PasoOt:
    if not 1 <= step_set <= 9999:
        raise ValidationFailed.from_errors(
            {"tipo": "El conjunto de pasos debe ser un número entre 1 y 9,999."}
        )
    with write_transaction():
        paso = PasoOt(descripcion=_check_descripcion(descripcion), tipo=step_set, activo=True)
        db.session.add(paso)
        db.session.flush()
        audit.log(
            actor,
            "crear",
            "paso_ot",
            paso.id,
            {"descripcion": [None, paso.descripcion], "tipo": [None, step_set]},
        )
    return paso


def update_step(paso_id: int, descripcion: str | None, activo: bool | None, actor) -> PasoOt:
    with write_transaction():
        paso = db.session.get(PasoOt, paso_id)
        if paso is None:
            raise NotFound(f"No existe el paso con ID {paso_id}.")
        before = {"descripcion": paso.descripcion, "activo": paso.activo}
        if descripcion is not None:
            paso.descripcion = _check_descripcion(descripcion)
        if activo is not None:
            paso.activo = bool(activo)
        cambios = audit.diff(before, {"descripcion": paso.descripcion, "activo": paso.activo})
        if cambios:
            audit.log(actor, "editar", "paso_ot", paso.id, cambios)
    return paso


# --------------------------------------------------------------------------- step-set rules


def list_rules() -> list[ReglaPaso]:
    return list(
        db.session.scalars(
            select(ReglaPaso).order_by(
                ReglaPaso.id_tipo, ReglaPaso.id_cliente.is_(None), ReglaPaso.id_cliente
            )
        ).unique()
    )


def _check_rule(id_tipo, id_cliente, tipo_paso, exclude_id=None) -> dict:
    errors = {}
    if db.session.get(TipoDocumento, id_tipo or 0) is None:
        errors["id_tipo"] = "Seleccione un tipo de OT."
    if id_cliente is not None and db.session.get(Cliente, id_cliente) is None:
        errors["id_cliente"] = f"El cliente con ID {id_cliente} no existe."
    if not tipo_paso or not 1 <= tipo_paso <= 9999:
        errors["tipo_paso"] = "El conjunto de pasos debe ser un número entre 1 y 9,999."
    if not errors:
        clash = db.session.scalar(
            select(ReglaPaso.id).where(
                ReglaPaso.id_tipo == id_tipo,
                ReglaPaso.id_cliente.is_(None) if id_cliente is None else ReglaPaso.id_cliente == id_cliente,
                ReglaPaso.id != (exclude_id or 0),
            )
        )
        if clash:
            errors["id_cliente"] = "Ya hay una regla para ese tipo y ese cliente: edítela."
    if errors:
        raise ValidationFailed.from_errors(errors)
    return {"id_tipo": id_tipo, "id_cliente": id_cliente, "tipo_paso": tipo_paso}


def save_rule(rule_id: int | None, id_tipo, id_cliente, tipo_paso, actor) -> ReglaPaso:
    with write_transaction():
        values = _check_rule(id_tipo, id_cliente, tipo_paso, exclude_id=rule_id)
        if rule_id:
            rule = db.session.get(ReglaPaso, rule_id)
            if rule is None:
                raise NotFound(f"No existe la regla con ID {rule_id}.")
            before = {k: getattr(rule, k) for k in values}
        else:
            rule = ReglaPaso()
            db.session.add(rule)
            before = {}
        for key, value in values.items():
            setattr(rule, key, value)
        db.session.flush()
        cambios = audit.diff(before, values)
        if cambios:
            audit.log(actor, "editar" if before else "crear", "regla_paso", rule.id, cambios)
    return rule


def delete_rule(rule_id: int, actor) -> None:
    with write_transaction():
        rule = db.session.get(ReglaPaso, rule_id)
        if rule is None:
            raise NotFound(f"No existe la regla con ID {rule_id}.")
        before = {"id_tipo": rule.id_tipo, "id_cliente": rule.id_cliente, "tipo_paso": rule.tipo_paso}
        db.session.execute(delete(ReglaPaso).where(ReglaPaso.id == rule_id))
        audit.log(actor, "eliminar", "regla_paso", rule_id, audit.diff(before, dict.fromkeys(before)))


def preview(id_tipo: int, id_cliente: int | None) -> dict:
    """What an OT of this tipo for this client would get: the set and its active steps."""
    from ..orders.read import step_set_for

    step_set = step_set_for(id_tipo, id_cliente)
    pasos = [p for p in list_steps_plain(step_set) if p["activo"]]
    return {"tipo_paso": step_set, "pasos": pasos}


def list_steps_plain(step_set: int) -> list[dict]:
    rows = db.session.execute(
        select(PasoOt.id, PasoOt.descripcion, PasoOt.activo)
        .where(PasoOt.tipo == step_set)
        .order_by(PasoOt.id)
    ).all()
    return [{"id": r[0], "descripcion": r[1], "activo": bool(r[2])} for r in rows]
