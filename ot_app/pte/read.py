"""PTE reads: one PTE, its OTs with their versions, the list, the workflow's names. No writes here."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import ClassVar

from sqlalchemy import func, or_, select, true
from sqlalchemy.orm import joinedload

from ..auth.security import sees_deleted
from ..extensions import db
from ..models import (
    OTE,
    Cliente,
    EstatusPTE,
    PTEHeader,
    Registro,
)
from ..service_errors import NotFound


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


def ots_of(pte_id: int, actor=None) -> list[dict]:
    """The PTE's OTs, each initial OT followed by its versions (a version whose initial OT belongs to
    another PTE is listed on its own); deleted ones for admins only."""
    rows = db.session.execute(
        select(
            OTE.id,
            OTE.orden_trabajo,
            OTE.id_tipo,
            OTE.ot_principal,
            OTE.num_reprogramacion,
            OTE.estatus,
            OTE.id_estatus_ot,
            OTE.fecha_inicio_programado,
            OTE.fecha_termino_programado,
            OTE.monto_mxn,
            OTE.monto_usd,
        )
        .where(
            OTE.id_pte_header == pte_id, true() if sees_deleted(actor) else OTE.estatus != Registro.ELIMINADA
        )
        .order_by(OTE.folio_norm, OTE.num_reprogramacion.is_not(None), OTE.num_reprogramacion, OTE.id)
    ).all()
    items = [dict(r._mapping) for r in rows]
    initial_ids = {i["id"] for i in items if i["ot_principal"] is None}
    out = []
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
    page: int = 1
    per_page: int = 50

    PRESENTATION: ClassVar[frozenset] = frozenset({"page", "per_page"})

    @property
    def filtered(self) -> bool:
        """Whether any search or filter narrows the list (so an empty page means "no matches")."""
        return any(
            getattr(self, f.name) != f.default for f in fields(self) if f.name not in self.PRESENTATION
        )


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
        .order_by(PTEHeader.id.desc())
        .limit(query.per_page)
        .offset((query.page - 1) * query.per_page)
    ).all()
    return [dict(r._mapping) for r in rows], total


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
