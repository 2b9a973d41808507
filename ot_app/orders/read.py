"""Work-order reads: one OT with its chain, steps and history; the list (its SQL, tuned for SQLite
and PostgreSQL); the step-set rule. No writes here."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, fields
from decimal import Decimal
from functools import cache

from sqlalchemy import and_, func, or_, select, text, true
from sqlalchemy.orm import aliased, joinedload

from .. import data_version, steps
from ..auth.security import sees_deleted
from ..catalogs import read as catalog_read
from ..extensions import db
from ..models import (
    OTE,
    ActividadLog,
    EstatusPaso,
    OTDetalle,
    PasoOt,
    PTEHeader,
    Registro,
    ReglaPaso,
    TipoId,
    Usuario,
    normalize_folio,
)
from ..search import search_condition
from ..service_errors import Forbidden, NotFound
from . import baselines

DEFAULT_STEP_SET = 5  # the seed's "everything else"
CENTS = Decimal("0.01")


def initial_by_folio(folio: str, exclude_id: int | None = None) -> int | None:
    """The id of the live initial OT with this folio (folios compare as `normalize_folio` says)."""
    text = normalize_folio(folio)
    if not text:
        return None
    return db.session.scalar(
        select(OTE.id).where(
            OTE.folio_norm == text,
            OTE.id_tipo == TipoId.INICIAL,
            OTE.estatus != Registro.ELIMINADA,
            OTE.id != (exclude_id or 0),
        )
    )


def folio_taken(folio: str, exclude_id: int | None = None) -> str | None:
    """Why this folio cannot be an initial OT's (another live one has it), or None when it is free."""
    clash = initial_by_folio(folio, exclude_id)
    if clash is None:
        return None
    return f"Ya existe una OT inicial con el folio {' '.join(folio.split())} (ID {clash})."


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


