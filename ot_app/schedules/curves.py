"""S-curves (issue 19), per currency and never converted: planned (the version's current program),
planned_v1 (the chain's initial OT's program: the contractual baseline) and actual (the stored
cut-offs) cumulative % by amount, weekly or monthly; for one OT version, or aggregated by amount
over a client, a site or the portfolio (each chain's current version).

An OT version without a program is planned from its programmed dates, linearly, by its monto_mxn /
monto_usd: one activity spanning the version. A currency in which nothing weighs has no curve
(its values are null). Actual values stop at the period of the last cut-off; before the first one
there is none."""

from __future__ import annotations

import bisect
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from flask import current_app
from sqlalchemy import and_, func, or_, select

from .. import data_version
from ..extensions import db
from ..models import OTE, Corte, ProgramaActividad, ProgramaRevision, Registro
from . import spread
from .spread import MONEDAS, ZERO, Distribucion, Tramo


def cutoff_weekday() -> int:
    return spread.weekday_of(current_app.config.get("CORTE_DIA_SEMANA", "viernes"))


@dataclass(frozen=True)
class Punto:
    periodo: str  # the week's last day (ISO) or "YYYY-MM"
    fin: date
    planeado: str | None
    planeado_v1: str | None
    real: str | None


@dataclass(frozen=True)
class Curva:
    moneda: str
    periodo: str
    puntos: list[Punto]
    origen: str  # programa (a stored program), fechas (the programmed dates), mixto (aggregates), ""

    @property
    def vacia(self) -> bool:
        return not any(p.planeado or p.real for p in self.puntos)


@dataclass
class Entrada:
    """The planned input of one OT version in one currency: its activities as Tramos (weights as
    stored), and its amount (what it weighs in an aggregate)."""

    tramos: list[Tramo]
    monto: object
    de_programa: bool


def _root():
    return func.coalesce(OTE.ot_principal, OTE.id)


def _ot_rows(cond) -> list:
    return db.session.execute(
        select(
            OTE.id,
            _root().label("raiz"),
            OTE.fecha_inicio_programado,
            OTE.fecha_termino_programado,
            OTE.monto_mxn,
            OTE.monto_usd,
        ).where(cond)
    ).all()


def _latest_revisions(cond) -> dict[int, object]:
    """{id_ot: (id, n, total_mxn, total_usd)} of the last program revision of each OT matching."""
    last = (
        select(ProgramaRevision.id_ot, func.max(ProgramaRevision.n).label("n"))
        .where(ProgramaRevision.id_ot.in_(select(OTE.id).where(cond)))
        .group_by(ProgramaRevision.id_ot)
        .subquery()
    )
    rows = db.session.execute(
        select(
            ProgramaRevision.id_ot,
            ProgramaRevision.id,
            ProgramaRevision.n,
            ProgramaRevision.total_mxn,
            ProgramaRevision.total_usd,
        ).join(last, and_(last.c.id_ot == ProgramaRevision.id_ot, last.c.n == ProgramaRevision.n))
    ).all()
    return {r.id_ot: r for r in rows}


def _activities(revision_ids: list[int]) -> dict[int, list]:
    if not revision_ids:
        return {}
    out: dict[int, list] = defaultdict(list)
    rows = db.session.execute(
        select(
            ProgramaActividad.id_revision,
            ProgramaActividad.inicio,
            ProgramaActividad.fin,
            ProgramaActividad.peso_mxn,
            ProgramaActividad.peso_usd,
            ProgramaActividad.perfil,
            ProgramaActividad.distribucion,
        )
        .where(ProgramaActividad.id_revision.in_(revision_ids), ProgramaActividad.nivel == 2)
        .order_by(ProgramaActividad.id_revision, ProgramaActividad.orden)
    ).all()
    for r in rows:
        out[r.id_revision].append(r)
    return out


def activity_tramos(acts, moneda: str, inicio: date | None, fin: date | None) -> list[Tramo]:
    """The Tramos of a revision's activities in one currency: an activity without dates takes the
    version's programmed dates; one with neither is left out (it has no place in time)."""
    tramos = []
    for a in acts:
        peso = getattr(a, f"peso_{moneda}") or ZERO
        start, end = a.inicio or inicio, a.fin or fin
        dist = Distribucion.of((a.distribucion or {}).get(moneda))
        if peso <= ZERO or (dist is None and (start is None or end is None)):
            continue
        tramos.append(Tramo(peso, start or end, end or start, a.perfil, dist))
    return tramos


