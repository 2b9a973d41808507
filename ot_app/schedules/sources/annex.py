"""Programs derived from an OT's annexes: the workbook's DT-6 / DE-MN / DE-ME months (the
`programa` kind), the sábana's days (quantity × P.U.), and the Anexo C alone (one activity per
chapter, spread linearly). Pure: annex lines in (a report's, or a stored revision's), Plan out.
Phases are the chapters, in the order the lines bring them."""

from __future__ import annotations

import calendar
from datetime import date
from decimal import Decimal

from ...annexes.programa import mes_number, monthly
from ...annexes.rules import ZERO, amount_text, importe
from ...models import OrigenPrograma
from ..plan import ActividadPlan, Plan
from .report import clip

SIN_CAPITULO = "Sin capítulo"


def month_of(start: date, periodo: str) -> date:
    """MES 1 is the month of the version's programmed start; MES n the (n − 1)th after it."""
    index = start.year * 12 + start.month - 1 + mes_number(periodo) - 1
    return date(index // 12, index % 12 + 1, 1)


def _month_end(first: date) -> date:
    return first.replace(day=calendar.monthrange(first.year, first.month)[1])


def _nombre(line) -> str:
    return clip(f"{line.partida.strip()} {line.concepto}".strip())


def chapter_name(capitulo: str | None, titulos: dict) -> str:
    """`2 PROTECCIÓN ANTICORROSIVA`; `Capítulo 2` when the revision kept no title."""
    if not capitulo:
        return SIN_CAPITULO
    titulo = (titulos or {}).get(capitulo, "")
    return clip(f"{capitulo} {titulo}" if titulo else f"Capítulo {capitulo}")


def _phase(capitulo: str | None, titulos: dict) -> ActividadPlan:
    return ActividadPlan(chapter_name(capitulo, titulos), 1, (capitulo or "")[:40])


def _grouped(lines, titulos: dict, activity) -> Plan | list:
    """Phases (the chapters) each followed by its lines' activities."""
    actividades: list[ActividadPlan] = []
    chapters: dict[str | None, list] = {}
    for line in lines:
        chapters.setdefault(line.capitulo, []).append(line)
    for capitulo, group in chapters.items():
        actividades.append(_phase(capitulo, titulos))
        actividades.extend(activity(line) for line in group)
    return actividades


def from_programa(lines, titulos: dict, start: date, fin: date | None, claves) -> Plan:
    """The workbook: one activity per line, its months as calendar months from `start` (the
    version's programmed start), its importes per month per currency as the distribution."""

    def activity(line) -> ActividadPlan:
        months = [month_of(start, p) for p in (line.programa or {})]
        dist = {
            moneda: {month_of(start, p).isoformat(): amount_text(v) for p, v in monthly(line, moneda).items()}
            for moneda in ("mxn", "usd")
        }
        inicio = max(min(months), start) if months else start
        termino = _month_end(max(months)) if months else fin
        if fin is not None and termino is not None and months and max(months) <= fin:
            termino = min(termino, fin)
        return ActividadPlan(
            _nombre(line),
            2,
            line.partida.strip()[:40],
            inicio=inicio,
            fin=termino,
            monto_mxn=line.importe_mxn,
            monto_usd=line.importe_usd,
            claves_anexo=[claves(line)],
            distribucion=dist,
            ref=f"fila {line.fila}",
        )

    plan = Plan(OrigenPrograma.PROGRAMA, _grouped(lines, titulos, activity))
    return plan


def from_sabana(lines, titulos: dict, claves) -> Plan:
    """The sábana: one activity per line, each day's quantity × P.U. its planned amount that day
    (the rounding remainder on the line's last day, so the days add up to its importe)."""

    def daily(line, pu, total) -> dict:
        if not pu or not line.programa:
            return {}
        out = {day: importe(Decimal(q), pu) for day, q in sorted(line.programa.items())}
        last = next(reversed(out))
        out[last] += total - sum(out.values(), ZERO)
        return {day: amount_text(v) for day, v in out.items()}

    def activity(line) -> ActividadPlan:
        days = sorted(line.programa or {})
        return ActividadPlan(
            _nombre(line),
            2,
            line.partida.strip()[:40],
            inicio=date.fromisoformat(days[0]) if days else None,
            fin=date.fromisoformat(days[-1]) if days else None,
            monto_mxn=line.importe_mxn,
            monto_usd=line.importe_usd,
            claves_anexo=[claves(line)],
            distribucion={
                "mxn": daily(line, line.pu_mxn, line.importe_mxn),
                "usd": daily(line, line.pu_usd, line.importe_usd),
            },
            ref=f"fila {line.fila}",
        )

    return Plan(OrigenPrograma.SABANA, _grouped(lines, titulos, activity))


def from_anexo_c(lines, titulos: dict, inicio: date | None, fin: date | None, claves) -> Plan:
    """The Anexo C alone: one activity per chapter (no phases: the chapters are the activities)
    with the chapter's amounts, over the version's programmed dates, spread linearly (the
    default profile), linked to its lines by key."""
    chapters: dict[str | None, list] = {}
    for line in lines:
        chapters.setdefault(line.capitulo, []).append(line)
    actividades = [
        ActividadPlan(
            chapter_name(capitulo, titulos),
            2,
            (capitulo or "")[:40],
            inicio=inicio,
            fin=fin,
            monto_mxn=sum((x.importe_mxn for x in group), ZERO),
            monto_usd=sum((x.importe_usd for x in group), ZERO),
            claves_anexo=[claves(x) for x in group],
            ref=f"capítulo {capitulo or SIN_CAPITULO}",
        )
        for capitulo, group in chapters.items()
    ]
    # One phase for them all, named for where they come from (a program starts with a phase).
    return Plan(OrigenPrograma.ANEXO, [ActividadPlan("Anexo C", 1), *actividades])
