"""Catalog reads: rows with who uses them, step sets and their templates, the step-set rules and
what a new OT would get. No writes here (those are in commands.py)."""

from __future__ import annotations

from typing import NamedTuple

from sqlalchemy import func, literal, select, union_all

from ..extensions import db
from ..fields import id_or_none
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
    Registro,
    ReglaPaso,
    ResponsableProyecto,
)
from .registry import MODELS, get_catalogo

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


def list_steps_plain(step_set: int) -> list[dict]:
    rows = db.session.execute(
        select(PasoOt.id, PasoOt.descripcion, PasoOt.activo)
        .where(PasoOt.tipo == step_set)
        .order_by(PasoOt.id)
    ).all()
    return [{"id": r[0], "descripcion": r[1], "activo": bool(r[2])} for r in rows]


# --------------------------------------------------------------------------- step-set rules


def list_rules() -> list[ReglaPaso]:
    return list(
        db.session.scalars(
            select(ReglaPaso).order_by(
                ReglaPaso.id_tipo, ReglaPaso.id_cliente.is_(None), ReglaPaso.id_cliente
            )
        ).unique()
    )


def preview(id_tipo: int, id_cliente: int | None) -> dict:
    """What an OT of this tipo for this client would get: the set and its active steps."""
    from ..orders.read import step_set_for

    step_set = step_set_for(id_tipo, id_cliente)
    pasos = [p for p in list_steps_plain(step_set) if p["activo"]]
    return {"tipo_paso": step_set, "pasos": pasos}


# --------------------------------------------------------------------------- options for selects


class Option(NamedTuple):
    id: int
    nombre: str
    activo: bool


class Catalogs(dict):
    """{catalog: [Option, ...]} plus `name(catalog, id)` for labels."""

    def name(self, catalog: str, value) -> str:
        if value in (None, ""):
            return ""
        for option in self.get(catalog, ()):
            if str(option.id) == str(value):
                return option.nombre
        return f"ID {value}"


def options(*names: str, ptes: bool = False) -> Catalogs:
    """Every requested catalog in ONE statement (UNION ALL); `ptes` adds the live PTEs."""
    names = names or tuple(MODELS)
    parts = [
        select(
            literal(name).label("cat"),
            MODELS[name].id,
            MODELS[name].nombre,
            MODELS[name].activo,
        )
        for name in names
    ]
    if ptes:
        parts.append(
            select(
                literal("ptes").label("cat"),
                PTEHeader.id,
                PTEHeader.oficio_pte,
                PTEHeader.aprobada.label("activo"),
            ).where(PTEHeader.estatus != Registro.ELIMINADA)
        )
    out = Catalogs({name: [] for name in names})
    if ptes:
        out["ptes"] = []
    rows = db.session.execute(union_all(*parts)).all()
    for cat, id_, nombre, activo in sorted(rows, key=lambda r: (r[0], r[2] if r[0] == "ptes" else r[1])):
        out[cat].append(Option(id_, nombre, bool(activo)))
    return out


def names_of(wanted: dict[str, set]) -> Catalogs:
    """Names for just these ids ({catalog: {id, ...}}, "ptes" included), in ONE statement."""
    parts = []
    for cat, ids in wanted.items():
        ids = {i for i in map(id_or_none, ids) if i is not None}
        if not ids:
            continue
        if cat == "ptes":
            model, name_col, active = (
                PTEHeader,
                PTEHeader.oficio_pte,
                PTEHeader.aprobada,
            )
        else:
            model = MODELS[cat]
            name_col, active = model.nombre, model.activo
        parts.append(select(literal(cat).label("cat"), model.id, name_col, active).where(model.id.in_(ids)))
    out = Catalogs({cat: [] for cat in wanted})
    if parts:
        for cat, id_, nombre, activo in db.session.execute(union_all(*parts)).all():
            out[cat].append(Option(id_, nombre, bool(activo)))
    return out