@dataclass(frozen=True)
class Avance:
    """An OT's step progress: completed steps over the steps that apply."""

    done: int
    total: int

    @property
    def pct(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0

    @property
    def completo(self) -> bool:
        """Nothing left to do (every step that applies is done; true for a checklist with none)."""
        return self.done >= self.total


def _progress_sums():
    """Step progress of an OT (`steps.progress_sums`, the one rule shared with PTEs): weighted
    COMPLETADO steps over every step but NO_APLICA. Aggregates over OTDetalle rows joined to their
    PasoOt template (its `peso`), grouped in the list, a window in the detail."""
    return steps.progress_sums(OTDetalle.estatus_paso, PasoOt.peso)


def steps_and_progress(ot_id: int) -> tuple[list[dict], Avance]:
    """The OT's steps in order, numbered from 1, and its progress: one statement."""
    done, applicable = _progress_sums()
    rows = db.session.execute(
        select(
            OTDetalle.id,
            OTDetalle.id_paso,
            PasoOt.descripcion,
            OTDetalle.estatus_paso,
            EstatusPaso.nombre,
            OTDetalle.comentario,
            OTDetalle.updated_at,
            done.over(),
            applicable.over(),
            OTDetalle.fecha_inicio,
            OTDetalle.fecha_termino,
            OTDetalle.fecha_entrega,
            OTDetalle.entregable_url,
            OTDetalle.archivo_nombre,
        )
        .join(PasoOt, PasoOt.id == OTDetalle.id_paso)
        .join(EstatusPaso, EstatusPaso.id == OTDetalle.estatus_paso)
        .where(OTDetalle.id_ot == ot_id)
        .order_by(OTDetalle.id_paso, OTDetalle.id)
    ).all()
    steps = [
        {
            "n": n,
            "id": r[0],
            "id_paso": r[1],
            "paso": r[2],
            "estatus_paso": r[3],
            "estatus_nombre": r[4],
            "comentario": r[5] or "",
            "updated_at": r[6],
            "fecha_inicio": r[9],
            "fecha_termino": r[10],
            "fecha_entrega": r[11],
            "entregable_url": r[12],
            "archivo_nombre": r[13],
        }
        for n, r in enumerate(rows, start=1)
    ]
    avance = Avance(int(rows[0][7] or 0), int(rows[0][8] or 0)) if rows else Avance(0, 0)
    return steps, avance


def steps_of(ot_id: int) -> list[dict]:
    return steps_and_progress(ot_id)[0]


def step_file(paso_id: int):
    """The step's uploaded deliverable (files.StoredFile); NotFound when it has none, or when its
    OT is deleted and the reader is not an admin (`ot_of_step`)."""
    ot_of_step(paso_id)
    return steps.stored_of(db.session.get(OTDetalle, paso_id))


def ot_of_step(paso_id: int) -> int:
    """The OT a step belongs to (a step of a deleted OT is not found below admin)."""
    row = db.session.execute(
        select(OTDetalle.id_ot, OTE.estatus)
        .join(OTE, OTE.id == OTDetalle.id_ot)
        .where(OTDetalle.id == paso_id)
    ).first()
    id_ot = row[0] if row and (row[1] != Registro.ELIMINADA or sees_deleted()) else None
    if id_ot is None:
        raise NotFound(f"No existe el paso con ID {paso_id}.")
    return id_ot


@contextmanager
def _joins_as_written():
    """PostgreSQL plans the joins in the order written. For one row and its many-to-one names (each
    join on a primary key) that order is the plan, and searching the others is most of the cost:
    get_order's twelve relations took 4.2 ms to plan and 0.2 ms to run (0.7 ms planned as written).
    SET LOCAL ends with the transaction; the reset keeps the rest of it planned as usual."""
    if db.session.get_bind().dialect.name != "postgresql":
        yield
        return
    db.session.execute(text("SET LOCAL join_collapse_limit = 1"))
    yield
    db.session.execute(text("SET LOCAL join_collapse_limit = DEFAULT"))


def get_order(ot_id, actor=None) -> OTE:
    """One OT; a deleted one only for admins (404 otherwise; `actor` defaults to the request's user)."""
    with _joins_as_written():
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
    if ot is None or (ot.eliminada and not sees_deleted(actor)):
        raise NotFound(f"No existe la OT con ID {ot_id}.")
    return ot


def chain_of(ot: OTE, actor=None) -> list[Fila]:
    """The versions of the chain this OT belongs to (its initial OT's versions), oldest first, as
    stored (dates, Decimals): `serialize.Reprogramacion` is what the API sends of one."""
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
        .where(OTE.ot_principal == root, true() if sees_deleted(actor) else OTE.estatus != Registro.ELIMINADA)
        .order_by(OTE.num_reprogramacion)
    ).all()
    return [Fila(r._mapping) for r in rows]


def version_label(num_reprogramacion: int | None) -> str:
    """How a version is named: R0 is the initial OT, R3 its third reprogramming."""
    return baselines.label(num_reprogramacion)


def chain_root(ot) -> int:
    """The id of the initial OT of the chain this OT (an OTE or a list row) belongs to."""
    return ot.ot_principal if ot.id_tipo == TipoId.REPROGRAMADA and ot.ot_principal else ot.id


def current_version(ot) -> Fila | None:
    """The chain's current version (`vigente`): its live member with the highest number, the
    initial OT when it has no live version; None when every member is deleted. One statement."""
    return current_of_chain(chain_root(ot))


def current_of_chain(root: int) -> Fila | None:
    """`current_version` of the chain whose initial OT is `root`: THE rule, in one statement (the
    `OTE.vigente` flag the list filters on is kept from it by `commands.mark_current`)."""
    row = db.session.execute(
        select(OTE.id, OTE.num_reprogramacion)
        .where(or_(OTE.id == root, OTE.ot_principal == root), OTE.estatus != Registro.ELIMINADA)
        .order_by(func.coalesce(OTE.num_reprogramacion, 0).desc())
        .limit(1)
    ).first()
    return Fila(row._mapping) if row else None


@dataclass
class Lineage:
    """A chain as baselines: its folio, its initial OT, its current version and every live version
    (R0 first) with its changes against the previous one and the original, and its warnings."""

    folio: str
    ot_principal: int
    vigente: int | None
    versiones: list[Fila]


