"""The dashboard's figures: a fixed number of statements whatever the data (grouped in SQL).

It counts what the OT list shows by default (one row per chain, its current version, deleted
ones left out), with the same conditions as the list filters its numbers link to
(`orders.query`: overdue, starting within N days, steps to do). Amounts are summed per currency,
never converted, as whole cents (exact on SQLite, whose NUMERIC columns hold floats)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import BigInteger, and_, case, cast, func, literal, literal_column, select, union_all

from ..extensions import db
from ..formatting import office_today
from ..models import (
    OTE,
    Cliente,
    EstatusOT,
    OTDetalle,
    PTEHeader,
    Registro,
    ResponsableProyecto,
)
from ..orders.query import CLOSED, STEPS_TO_DO, overdue, starting_within

AHEAD_DAYS = 14
LIST_LIMIT = 15  # rows of the overdue, starting and PTE tables (their totals link to all of them)
CENT = Decimal("0.01")


def _cents(column):
    return func.coalesce(func.sum(cast(func.round(column * 100), BigInteger)), 0)


def _money(cents) -> Decimal:
    return (Decimal(int(cents or 0)) * CENT).quantize(CENT)


@dataclass
class Grupo:
    id: int | None
    nombre: str
    ots: int = 0
    mxn: Decimal = Decimal("0.00")
    usd: Decimal = Decimal("0.00")


@dataclass
class Tablero:
    hoy: date
    total: Grupo
    por_estatus: list[Grupo]
    por_cliente: list[Grupo]
    vencidas: int
    vencidas_filas: list[dict]
    inician: int
    inician_filas: list[dict]
    pasos: list[dict]
    ptes: list[dict]
    dias: int = AHEAD_DAYS
    notas: dict = field(default_factory=dict)


def _shown():
    """The OTs the list shows by default: current versions, not deleted."""
    return and_(OTE.vigente, OTE.estatus != Registro.ELIMINADA)


def dashboard(today: date | None = None) -> Tablero:
    """The figures, computed (over 100,000 OTs about a second: the page caches them until the next
    write, see routes.py and data_version.py)."""
    today = today or office_today()
    shown = _shown()
    late, soon = overdue(today), starting_within(today, AHEAD_DAYS)

    # 1. One pass over the OTs: per (status, client) the count, both sums and the two flags.
    groups = db.session.execute(
        select(
            OTE.id_estatus_ot,
            OTE.id_cliente,
            func.count(),
            _cents(OTE.monto_mxn),
            _cents(OTE.monto_usd),
            func.coalesce(func.sum(case((late, 1), else_=0)), 0),
            func.coalesce(func.sum(case((soon, 1), else_=0)), 0),
        )
        .where(shown)
        .group_by(OTE.id_estatus_ot, OTE.id_cliente)
    ).all()
    # 2. The names of both catalogs in one statement.
    names = db.session.execute(
        union_all(
            select(literal("estatus").label("cat"), EstatusOT.id, EstatusOT.nombre),
            select(literal("cliente").label("cat"), Cliente.id, Cliente.nombre),
        )
    ).all()
    estatus_names = {i: n for cat, i, n in names if cat == "estatus"}
    cliente_names = {i: n for cat, i, n in names if cat == "cliente"}

    total = Grupo(None, "Total")
    by_status: dict = {}
    by_client: dict = {}
    vencidas = inician = 0
    for id_estatus, id_cliente, n, mxn, usd, n_late, n_soon in groups:
        for bucket, key, label in (
            (by_status, id_estatus, estatus_names.get(id_estatus, "Sin estatus")),
            (by_client, id_cliente, cliente_names.get(id_cliente, "Sin cliente")),
        ):
            g = bucket.setdefault(key, Grupo(key, label))
            g.ots += n
            g.mxn += _money(mxn)
            g.usd += _money(usd)
        total.ots += n
        total.mxn += _money(mxn)
        total.usd += _money(usd)
        vencidas += int(n_late)
        inician += int(n_soon)
    por_estatus = [by_status[k] for k in sorted(by_status, key=lambda k: (k is None, k or 0))]
    por_cliente = sorted(by_client.values(), key=lambda g: (-g.ots, g.nombre))

    return Tablero(
        hoy=today,
        total=total,
        por_estatus=por_estatus,
        por_cliente=por_cliente,
        vencidas=vencidas,
        vencidas_filas=_rows(and_(shown, late), OTE.fecha_termino_programado.asc(), today),
        inician=inician,
        inician_filas=_rows(and_(shown, soon), OTE.fecha_inicio_programado.asc(), today),
        pasos=_steps_by_responsable(shown),
        ptes=_pte_usage(shown),
    )


def _rows(condition, order, today: date) -> list[dict]:
    """3, 4. The first OTs of a table (most overdue / soonest), with what a person needs to act."""
    rows = db.session.execute(
        select(
            OTE.id,
            OTE.orden_trabajo,
            OTE.fecha_inicio_programado,
            OTE.fecha_termino_programado,
            Cliente.nombre.label("cliente"),
            ResponsableProyecto.nombre.label("responsable"),
            EstatusOT.nombre.label("estatus_ot"),
            OTE.id_estatus_ot,
        )
        .outerjoin(Cliente, Cliente.id == OTE.id_cliente)
        .outerjoin(ResponsableProyecto, ResponsableProyecto.id == OTE.id_responsable_proyecto)
        .outerjoin(EstatusOT, EstatusOT.id == OTE.id_estatus_ot)
        .where(condition)
        .order_by(order, OTE.id)
        .limit(LIST_LIMIT)
    ).all()
    out = []
    for r in rows:
        item = dict(r._mapping)
        end = item["fecha_termino_programado"]
        item["dias_tarde"] = (today - end).days if end and end < today else 0
        start = item["fecha_inicio_programado"]
        item["dias_para_iniciar"] = (start - today).days if start else None
        out.append(item)
    return out


def _steps_by_responsable(shown) -> list[dict]:
    """5. Steps to do (Pendiente or En proceso) per project manager, and on how many OTs."""
    rows = db.session.execute(
        select(
            OTE.id_responsable_proyecto,
            ResponsableProyecto.nombre,
            func.count(),
            func.count(func.distinct(OTE.id)),
        )
        .select_from(OTDetalle)
        .join(OTE, OTE.id == OTDetalle.id_ot)
        .outerjoin(ResponsableProyecto, ResponsableProyecto.id == OTE.id_responsable_proyecto)
        .where(shown, OTDetalle.estatus_paso.in_(STEPS_TO_DO), OTE.id_estatus_ot != CLOSED[1])
        .group_by(OTE.id_responsable_proyecto, ResponsableProyecto.nombre)
        .order_by(func.count().desc(), ResponsableProyecto.nombre)
    ).all()
    return [
        {"id": rid, "nombre": nombre or "Sin responsable", "pasos": pasos, "ots": ots}
        for rid, nombre, pasos, ots in rows
    ]


def _pte_usage(shown) -> list[dict]:
    """6. Per PTE, how much of its amount its OTs take, per currency; the most used first."""
    pte = OTE.id_pte_header + literal_column(
        "0"
    )  # "+ 0": SQLite would walk ix_ote_id_pte_header for the grouping
    # and fetch 100,000 rows one by one (0.7-0.9 s); a plain scan and a sort take 0.15 s.
    used = (
        select(
            pte.label("id"),
            func.count().label("ots"),
            _cents(OTE.monto_mxn).label("mxn"),
            _cents(OTE.monto_usd).label("usd"),
        )
        .where(shown, OTE.id_pte_header.is_not(None))
        .group_by(pte)
        .subquery()
    )
    pte_mxn = cast(func.round(PTEHeader.monto_mxn * 100), BigInteger)
    pte_usd = cast(func.round(PTEHeader.monto_usd * 100), BigInteger)
    # The larger of the two shares sorts: a PTE in USD only is as used as one in MXN.
    greatest = func.greatest if db.session.get_bind().dialect.name == "postgresql" else func.max
    share = greatest(
        case((pte_mxn > 0, used.c.mxn * 1.0 / pte_mxn), else_=0),
        case((pte_usd > 0, used.c.usd * 1.0 / pte_usd), else_=0),
    )
    rows = db.session.execute(
        select(
            PTEHeader.id,
            PTEHeader.oficio_pte,
            pte_mxn.label("pte_mxn"),
            pte_usd.label("pte_usd"),
            used.c.ots,
            used.c.mxn,
            used.c.usd,
        )
        .join(used, used.c.id == PTEHeader.id)
        .where(PTEHeader.estatus != Registro.ELIMINADA)
        .order_by(share.desc(), PTEHeader.id)
        .limit(LIST_LIMIT)
    ).all()
    out = []
    for r in rows:
        item = {"id": r.id, "oficio_pte": r.oficio_pte, "ots": r.ots}
        for cur in ("mxn", "usd"):
            monto, usado = _money(getattr(r, f"pte_{cur}")), _money(getattr(r, cur))
            item[cur] = {
                "monto": monto,
                "usado": usado,
                "pct": (usado * 100 / monto).quantize(CENT) if monto else None,
            }
        out.append(item)
    return out
