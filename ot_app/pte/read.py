"""PTE reads: one PTE, its OTs with their versions, the list, the workflow's names. No writes here."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import ClassVar

from sqlalchemy import case, func, or_, select, true
from sqlalchemy.orm import aliased, joinedload

from .. import steps
from ..auth.security import sees_deleted
from ..extensions import db
from ..models import (
    OTE,
    Cliente,
    EstatusOT,
    EstatusPaso,
    EstatusPTE,
    PasoPte,
    PTEDetalle,
    PTEHeader,
    Registro,
    ReglaPasoPte,
)
from ..orders.read import Avance, Fila
from ..service_errors import NotFound

DEFAULT_STEP_SET = 1  # the seed's PTE checklist for every client


def status_names() -> dict[int, str]:
    return dict(db.session.execute(select(EstatusPTE.id, EstatusPTE.nombre)).all())


def get_pte(pte_id, actor=None) -> PTEHeader:
    """One PTE; a deleted one only for admins (404 otherwise; `actor` defaults to the request's user)."""
    pte = db.session.get(
        PTEHeader,
        pte_id,
        options=[
            joinedload(PTEHeader.cliente),
            joinedload(PTEHeader.responsable),
            joinedload(PTEHeader.estatus_pte),
        ],
    )
    if pte is None or (pte.eliminada and not sees_deleted(actor)):
        raise NotFound(f"No existe la PTE con ID {pte_id}.")
    return pte


class PTEOts(list):
    """The PTE's OT rows, nested by chain; `total` counts every row shown (initial OTs and their
    versions alike), from the same query, so the heading never disagrees with the table."""

    total: int = 0
    eliminadas: int = 0


def ots_of(pte_id: int, actor=None) -> PTEOts:
    """The PTE's OTs, each initial OT followed by its versions (a version whose initial OT belongs to
    another PTE is listed on its own); deleted ones for admins only. Each row carries its OT status
    (`estatus_ot`, the name), not only the record's."""
    rows = db.session.execute(
        select(
            OTE.id,
            OTE.orden_trabajo,
            OTE.id_tipo,
            OTE.ot_principal,
            OTE.num_reprogramacion,
            OTE.estatus,
            OTE.id_estatus_ot,
            EstatusOT.nombre.label("estatus_ot"),
            OTE.fecha_inicio_programado,
            OTE.fecha_termino_programado,
            OTE.monto_mxn,
            OTE.monto_usd,
        )
        .outerjoin(EstatusOT, EstatusOT.id == OTE.id_estatus_ot)
        .where(
            OTE.id_pte_header == pte_id, true() if sees_deleted(actor) else OTE.estatus != Registro.ELIMINADA
        )
        .order_by(OTE.folio_norm, OTE.num_reprogramacion.is_not(None), OTE.num_reprogramacion, OTE.id)
    ).all()
    items = [dict(r._mapping) for r in rows]
    initial_ids = {i["id"] for i in items if i["ot_principal"] is None}
    out = PTEOts()
    out.total = len(items)  # every item is shown once: nested under its initial OT or on its own
    out.eliminadas = sum(1 for i in items if i["estatus"] == Registro.ELIMINADA)
    for item in items:
        if item["ot_principal"] is None:
            item["versiones"] = [v for v in items if v["ot_principal"] == item["id"]]
            out.append(item)
        elif item["ot_principal"] not in initial_ids:
            item["versiones"] = []
            out.append(item)
    return out


@dataclass
class PTEQuery:
    q: str = ""
    id_cliente: int | None = None
    id_estatus_pte: int | None = None
    estatus: int = Registro.ACTIVA
    orden: str = "-id"
    page: int = 1
    per_page: int = 50

    PRESENTATION: ClassVar[frozenset] = frozenset({"page", "per_page", "orden"})

    @property
    def filtered(self) -> bool:
        """Whether any search or filter narrows the list (so an empty page means "no matches")."""
        return any(
            getattr(self, f.name) != f.default for f in fields(self) if f.name not in self.PRESENTATION
        )


# The list's sortable columns (`?orden=key`, `-key` descending), as on the OT list.
SORTS = {
    "id": PTEHeader.id,
    "oficio": PTEHeader.oficio_pte,
    "cliente": Cliente.nombre,
    "fecha_solicitud": PTEHeader.fecha_solicitud,
    "plazo_dias": PTEHeader.plazo_dias,
    "monto_mxn": PTEHeader.monto_mxn,
    "monto_usd": PTEHeader.monto_usd,
    "estatus_pte": PTEHeader.id_estatus_pte,
    "ots": None,  # the OT count, a correlated subquery built below
}
DEFAULT_SORT = PTEQuery.orden


def list_ptes(query: PTEQuery) -> tuple[list[dict], int]:
    conditions = [PTEHeader.estatus == query.estatus]
    if query.id_cliente:
        conditions.append(PTEHeader.id_cliente == query.id_cliente)
    if query.id_estatus_pte:
        conditions.append(PTEHeader.id_estatus_pte == query.id_estatus_pte)
    text = " ".join((query.q or "").split()).lower()
    if text:
        conditions.append(
            or_(
                func.lower(PTEHeader.oficio_pte).contains(text, autoescape=True),
                func.lower(PTEHeader.descripcion).contains(text, autoescape=True),
            )
        )
    total = db.session.scalar(select(func.count()).select_from(PTEHeader).where(*conditions))
    ot_count = (
        select(func.count())
        .where(OTE.id_pte_header == PTEHeader.id, OTE.estatus != Registro.ELIMINADA)
        .correlate(PTEHeader)
        .scalar_subquery()
    )
    rows = db.session.execute(
        select(
            PTEHeader.id,
            PTEHeader.oficio_pte,
            PTEHeader.descripcion,
            PTEHeader.id_cliente,
            Cliente.nombre.label("cliente"),
            PTEHeader.fecha_solicitud,
            PTEHeader.plazo_dias,
            PTEHeader.monto_mxn,
            PTEHeader.monto_usd,
            PTEHeader.id_estatus_pte,
            EstatusPTE.nombre.label("estatus_pte"),
            ot_count.label("ots"),
        )
        .outerjoin(Cliente, Cliente.id == PTEHeader.id_cliente)
        .join(EstatusPTE, EstatusPTE.id == PTEHeader.id_estatus_pte)
        .where(*conditions)
        .order_by(*_order(query.orden, ot_count))
        .limit(query.per_page)
        .offset((query.page - 1) * query.per_page)
    ).all()
    items = [dict(r._mapping) for r in rows]
    progress = progress_of([item["id"] for item in items])
    for item in items:
        item["avance"] = progress.get(item["id"], Avance(0, 0))
    return items, total


def _order(orden: str, ot_count) -> list:
    """ORDER BY for `orden`; ties broken by id in the same direction, so pages never overlap."""
    desc = orden.startswith("-")
    key = orden.lstrip("-")
    column = ot_count if key == "ots" else SORTS.get(key, PTEHeader.id)
    out = [column.desc() if desc else column.asc()]
    if column is not PTEHeader.id:
        out.append(PTEHeader.id.desc() if desc else PTEHeader.id.asc())
    return out


def active_ptes(aprobada: bool | None = None) -> list:
    """The live PTEs by oficio, as `/api/pte/listar` sends them (rows with `aprobada`); with
    `aprobada`, only the approved ones (True) or only the others (False)."""
    stmt = (
        select(
            PTEHeader.id,
            PTEHeader.oficio_pte,
            PTEHeader.descripcion,
            PTEHeader.id_cliente,
            PTEHeader.id_estatus_pte,
            PTEHeader.aprobada.label("aprobada"),
        )
        .where(PTEHeader.estatus == Registro.ACTIVA)
        .order_by(PTEHeader.oficio_pte)
    )
    if aprobada is not None:
        stmt = stmt.where(PTEHeader.aprobada if aprobada else ~PTEHeader.aprobada)
    return [row._mapping for row in db.session.execute(stmt)]


# --------------------------------------------------------------------------- checklist


def step_set_for(id_cliente: int | None) -> int:
    """The PTE rule table: the client's own rule first, then the one for any client."""
    rule = db.session.scalar(
        select(ReglaPasoPte.tipo_paso)
        .where(or_(ReglaPasoPte.id_cliente == id_cliente, ReglaPasoPte.id_cliente.is_(None)))
        .order_by(ReglaPasoPte.id_cliente.is_(None))
        .limit(1)
    )
    return rule if rule is not None else DEFAULT_STEP_SET


def _progress_sums():
    """A PTE's progress (`steps.progress_sums`, the rule OTs use too): a step with sub-steps counts
    once, as itself (its status follows them), so sub-steps weigh nothing."""
    return steps.progress_sums(
        PTEDetalle.estatus_paso, case((PasoPte.id_padre.is_(None), PasoPte.peso), else_=0)
    )


def checklist_order():
    """Steps by their template's `orden`, each step's sub-steps right under it."""
    parent = aliased(PasoPte)
    return parent, [
        func.coalesce(parent.orden, PasoPte.orden),
        func.coalesce(parent.id, PasoPte.id),
        PasoPte.id_padre.is_not(None),
        PasoPte.orden,
        PasoPte.id,
    ]


def steps_and_progress(pte_id: int) -> tuple[list[Fila], Avance]:
    """The PTE's checklist in order (steps numbered 1, 2…, sub-steps 3.1, 3.2…), each with
    `subpasos` (how many it has) and `id_padre` (its parent step's id), and the progress: one
    statement."""
    done, applicable = _progress_sums()
    parent, order = checklist_order()
    rows = db.session.execute(
        select(
            PTEDetalle.id,
            PTEDetalle.id_paso,
            PasoPte.descripcion.label("paso"),
            PasoPte.id_padre.label("id_paso_padre"),
            PTEDetalle.estatus_paso,
            EstatusPaso.nombre.label("estatus_nombre"),
            PTEDetalle.comentario,
            PTEDetalle.updated_at,
            PTEDetalle.fecha_inicio,
            PTEDetalle.fecha_termino,
            PTEDetalle.fecha_entrega,
            PTEDetalle.entregable_url,
            PTEDetalle.archivo_nombre,
            done.over().label("hecho"),
            applicable.over().label("aplicable"),
        )
        .join(PasoPte, PasoPte.id == PTEDetalle.id_paso)
        .outerjoin(parent, parent.id == PasoPte.id_padre)
        .join(EstatusPaso, EstatusPaso.id == PTEDetalle.estatus_paso)
        .where(PTEDetalle.id_pte == pte_id)
        .order_by(*order)
    ).all()
    out: list[Fila] = []
    by_template: dict[int, Fila] = {}
    n = sub = 0
    for r in rows:
        step = Fila(r._mapping)
        step["comentario"] = step["comentario"] or ""
        step["subpasos"] = 0
        owner = by_template.get(step["id_paso_padre"]) if step["id_paso_padre"] else None
        if owner is not None:
            sub += 1
            owner["subpasos"] += 1
            step["id_padre"] = owner["id"]
            step["n"] = f"{owner['n']}.{sub}"
        else:
            n, sub = n + 1, 0
            step["id_padre"] = None
            step["n"] = str(n)
        by_template[step["id_paso"]] = step
        out.append(step)
    avance = Avance(int(rows[0].hecho or 0), int(rows[0].aplicable or 0)) if rows else Avance(0, 0)
    return out, avance


def step_file(paso_id: int):
    """The step's uploaded deliverable (files.StoredFile); NotFound when it has none, or when its
    PTE is deleted and the reader is not an admin."""
    pte_of_step(paso_id)
    return steps.stored_of(db.session.get(PTEDetalle, paso_id))


def pte_of_step(paso_id: int) -> int:
    """The PTE a step belongs to; a deleted PTE's steps only for admins (as `get_pte`)."""
    row = db.session.execute(
        select(PTEDetalle.id_pte, PTEHeader.estatus)
        .join(PTEHeader, PTEHeader.id == PTEDetalle.id_pte)
        .where(PTEDetalle.id == paso_id)
    ).first()
    if row is None or (row[1] == Registro.ELIMINADA and not sees_deleted()):
        raise NotFound(f"No existe el paso con ID {paso_id}.")
    return row[0]


def progress_of(pte_ids: list[int]) -> dict[int, Avance]:
    """Progress of several PTEs in one grouped statement (the list's page)."""
    if not pte_ids:
        return {}
    rows = db.session.execute(
        select(PTEDetalle.id_pte, *_progress_sums())
        .join(PasoPte, PasoPte.id == PTEDetalle.id_paso)
        .where(PTEDetalle.id_pte.in_(pte_ids))
        .group_by(PTEDetalle.id_pte)
    )
    return {r[0]: Avance(int(r[1] or 0), int(r[2] or 0)) for r in rows}


# --------------------------------------------------------------------------- Crear OT


def missing_for_ot(pte: PTEHeader) -> str | None:
    """Why this PTE cannot parent a new OT yet (not approved, deleted, its checklist not complete:
    naming the steps left), or None. The one gate: orders.commands checks it for every new OT."""
    if pte.eliminada:
        return f"La PTE {pte.oficio_pte} fue eliminada."
    if not pte.aprobada:
        nombre = pte.estatus_pte.nombre if pte.estatus_pte else ""
        return (
            f"La PTE {pte.oficio_pte} no está aprobada (está {nombre}); "
            "solo una PTE aprobada puede originar una OT."
        )
    pending = (
        db.session.execute(
            select(PasoPte.descripcion)
            .join(PTEDetalle, PTEDetalle.id_paso == PasoPte.id)
            .where(
                PTEDetalle.id_pte == pte.id,
                PasoPte.id_padre.is_(None),
                PTEDetalle.estatus_paso.not_in(steps.CLOSED),
            )
            .order_by(PasoPte.orden, PasoPte.id)
        )
        .scalars()
        .all()
    )
    if pending:
        shown = ", ".join(f"«{p}»" for p in pending[:5]) + (
            f" y {len(pending) - 5} más" if len(pending) > 5 else ""
        )
        return (
            f"La lista de pasos de la PTE {pte.oficio_pte} no está completa: "
            f"{'falta' if len(pending) == 1 else f'faltan {len(pending)} pasos:'} {shown}."
        )
    return None


def folio_proposal(pte: PTEHeader) -> str:
    """A folio for the PTE's next OT: OT-<oficio>, then -2, -3… while one is taken."""
    from ..orders.read import folio_taken

    base = f"OT-{pte.oficio_pte}"[:95]
    count = db.session.scalar(
        select(func.count()).select_from(OTE).where(OTE.id_pte_header == pte.id, OTE.ot_principal.is_(None))
    )
    for n in range(count + 1, count + 50):
        folio = base if n == 1 else f"{base}-{n}"
        if not folio_taken(folio):
            return folio
    return base


def ot_prefill(pte: PTEHeader) -> dict[str, str]:
    """The new-OT form's values taken from its PTE (the form's own names, as text): created Por
    definir until its first edit."""
    from ..formatting import form_text
    from ..models import TipoId

    values = {
        "id_tipo": TipoId.INICIAL,
        "id_pte_header": pte.id,
        "pte_buscar": pte.oficio_pte,
        "orden_trabajo": folio_proposal(pte),
        "descripcion_trabajo": pte.descripcion,
        "id_cliente": pte.id_cliente,
        "responsable_proyecto": pte.id_responsable_proyecto,
        "monto_mxn": pte.monto_mxn,
        "monto_usd": pte.monto_usd,
        "plazo_dias": pte.plazo_dias or None,
        "por_definir": "on",
    }
    return {k: form_text(v) for k, v in values.items() if v is not None}