def versions_of(ot) -> Lineage:
    """The lineage of the chain of any member (an OTE or a row): one statement whatever its length.
    Deleted members are not part of it; the current version is the last live one."""
    root = chain_root(ot)
    rows = db.session.execute(
        select(
            OTE.id,
            OTE.orden_trabajo,
            func.coalesce(OTE.num_reprogramacion, 0).label("num_reprogramacion"),
            OTE.fecha_inicio_programado,
            OTE.fecha_termino_programado,
            OTE.plazo_dias,
            OTE.monto_mxn,
            OTE.monto_usd,
            OTE.id_pte_header,
            OTE.oficio_ot,
            OTE.motivo,
            func.coalesce(Usuario.nombre, Usuario.username).label("creada_por"),
            OTE.created_at.label("creada_en"),
        )
        .outerjoin(Usuario, Usuario.id == OTE.created_by)
        .where(or_(OTE.id == root, OTE.ot_principal == root), OTE.estatus != Registro.ELIMINADA)
        .order_by(func.coalesce(OTE.num_reprogramacion, 0))
    ).all()
    versions = [Fila(r._mapping) for r in rows]
    vigente = versions[-1]["id"] if versions else None
    original = versions[0] if versions and versions[0]["num_reprogramacion"] == 0 else None
    previous = None
    for version in versions:
        version["vigente"] = version["id"] == vigente
        version["cambios_vs_anterior"] = baselines.changes(previous, version) if previous else {}
        version["cambios_vs_original"] = (
            baselines.changes(original, version) if original is not None and version is not original else {}
        )
        version["advertencias"] = baselines.warnings(version, previous=previous, original=original)
        previous = version
    folio = versions[0]["orden_trabajo"] if versions else ot.orden_trabajo
    return Lineage(folio=folio, ot_principal=root, vigente=vigente, versiones=versions)


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
CHAIN_ROWS_MAX = 200  # a chain's rows under its current version (real chains reach 11)


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
    ids: tuple[int, ...] | None = None  # these OTs (a selection), deleted ones for admins only
    totales: bool = False  # also sum the amounts of every OT that matches (the list's totals)
    vigentes: bool = False  # one row per chain: its current version
    cadena: int | None = None  # every member of the chain whose initial OT has this id
    condiciones: tuple = ()  # more SQL conditions (query.py: the dashboard's filters, e.g. vencidas=1)
    orden: str = DEFAULT_SORT
    page: int = 1
    per_page: int = 50

    # How the rows are shown, not which rows: not a filter.
    PRESENTATION = frozenset({"orden", "page", "per_page", "totales"})

    @property
    def filtered(self) -> bool:
        """Whether any search or filter narrows the list (so an empty page means "no matches")."""
        return any(
            getattr(self, f.name) != f.default for f in fields(self) if f.name not in self.PRESENTATION
        )


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
    # Per currency, never converted: the sums over every matching OT (all pages), when asked.
    total_mxn: Decimal | None = None
    total_usd: Decimal | None = None

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def _filters(query: ListQuery, actor=None) -> list:
    conditions = []
    if query.id is not None:
        conditions.append(OTE.id == query.id)
    elif query.ids is not None:
        conditions.append(OTE.id.in_(query.ids))
        if not sees_deleted(actor):
            conditions.append(OTE.estatus != Registro.ELIMINADA)
    elif query.estatus is None:
        conditions.append(OTE.estatus != Registro.ELIMINADA)
    else:
        conditions.append(OTE.estatus == query.estatus)
    for name in ("id_cliente", "id_estatus_ot", "id_tipo", "id_frente", "id_pte_header", "ot_principal"):
        value = getattr(query, name)
        if value is not None:
            conditions.append(getattr(OTE, name) == value)
    if query.cadena is not None:
        conditions.append(or_(OTE.id == query.cadena, OTE.ot_principal == query.cadena))
    if query.pte:
        ptes = select(PTEHeader.id).where(
            func.lower(PTEHeader.oficio_pte).contains(query.pte.lower(), autoescape=True)
        )
        conditions.append(OTE.id_pte_header.in_(ptes))
    if query.vigentes:
        conditions.append(OTE.vigente)
    conditions.extend(query.condiciones)
    found = search_condition(query.q, db.session.get_bind().dialect.name)
    if found is not None:
        conditions.append(found)
    return conditions


