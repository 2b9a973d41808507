"""Catalog reads: rows with who uses them, step sets and their templates, the step-set rules and
what a new OT would get. No writes here (those are in commands.py)."""

from __future__ import annotations

from typing import NamedTuple

from sqlalchemy import func, literal, select, union_all

from .. import data_version
from ..extensions import db
from ..fields import id_or_none
from ..formatting import cantidad
from ..models import (
    OTE,
    Cliente,
    Embarcacion,
    EstatusOT,
    Intercom,
    Patio,
    Plataforma,
    PTEHeader,
    ReglaPaso,
    ResponsableProyecto,
    TipoDocumento,
)
from .registry import MODELS, STEP_KINDS, get_catalogo

# Who uses a row of each catalog: (column, what to call one user; `cantidad` makes the plural).
REFERENCES: dict[type, list[tuple]] = {
    Cliente: [
        (OTE.id_cliente, "OT"),
        (PTEHeader.id_cliente, "PTE"),
        (ReglaPaso.id_cliente, "regla de pasos"),
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


SITE_COLUMNS = ("capacidad", "exclusivo", "movilizacion_dias")


def row_values(cat, row) -> dict:
    """A row as the catalog pages show it (a site adds its capacity, exclusivity and gap)."""
    values = {"id": row.id, "nombre": row.nombre, "activo": bool(row.activo)}
    if cat.sitio:
        values.update({name: getattr(row, name) for name in SITE_COLUMNS})
    return values


def list_rows(slug: str, q: str = "") -> list[dict]:
    """Rows with how many records use each one (one grouped query per referencing column)."""
    cat = get_catalogo(slug)
    model = cat.model
    stmt = select(model).order_by(model.nombre, model.id)
    text = normalize(q)
    if text:
        stmt = stmt.where(func.lower(model.nombre).contains(text.lower(), autoescape=True))
    rows = [{**row_values(cat, r), "usos": {}} for r in db.session.scalars(stmt)]
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
    return ", ".join(cantidad(n, label) for label, n in usos.items())


# --------------------------------------------------------------------------- step templates


def step_sets(kind: str = "ot") -> list[int]:
    k = STEP_KINDS[kind]
    sets = set(db.session.scalars(select(k.template.tipo).distinct()))
    sets |= set(db.session.scalars(select(k.rule.tipo_paso).distinct()))
    return sorted(sets) or [DEFAULT_SETS[kind]]


DEFAULT_SETS = {"ot": 5, "pte": 1}


def step_set_names(kind: str = "ot") -> dict[int, str]:
    """{set: its name} from the rules that assign it ("OT inicial, cualquier cliente; OT
    reprogramada, Pemex"): a set is named by what gets it, so the name never goes stale."""
    k = STEP_KINDS[kind]
    rule = k.rule
    columns = [rule.tipo_paso, Cliente.nombre]
    if kind == "ot":
        columns.append(TipoDocumento.nombre)
    stmt = select(*columns).outerjoin(Cliente, Cliente.id == rule.id_cliente)
    if kind == "ot":
        stmt = stmt.outerjoin(TipoDocumento, TipoDocumento.id == rule.id_tipo)
    names: dict[int, list[str]] = {}
    for row in db.session.execute(stmt.order_by(rule.tipo_paso, rule.id)):
        cliente = row[1] or "cualquier cliente"
        names.setdefault(row[0], []).append(f"{row[2]}, {cliente}" if kind == "ot" else f"PTE de {cliente}")
    return {s: "; ".join(v) for s, v in names.items()}


def _steps_select(step_set: int, kind: str, *extra):
    """A set's templates in checklist order (OT: id; PTE: `orden`, sub-steps under their step)."""
    k = STEP_KINDS[kind]
    t = k.template
    columns = [t.id, t.descripcion, t.activo, t.peso]
    if not k.substeps:
        return select(*columns, *extra).where(t.tipo == step_set).order_by(t.id)
    from ..pte.read import checklist_order

    parent, order = checklist_order()
    return (
        select(*columns, t.orden, t.id_padre, *extra)
        .outerjoin(parent, parent.id == t.id_padre)
        .where(t.tipo == step_set)
        .order_by(*order)
    )


def _step_dict(row, kind: str) -> dict:
    out = {"id": row[0], "descripcion": row[1], "activo": bool(row[2]), "peso": row[3]}
    if STEP_KINDS[kind].substeps:
        out.update(orden=row[4], id_padre=row[5])
    return out


def list_steps(step_set: int, kind: str = "ot") -> list[dict]:
    """Templates of a set in checklist order, with how many OTs (PTEs) use each (`ots`)."""
    k = STEP_KINDS[kind]
    t, d = k.template, k.detail
    used = (
        select(d.id_paso, func.count(getattr(d, k.owner).distinct()).label("n"))
        .join(t, t.id == d.id_paso)
        .where(t.tipo == step_set)
        .group_by(d.id_paso)
        .subquery()
    )
    stmt = _steps_select(step_set, kind, func.coalesce(used.c.n, 0)).outerjoin(used, used.c.id_paso == t.id)
    return [{**_step_dict(r, kind), "ots": r[-1]} for r in db.session.execute(stmt)]


def list_steps_plain(step_set: int, kind: str = "ot") -> list[dict]:
    return [_step_dict(r, kind) for r in db.session.execute(_steps_select(step_set, kind))]


# --------------------------------------------------------------------------- step-set rules


def list_rules(kind: str = "ot") -> list:
    rule = STEP_KINDS[kind].rule
    order = [rule.id_cliente.is_(None), rule.id_cliente]
    if kind == "ot":
        order.insert(0, rule.id_tipo)
    return list(db.session.scalars(select(rule).order_by(*order)).unique())


def preview(id_tipo: int | None, id_cliente: int | None, kind: str = "ot") -> dict:
    """What a new OT of this tipo (a new PTE) for this client would get: the set and its active
    steps (a sub-step only under an active step, as creation does)."""
    if kind == "pte":
        from ..pte.read import step_set_for as pte_step_set_for

        step_set = pte_step_set_for(id_cliente)
    else:
        from ..orders.read import step_set_for

        step_set = step_set_for(id_tipo, id_cliente)
    pasos = list_steps_plain(step_set, kind)
    active = {p["id"] for p in pasos if p["activo"]}
    pasos = [p for p in pasos if p["id"] in active and (not p.get("id_padre") or p["id_padre"] in active)]
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


def options(*names: str) -> Catalogs:
    """The requested catalogs (all of them without names), each a tuple of Options in id order.
    Every simple catalog is read in ONE statement (UNION ALL) once per data version in each worker,
    and shared: the list's filters, the forms and the list rows' names (name_maps) ask for different
    sets, and one read of all of them (a few hundred rows) costs less than one read per set. The
    tuples are shared by the requests that read them."""
    everything = data_version.cached("catalog_options", None, _options)
    return Catalogs({name: everything[name] for name in names or MODELS})


def _options() -> Catalogs:
    parts = [
        select(literal(name).label("cat"), model.id, model.nombre, model.activo)
        for name, model in MODELS.items()
    ]
    out = Catalogs({name: [] for name in MODELS})
    for cat, id_, nombre, activo in sorted(
        db.session.execute(union_all(*parts)).all(), key=lambda r: (r[0], r[1])
    ):
        out[cat].append(Option(id_, nombre, bool(activo)))
    return Catalogs({cat: tuple(found) for cat, found in out.items()})


def name_maps() -> dict[str, dict[int, str]]:
    """{catalog: {id: name}} of every catalog, every row (a retired one too: an OT keeps showing its
    name), from the options kept per data version: a lookup instead of a join (orders.read)."""
    return data_version.cached(
        "catalog_names",
        None,
        lambda: {cat: {o.id: o.nombre for o in found} for cat, found in options().items()},
    )


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