def inputs(cond) -> dict[int, dict[str, Entrada]]:
    """{id_ot: {moneda: Entrada}} of every OT matching `cond` (three statements whatever the
    count): its last program revision's activities, or its programmed dates when it has none."""
    ots = _ot_rows(cond)
    revisions = _latest_revisions(cond)
    acts = _activities([r.id for r in revisions.values()])
    out: dict[int, dict[str, Entrada]] = {}
    for ot in ots:
        rev = revisions.get(ot.id)
        per: dict[str, Entrada] = {}
        for moneda in MONEDAS:
            monto_ot = getattr(ot, f"monto_{moneda}") or ZERO
            tramos = (
                activity_tramos(
                    acts.get(rev.id, ()), moneda, ot.fecha_inicio_programado, ot.fecha_termino_programado
                )
                if rev
                else []
            )
            if tramos:
                per[moneda] = Entrada(tramos, getattr(rev, f"total_{moneda}") or monto_ot, True)
            elif not rev and ot.fecha_inicio_programado and ot.fecha_termino_programado and monto_ot > ZERO:
                linear = Tramo(monto_ot, ot.fecha_inicio_programado, ot.fecha_termino_programado)
                per[moneda] = Entrada([linear], monto_ot, False)
        out[ot.id] = per
    return out


def _scaled(entradas: list[Entrada], single: bool) -> list[Tramo]:
    """Each OT's activities weighted by its amount (its share of the aggregate); one OT alone keeps
    its weights (the curve is normalised anyway), even when it has no amount."""
    out = []
    for e in entradas:
        if single:
            out.extend(e.tramos)
            continue
        total = sum((t.peso for t in e.tramos), ZERO)
        if not e.monto or e.monto <= ZERO or total <= ZERO:
            continue
        factor = e.monto / total
        out.extend(Tramo(t.peso * factor, t.inicio, t.fin, t.perfil, t.distribucion) for t in e.tramos)
    return out


def _span(tramos: list[Tramo]) -> tuple[date, date] | None:
    if not tramos:
        return None
    return min(t.primero for t in tramos), max(t.ultimo for t in tramos)


def _cuts(members, moneda: str, max_num: int | None = None) -> dict[int, list[tuple[date, object]]]:
    """{chain root: [(fecha_corte, real %)]} oldest first, of the cut-offs of the OT versions
    matching `members` (an indexed condition: ids, ot_principal); on one date the later version's
    counts."""
    col = getattr(Corte, f"real_{moneda}")
    q = (
        select(_root().label("raiz"), Corte.fecha_corte, col, func.coalesce(OTE.num_reprogramacion, 0))
        .join(OTE, OTE.id == Corte.id_ot)
        .where(Corte.id_ot.in_(select(OTE.id).where(members)), OTE.estatus != Registro.ELIMINADA)
        .order_by(Corte.fecha_corte, func.coalesce(OTE.num_reprogramacion, 0))
    )
    if max_num is not None:
        q = q.where(func.coalesce(OTE.num_reprogramacion, 0) <= max_num)
    out: dict[int, dict[date, object]] = defaultdict(dict)
    for raiz, fecha, real, _n in db.session.execute(q):
        out[raiz][fecha] = real
    return {k: sorted(v.items()) for k, v in out.items()}


def _actual(
    series: list[tuple[list[tuple[date, object]], object]], ends: list[date], periodo: str, weekday: int
):
    """Σ weight × real % of each chain's last cut-off ≤ the period's end / Σ weight, from the period
    of the first cut-off to that of the last; None elsewhere (and everywhere when there is none)."""
    series = [(cuts, w) for cuts, w in series if w and w > ZERO]
    total = sum((w for _, w in series), ZERO)
    with_cuts = [cuts for cuts, _ in series if cuts]
    if not with_cuts or total <= ZERO:
        return [None] * len(ends)
    first = spread.period_end(min(c[0][0] for c in with_cuts), periodo, weekday)
    stop = spread.period_end(max(c[-1][0] for c in with_cuts), periodo, weekday)
    sums = [ZERO] * len(ends)
    for cuts, w in series:
        # Each cut-off holds from its period until the next one's: add the step it makes there.
        previous = ZERO
        for fecha, real in cuts:
            i = bisect.bisect_left(ends, fecha)
            if i < len(ends):
                sums[i] += w * (real - previous)
            previous = real
    values, running = [], ZERO
    for end, step in zip(ends, sums, strict=True):
        running += step
        values.append(running / total if first <= end <= stop else None)
    return values


def _assemble(moneda, periodo, planned, v1, series, origen, weekday) -> Curva:
    spans = [s for s in (_span(planned), _span(v1)) if s]
    cut_days = [c[0] for cuts, _ in series for c in cuts]
    days = [d for s in spans for d in s] + cut_days
    if not days:
        return Curva(moneda, periodo, [], origen)
    ends = spread.periods(min(days), max(days), periodo, weekday)
    p = spread.cumulative(planned, ends)
    b = p if v1 is planned else spread.cumulative(v1, ends)
    r = _actual(series, ends, periodo, weekday)
    return curve(moneda, periodo, origen, ends, p, b, r)


def curve(moneda: str, periodo: str, origen: str, ends: list[date], p, b, r) -> Curva:
    """The points of a curve from its cumulative fractions per period end (planned, version 1's,
    actual; a missing series is None): one shape whether computed here or summed in SQL."""
    puntos = [
        Punto(
            spread.label(end, periodo),
            end,
            spread.pct(p[i]) if p is not None else None,
            spread.pct(b[i]) if b is not None else None,
            spread.pct(r[i]) if r[i] is not None else None,
        )
        for i, end in enumerate(ends)
    ]
    return Curva(moneda, periodo, puntos, origen)