ONLY_ADMINS_SEE_DELETED = "Solo un administrador puede ver las OT eliminadas."


def list_conditions(query: ListQuery, actor=None) -> list:
    """The list's WHERE (shared by the page, the API and the exports, so they never drift)."""
    if query.estatus == Registro.ELIMINADA and not (actor is not None and actor.puede("admin")):
        raise Forbidden(ONLY_ADMINS_SEE_DELETED)
    return _filters(query, actor)


def list_order(query: ListQuery) -> list:
    """The list's ORDER BY: the chosen column, then the id (a stable order across pages)."""
    desc = query.orden.startswith("-")
    column = SORTS.get(query.orden.lstrip("-"), OTE.id)
    order = [column.desc() if desc else column.asc()]
    if column is not OTE.id:
        order.append(OTE.id.desc() if desc else OTE.id.asc())
    return order


def list_select(first=None):
    """The list's columns with the PTE's oficio joined (the page, the API and the exports read the
    same row); `with_names` adds the catalogs' names.

    `first`: a subquery of the ids to show (a page's). It comes first in the FROM, so both planners
    start from those ids and join the PTEs for them alone."""
    stmt = select(*_list_columns())
    if first is not None:
        stmt = stmt.select_from(first).join(OTE, OTE.id == first.c.id)
    return stmt.outerjoin(_pte(), _pte().id == OTE.id_pte_header)


@cache
def _pte():
    return aliased(PTEHeader)


# The row's catalog names: (its key, the catalog, the OT's id column). Looked up in the catalogs kept
# per data version, not joined: eight joins made PostgreSQL spend 5 ms planning every list page
# that was not kept (100,000 OTs: the page's own rows took 0.7 ms), and the catalogs are small.
ROW_NAMES = (
    ("cliente", "clientes", "id_cliente"),
    ("frente", "frentes", "id_frente"),
    ("plataforma", "plataformas", "id_plataforma"),
    ("patio", "patios", "id_patio"),
    ("responsable", "responsables", "id_responsable_proyecto"),
    ("estatus_ot", "estatus_ot", "id_estatus_ot"),
    ("tipo", "tipos", "id_tipo"),
)


def with_names(rows) -> Iterator[Fila]:
    """`list_select`'s rows as Filas with their catalog names, the site the first of the vessel,
    the platform and the yard (as the OT page shows it)."""
    maps = catalog_read.name_maps()
    named = [(key, maps[catalog], column) for key, catalog, column in ROW_NAMES]
    vessels = maps["embarcaciones"]
    for row in rows:
        item = Fila(row._mapping)
        for key, names, column in named:
            item[key] = names.get(item[column])
        item["sitio"] = vessels.get(item["id_embarcacion"]) or item["plataforma"] or item["patio"]
        item["vigente"] = bool(item["vigente"])
        yield item


@cache
def _list_columns() -> tuple:
    """Built once per process: SQL expressions are immutable, and building the labels took ~0.8 ms
    of every list request (profile)."""
    return (
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
        OTE.id_embarcacion,
        OTE.id_plataforma,
        OTE.id_patio,
        OTE.comentario,
        OTE.version,
        _pte().oficio_pte.label("pte"),
        OTE.vigente,
    )


def _count_key(query: ListQuery, actor) -> tuple:
    """What the count depends on: the filters (not the page or the order), whether the actor sees
    deleted OTs, and the extra conditions as SQL text with their values."""
    dialect = db.session.get_bind().dialect
    extra = tuple(
        str(c.compile(dialect=dialect, compile_kwargs={"literal_binds": True})) for c in query.condiciones
    )
    plain = tuple(
        getattr(query, f.name)
        for f in fields(query)
        if f.name not in ("orden", "page", "per_page", "condiciones")
    )
    return plain, extra, sees_deleted(actor)


