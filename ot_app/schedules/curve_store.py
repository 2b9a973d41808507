"""Stored planned curves (issue 19): what an aggregate S-curve needs of each OT version, kept in
three tables so a client's, a site's or the portfolio's curve is a few SUM … GROUP BY statements
instead of reading and spreading every activity (seconds over 10,000 OTs, bench/curves.py).

Per OT version and currency: its Entrada (curva_entrada: amount, origin, planned span) and the
amount planned in each period, weekly and monthly (curva_incremento), weighted by the version's
amount exactly as curves._scaled weights it. Amounts are integers in millionths (ESCALA), so
SQL sums them exactly on both databases; each version's increments add up to its amount.

The rows follow the data they are computed from: every write of an OT's dates or amounts and every
saved or copied program calls `refresh` in its own transaction (orders.commands, schedules.commands).
Rows that are missing (a database migrated from before them, rows written by hand) or computed for
another cut-off weekday (CORTE_DIA_SEMANA changed) are computed on the next read (`ensure_fresh`),
so a curve is never read from stale weeks. `curves._portfolio` (the same curve computed in Python)
stays as the reference the tests compare with."""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import BigInteger, and_, case, cast, delete, func, insert, or_, select

from ..extensions import db
from ..models import OTE, Corte, CurvaEntrada, CurvaIncremento, CurvaOt, Registro
from ..transactions import write_transaction
from . import curves, spread
from .spread import HUNDRED, MONEDAS, PERIODOS, ZERO

ESCALA = 1_000_000  # amounts in millionths: cents are exact, and the fractions of a spread keep 6 digits
# (a percentage that falls on a rounding tie, 99.385, is still one); sums stay in 64 bits up to
# 9 × 10¹² of a currency over the whole portfolio.
BATCH = 500


def _units(value: Decimal) -> int:
    return int((value * ESCALA).to_integral_value(rounding=ROUND_HALF_UP))


def _rows(id_ot: int, moneda: str, entrada: curves.Entrada, weekday: int):
    """The curva_entrada row of one version × currency and its curva_incremento rows."""
    span = curves._span(entrada.tramos)
    monto = _units(entrada.monto or ZERO)
    head = {
        "id_ot": id_ot,
        "moneda": moneda,
        "monto": monto,
        "de_programa": entrada.de_programa,
        "primero": span[0] if span else None,
        "ultimo": span[1] if span else None,
    }
    scaled = curves._scaled([entrada], False)  # empty when it weighs nothing in an aggregate
    if not scaled or not span or monto <= 0:
        return head, []
    total = sum((t.peso for t in scaled), ZERO)
    out = []
    for periodo in PERIODOS:
        ends = spread.periods(span[0], span[1], periodo, weekday)
        values = spread.cumulative(scaled, ends)
        previous = 0
        for i, (end, value) in enumerate(zip(ends, values, strict=True)):
            # Cumulative amounts rounded, then differenced: the last period closes on the amount.
            done = monto if i == len(ends) - 1 else _units(value * total / HUNDRED)
            if done != previous:
                out.append(
                    {
                        "moneda": moneda,
                        "periodo": periodo,
                        "id_ot": id_ot,
                        "fin": end,
                        "importe": done - previous,
                    }
                )
                previous = done
    return head, out


# The OT's own columns its stored rows are made from (curves.inputs); an edit of any other field
# (a comment, a status, a site) leaves them as they are and skips the recomputation.
OT_INPUTS = frozenset({"fecha_inicio_programado", "fecha_termino_programado", "monto_mxn", "monto_usd"})


def refresh(ids: Iterable[int]) -> None:
    """Recompute the stored rows of these OT versions, inside the caller's transaction."""
    ids = sorted({i for i in ids if i is not None})
    weekday = curves.cutoff_weekday()
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        for model in (CurvaIncremento, CurvaEntrada, CurvaOt):
            db.session.execute(delete(model).where(model.id_ot.in_(chunk)))
        entradas, increments = [], []
        for id_ot, per in curves.inputs(OTE.id.in_(chunk)).items():
            for moneda in MONEDAS:
                if moneda in per:
                    head, rows = _rows(id_ot, moneda, per[moneda], weekday)
                    entradas.append(head)
                    increments.extend(rows)
        db.session.execute(insert(CurvaOt), [{"id_ot": i, "dia_semana": weekday} for i in chunk])
        if entradas:
            db.session.execute(insert(CurvaEntrada), entradas)
        if increments:
            db.session.execute(insert(CurvaIncremento), increments)


def stale_ids(weekday: int) -> list[int]:
    return list(
        db.session.scalars(
            select(OTE.id)
            .outerjoin(CurvaOt, CurvaOt.id_ot == OTE.id)
            .where(or_(CurvaOt.id_ot.is_(None), CurvaOt.dia_semana != weekday))
        )
    )


def ensure_fresh(weekday: int) -> int:
    """Compute the rows that are missing or were computed for another weekday (one statement when
    none is); how many versions were computed."""
    ids = stale_ids(weekday)
    if ids:
        with write_transaction():
            refresh(ids)
    return len(ids)


def _stats(cond, target, moneda: str):
    """Σ amount, span (of the versions that weigh) and origins of the entries of `target` (the
    current version, or its chain's version 1) of every current version matching `cond`."""
    weighs = CurvaEntrada.monto > 0
    return db.session.execute(
        select(
            func.sum(case((weighs, CurvaEntrada.monto), else_=0)),
            func.min(case((weighs, CurvaEntrada.primero))),
            func.max(case((weighs, CurvaEntrada.ultimo))),
            func.count(),
            func.sum(case((CurvaEntrada.de_programa, 1), else_=0)),
        )
        .select_from(OTE)
        .join(CurvaEntrada, and_(CurvaEntrada.id_ot == target, CurvaEntrada.moneda == moneda))
        .where(cond)
    ).one()