def ot_curve(ot: OTE, moneda: str, periodo: str) -> Curva:
    """The S-curve of one OT version (four statements, seven for a reprogrammed one): its program,
    version 1's and its chain's cut-offs up to this version."""
    weekday = cutoff_weekday()
    root = ot.ot_principal or ot.id
    mine = inputs(OTE.id == ot.id).get(ot.id, {}).get(moneda)
    base = mine if root == ot.id else inputs(OTE.id == root).get(root, {}).get(moneda)
    planned = _scaled([mine] if mine else [], True)
    v1 = planned if base is mine else _scaled([base] if base else [], True)
    chain = or_(OTE.id == root, OTE.ot_principal == root)
    cuts = _cuts(chain, moneda, ot.num_reprogramacion or 0).get(root, [])
    origen = ("programa" if mine.de_programa else "fechas") if mine else ""
    return _assemble(moneda, periodo, planned, v1, [(cuts, 1)], origen, weekday)


def baseline_curve(root: int, moneda: str, periodo: str) -> list[tuple[str, str]]:
    """Version 1's planned curve alone, on its own periods: what a reprogramming never changes."""
    base = inputs(OTE.id == root).get(root, {}).get(moneda)
    tramos = _scaled([base] if base else [], True)
    span = _span(tramos)
    if not span:
        return []
    ends = spread.periods(span[0], span[1], periodo, cutoff_weekday())
    return [
        (spread.label(e, periodo), spread.pct(v))
        for e, v in zip(ends, spread.cumulative(tramos, ends), strict=True)
    ]


@dataclass(frozen=True)
class Filtro:
    """Which current versions an aggregate curve covers: all (the portfolio), a client's, a site's
    (an embarcación, a plataforma or a patio)."""

    id_cliente: int | None = None
    id_embarcacion: int | None = None
    id_plataforma: int | None = None
    id_patio: int | None = None

    def condition(self):
        conds = [OTE.vigente.is_(True), OTE.estatus != Registro.ELIMINADA]
        for name in ("id_cliente", "id_embarcacion", "id_plataforma", "id_patio"):
            value = getattr(self, name)
            if value is not None:
                conds.append(getattr(OTE, name) == value)
        return and_(*conds)


def portfolio_curve(filtro: Filtro, moneda: str, periodo: str) -> Curva:
    """The S-curve by amount over the current versions matching `filtro`: Σ amount × planned % /
    Σ amount, the same with version 1's programs and amounts, and with the chains' last cut-offs.
    Summed in SQL from the stored rows (curve_store); `_portfolio` computes the same in Python.
    Kept per data version as well: a second of SQL over 10,000 OTs, then one statement until the
    next write."""
    from . import curve_store  # it builds on this module

    weekday = cutoff_weekday()
    return data_version.cached(
        "curva_s",
        (filtro, moneda, periodo, weekday),
        lambda: curve_store.portfolio(filtro, moneda, periodo, weekday),
    )


def _portfolio(filtro: Filtro, moneda: str, periodo: str, weekday: int) -> Curva:
    """The reference for curve_store.portfolio: every activity read and spread here (seconds over
    10,000 OTs); the tests check that both give the same points."""
    cond = filtro.condition()
    current = inputs(cond)
    roots_q = select(_root()).where(cond)
    # Version 1 of a chain whose current version is its initial OT is that OT: read only the others.
    root_of = dict(db.session.execute(select(OTE.id, _root()).where(cond)).all())
    base = inputs(OTE.id.in_(select(OTE.ot_principal).where(cond, OTE.ot_principal.is_not(None))))
    base.update({i: per for i, per in current.items() if root_of.get(i) == i})
    entradas = [per[moneda] for per in current.values() if moneda in per]
    planned = _scaled(entradas, False)
    v1 = _scaled([per[moneda] for per in base.values() if moneda in per], False)
    cuts = _cuts(or_(OTE.id.in_(roots_q), OTE.ot_principal.in_(roots_q)), moneda)
    series = [(cuts.get(root_of[i], []), per[moneda].monto) for i, per in current.items() if moneda in per]
    kinds = {e.de_programa for e in entradas}
    origen = "mixto" if len(kinds) > 1 else ("programa" if True in kinds else ("fechas" if kinds else ""))
    return _assemble(moneda, periodo, planned, v1, series, origen, weekday)


def site_filter(sitio: str | None) -> Filtro:
    """A site argument "embarcacion:3", "plataforma:7" or "patio:2" as a Filtro (ValueError otherwise)."""
    if not sitio:
        return Filtro()
    kind, _, raw = sitio.partition(":")
    if kind not in ("embarcacion", "plataforma", "patio") or not raw.isdigit():
        raise ValueError(sitio)
    return Filtro(**{f"id_{kind}": int(raw)})


__all__ = ["Curva", "Punto", "Filtro", "ot_curve", "portfolio_curve", "baseline_curve"]
