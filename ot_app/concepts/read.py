"""Reads of the concept catalog: a page of concepts (search every word in partida, concept or unit;
filter by tipo and state), one concept, the units, the imports (revisions) and their files, and
the rows of the export."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, or_, select

from ..annexes.rules import fmt, number_text
from ..exports import Column
from ..extensions import db
from ..models import Concepto, ConceptoRevision, TipoConcepto, Unidad
from ..service_errors import NotFound

PER_PAGE = 50
ESTADOS = ("activos", "inactivos", "todos")


@dataclass(frozen=True)
class Filtro:
    q: str = ""
    tipo: str = ""  # "", ordinario, pue
    estado: str = "activos"
    pagina: int = 1

    @classmethod
    def from_args(cls, args) -> Filtro:
        """Query-string arguments, forgiving: an unknown value is the default (a search form)."""
        tipo = args.get("tipo", "")
        estado = args.get("estado", "activos")
        try:
            pagina = max(1, min(int(args.get("pagina", "1")), 100_000))
        except ValueError:
            pagina = 1
        return cls(
            q=(args.get("q") or "")[:100].strip(),
            tipo=tipo if tipo in (TipoConcepto.ORDINARIO, TipoConcepto.PUE) else "",
            estado=estado if estado in ESTADOS else "activos",
            pagina=pagina,
        )


def _where(f: Filtro) -> list:
    conds = []
    if f.estado != "todos":
        conds.append(Concepto.activo.is_(f.estado == "activos"))
    if f.tipo:
        conds.append(Concepto.tipo == f.tipo)
    for word in f.q.split()[:8]:
        like = f"%{word.lower().replace('%', '').replace('_', '')}%"
        conds.append(
            or_(
                func.lower(Concepto.partida).like(like),
                func.lower(Concepto.concepto).like(like),
                func.lower(Concepto.unidad).like(like),
                func.lower(Concepto.anexo).like(like),
            )
        )
    return conds


def _row(c: Concepto, clave_unidad: str | None) -> dict:
    return {
        "id": c.id,
        "anexo": c.anexo,
        "partida": c.partida,
        "concepto": c.concepto,
        "unidad": c.unidad,
        "unidad_clave": clave_unidad,
        "pu_mxn": number_text(c.pu_mxn),
        "pu_usd": number_text(c.pu_usd),
        "tipo": c.tipo,
        "fecha_sancion": c.fecha_sancion,
        "estatus": c.estatus,
        "capitulo": c.capitulo,
        "activo": c.activo,
        # As the pages show a unit price: thousands commas, its own decimals (up to 4), at least 2.
        "pu_mxn_texto": fmt(c.pu_mxn.normalize()),
        "pu_usd_texto": fmt(c.pu_usd.normalize()),
    }


_ORDER = (Concepto.anexo, Concepto.partida, Concepto.id)


def page(f: Filtro) -> dict:
    """Two statements: the count and the page (the unit's clave joined in)."""
    conds = _where(f)
    total = db.session.scalar(select(func.count()).select_from(Concepto).where(*conds))
    rows = db.session.execute(
        select(Concepto, Unidad.clave)
        .outerjoin(Unidad, Unidad.id == Concepto.id_unidad)
        .where(*conds)
        .order_by(*_ORDER)
        .limit(PER_PAGE)
        .offset((f.pagina - 1) * PER_PAGE)
    ).all()
    return {
        "conceptos": [_row(c, clave) for c, clave in rows],
        "total": total,
        "pagina": f.pagina,
        "por_pagina": PER_PAGE,
    }


def concept(concept_id: int) -> dict:
    row = db.session.execute(
        select(Concepto, Unidad.clave)
        .outerjoin(Unidad, Unidad.id == Concepto.id_unidad)
        .where(Concepto.id == concept_id)
    ).first()
    if row is None:
        raise NotFound(f"No existe el concepto con ID {concept_id}.")
    return _row(*row)


def revisions() -> list[dict]:
    """Every confirmed import of the catalog, the newest first (one statement)."""
    rows = db.session.scalars(select(ConceptoRevision).order_by(ConceptoRevision.n.desc())).all()
    return [
        {
            **r.resumen(),  # its fecha in UTC: pages print it with |fecha_hora
            "renglones": r.renglones,
            "nuevos": r.nuevos,
            "cambiados": r.cambiados,
            "desactivados": r.desactivados,
            "sin_cambio": r.sin_cambio,
        }
        for r in rows
    ]


def stored_file(n: int | None):
    """The file of revision `n` (None: the latest) as it was received."""
    stmt = select(ConceptoRevision)
    stmt = stmt.where(ConceptoRevision.n == n) if n is not None else stmt.order_by(ConceptoRevision.n.desc())
    rev = db.session.scalars(stmt.limit(1)).first()
    if rev is None:
        raise NotFound(
            "El catálogo de conceptos no tiene esa revisión."
            if n is not None
            else "El catálogo de conceptos no se ha importado."
        )
    return rev.archivo


def units() -> list[dict]:
    """The units catalog with its spellings (two statements)."""
    rows = db.session.scalars(
        select(Unidad).order_by(Unidad.clave).options(db.selectinload(Unidad.alias))
    ).all()
    return [
        {
            "id": u.id,
            "clave": u.clave,
            "nombre": u.nombre,
            "activo": u.activo,
            "alias": [a.alias for a in u.alias],
        }
        for u in rows
    ]


EXPORT_COLUMNS = (
    Column("Sub-anexo", ancho=10),
    Column("Partida", ancho=14),
    Column("Concepto", ancho=60),
    Column("Unidad", ancho=10),
    Column("P.U. M.N.", "numero", 16),
    Column("P.U. USD", "numero", 16),
    Column("Tipo", ancho=11),
    Column("Fecha sanción", "fecha", 13),
    Column("Estatus", ancho=16),
    Column("Activo", ancho=8),
)


def export_rows(f: Filtro):
    """Every concept the filter selects (all pages), streamed from the database."""
    result = db.session.execute(
        select(
            Concepto.anexo,
            Concepto.partida,
            Concepto.concepto,
            Concepto.unidad,
            Concepto.pu_mxn,
            Concepto.pu_usd,
            Concepto.tipo,
            Concepto.fecha_sancion,
            Concepto.estatus,
            Concepto.activo,
        )
        .where(*_where(f))
        .order_by(*_ORDER)
        .execution_options(yield_per=1000)
    )
    for anexo, partida, concepto, unidad, pu_mxn, pu_usd, *rest, activo in result:
        # Prices with their own decimals (4125.53, not the column's 4125.5300).
        yield (
            anexo,
            partida,
            concepto,
            unidad,
            number_text(pu_mxn),
            number_text(pu_usd),
            *rest,
            "sí" if activo else "no",
        )