def _targets(cond, target):
    """`target` (the current version's id, or its chain's version 1) of every current version
    matching `cond`: distinct, since a chain has one current version. As an IN list the planner
    starts from the stored rows and probes the set, whichever database; joined on the computed
    version 1 id, SQLite's planner read every current OT for each of 140,000 stored rows."""
    return select(target).where(cond).correlate(None)  # never the enclosing statement's OTE


def _increments(cond, target, moneda: str, periodo: str) -> list[tuple]:
    i = CurvaIncremento
    return db.session.execute(
        select(i.fin, func.sum(i.importe))
        .where(i.moneda == moneda, i.periodo == periodo, i.id_ot.in_(_targets(cond, target)))
        .group_by(i.fin)
        .order_by(i.fin)
    ).all()


def _actual_steps(cond, moneda: str) -> list[tuple]:
    """[(fecha_corte, Σ weight × step, weighs)] of the chains of the current versions matching
    `cond`: each chain's cut-offs (on one date the later version's), as the step each makes from
    the previous one, weighted by the current version's amount in cents (× real % in hundredths:
    integers, exact). `weighs`: a chain whose version has an amount has a cut-off that day.
    Two statements and a pass in Python: window functions over every cut-off took five times as
    long in SQLite (bench/curves.py)."""
    raiz = curves._root()
    amounts = {
        chain: monto
        for chain, monto in db.session.execute(
            select(raiz, CurvaEntrada.monto)
            .join(CurvaEntrada, and_(CurvaEntrada.id_ot == OTE.id, CurvaEntrada.moneda == moneda))
            .where(cond)
        )
    }
    col = getattr(Corte, f"real_{moneda}")
    latest: dict[tuple, tuple[int, int]] = {}  # (chain, date) → (version number, real in hundredths)
    for chain, fecha, num, real in db.session.execute(
        select(
            raiz,
            Corte.fecha_corte,
            func.coalesce(OTE.num_reprogramacion, 0),
            cast(func.round(col * 100), BigInteger),
        )
        .join(OTE, OTE.id == Corte.id_ot)
        .where(OTE.estatus != Registro.ELIMINADA, raiz.in_(_targets(cond, curves._root())))
    ):
        if chain in amounts:
            key = (chain, fecha)
            if key not in latest or num > latest[key][0]:
                latest[key] = (num, int(real))
    sums: dict = {}
    previous: dict = {}
    for chain, fecha in sorted(latest):
        real, monto = latest[(chain, fecha)][1], amounts[chain]
        total, weighs = sums.get(fecha, (0, 0))
        step = real - previous.get(chain, 0)
        previous[chain] = real
        # Σ step × the amount in cents (integer division, as both databases did it).
        sums[fecha] = (total + step * (monto // (ESCALA // 100)), 1) if monto > 0 else (total, weighs)
    return [(fecha, total, weighs) for fecha, (total, weighs) in sorted(sums.items())]


def _planned(rows: list[tuple], total: int, ends: list) -> list[Decimal] | None:
    if not total or total <= 0:
        return None
    sums = [0] * len(ends)
    for fin, importe in rows:
        sums[bisect.bisect_left(ends, fin)] += int(importe)
    out, running, whole = [], 0, Decimal(total)
    for s in sums:
        running += s
        out.append(Decimal(running) * HUNDRED / whole)
    return out


def portfolio(filtro: curves.Filtro, moneda: str, periodo: str, weekday: int) -> curves.Curva:
    """curves._portfolio from the stored rows: the same points, summed in SQL (seven statements
    whatever the count of OTs, one more and the writes when some rows must be computed first)."""
    ensure_fresh(weekday)
    cond = filtro.condition()
    mine = _stats(cond, OTE.id, moneda)
    base = _stats(cond, curves._root(), moneda)
    cuts = _actual_steps(cond, moneda)
    days = [d for d in (mine[1], mine[2], base[1], base[2]) if d is not None] + [c[0] for c in cuts]
    count, from_program = mine[3] or 0, int(mine[4] or 0)
    origen = (
        "mixto" if 0 < from_program < count else ("programa" if from_program else ("fechas" if count else ""))
    )
    if not days:
        return curves.Curva(moneda, periodo, [], origen)
    ends = spread.periods(min(days), max(days), periodo, weekday)
    total, total_v1 = int(mine[0] or 0), int(base[0] or 0)
    p = _planned(_increments(cond, OTE.id, moneda, periodo), total, ends)
    b = _planned(_increments(cond, curves._root(), moneda, periodo), total_v1, ends)
    r = [None] * len(ends)
    weighing = [c[0] for c in cuts if c[2]]
    if weighing and total > 0:
        first = spread.period_end(weighing[0], periodo, weekday)
        stop = spread.period_end(weighing[-1], periodo, weekday)
        sums = [0] * len(ends)
        for fecha, step, _w in cuts:
            i = bisect.bisect_left(ends, fecha)
            if i < len(ends):
                sums[i] += int(step)
        cents, running = Decimal(total // (ESCALA // 100)), 0
        for i, end in enumerate(ends):
            running += sums[i]
            # running is cents × hundredths of a percent: ÷ cents ÷ 100 is the percent.
            r[i] = Decimal(running) / cents / HUNDRED if first <= end <= stop else None
    return curves.curve(moneda, periodo, origen, ends, p, b, r)