def rows_statement(query: ListQuery, conditions: list):
    """A page's rows. Deferred join: the page's ids on the indexes first (over `ote` alone), then
    the names for those rows only (joining before the OFFSET made deep pages pay for every skipped
    row; joining the ids last made PostgreSQL join every OT with the catalogs, 190 ms at 100,000)."""
    order = list_order(query)
    page_ids = (
        select(OTE.id)
        .where(and_(*conditions))
        .order_by(*order)
        .limit(query.per_page)
        .offset((query.page - 1) * query.per_page)
        .subquery("pagina")
    )
    return list_select(page_ids).order_by(*order)


def list_orders(query: ListQuery, actor=None) -> Page:
    """A page of OT rows (dicts) with names, step progress and version counts.

    Four statements whatever the page size: count, rows, step progress, version counts (grouped
    queries over the page's ids: cheaper than a correlated subquery per row, measured)."""
    conditions = list_conditions(query, actor)
    # The totals ride on the count: the same filters, the same statement (no second pass).
    sums = (func.sum(OTE.monto_mxn), func.sum(OTE.monto_usd)) if query.totales else ()
    count = select(func.count(), *sums).select_from(OTE).where(and_(*conditions))
    if query.id is None:
        # Exact, and computed once per (filters, data version) in each worker: over 100,000 OTs
        # the count is most of a page's SQL time (a search's MATCH, PostgreSQL's scan).
        counted = data_version.cached(
            "ot_total", _count_key(query, actor), lambda: tuple(db.session.execute(count).one())
        )
    else:
        counted = db.session.execute(count).one()
    total = counted[0]
    items = list(with_names(db.session.execute(rows_statement(query, conditions))))
    ids = [item["id"] for item in items]
    progress = {}
    versions = {}
    if ids:
        progress = {
            r[0]: (r[1], r[2])
            for r in db.session.execute(
                select(OTDetalle.id_ot, *_progress_sums())
                .join(PasoOt, PasoOt.id == OTDetalle.id_paso)
                .where(OTDetalle.id_ot.in_(ids))
                .group_by(OTDetalle.id_ot)
            )
        }
        # A chain's current version stands for its chain: it gets the chain's count too.
        initial = [
            item["id"] if item["id_tipo"] == TipoId.INICIAL else item["ot_principal"]
            for item in items
            if item["id_tipo"] == TipoId.INICIAL or (item["vigente"] and item["ot_principal"])
        ]
        if initial:
            versions = dict(
                db.session.execute(
                    select(OTE.ot_principal, func.count())
                    .where(OTE.ot_principal.in_(initial), OTE.estatus != Registro.ELIMINADA)
                    .group_by(OTE.ot_principal)
                ).all()
            )
    for item in items:
        done, total_steps = progress.get(item["id"], (0, 0))
        item["pasos_completados"] = int(done or 0)
        item["pasos_total"] = int(total_steps or 0)
        item["avance"] = Avance(item["pasos_completados"], item["pasos_total"])
        if item["id_tipo"] == TipoId.INICIAL:
            item["reprogramaciones"] = versions.get(item["id"], 0)
        elif item["vigente"] and item["ot_principal"]:
            item["reprogramaciones"] = versions.get(item["ot_principal"], 0)
        else:
            item["reprogramaciones"] = None
    page = Page(items=items, total=total, page=query.page, per_page=query.per_page)
    if query.totales:
        page.total_mxn, page.total_usd = (Decimal(v or 0).quantize(CENTS) for v in counted[1:])
    return page


def list_row(ot_id: int, actor=None) -> dict:
    """One OT as a list row (the same keys as `list_orders` items); a deleted one for admins only."""
    page = list_orders(ListQuery(id=ot_id, per_page=1))
    if not page.items or (page.items[0]["estatus"] == Registro.ELIMINADA and not sees_deleted(actor)):
        raise NotFound(f"No existe la OT con ID {ot_id}.")
    return page.items[0]
