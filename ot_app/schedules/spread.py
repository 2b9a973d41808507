"""How an activity's planned amount spreads over time (issue 19): the cumulative planned fraction
at the end of any day, from its profile or its explicit distribution, and the periods of a curve
(weeks ending on the cut-off weekday, or calendar months). Decimal arithmetic throughout; no
database.

Profiles, with t = days elapsed / days of the activity (both counted whole and inclusive, so the
activity's last day ends at t = 1), F(t) the cumulative fraction, F(0) = 0 and F(1) = 1 exactly:
    lineal   F = t                  (uniform)
    inicio   F = 1 - (1 - t)²       (front-loaded: density 2(1 - t))
    final    F = t²                 (back-loaded: density 2t)
    campana  F = 3t² - 2t³          (bell: density 6t(1 - t), a Beta(2, 2))
Each is a polynomial that is non-decreasing on [0, 1], so every curve built from them is too."""

from __future__ import annotations

import bisect
import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from ..models import PerfilAvance

ZERO, ONE, HUNDRED = Decimal(0), Decimal(1), Decimal(100)
CENT = Decimal("0.01")
WEEKDAYS = ("lunes", "martes", "miercoles", "jueves", "viernes", "sabado", "domingo")
DIAS = ("lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo")  # as pages say them
SEMANA, MES = "semana", "mes"
PERIODOS = (SEMANA, MES)
MONEDAS = ("mxn", "usd")


def weekday_of(name: str) -> int:
    """The configured cut-off weekday (`CORTE_DIA_SEMANA`: lunes … domingo, accents optional) as
    Python's weekday number (lunes = 0); an unknown name is a configuration error."""
    folded = (name or "").strip().lower().replace("é", "e").replace("á", "a")
    if folded not in WEEKDAYS:
        raise ValueError(f"CORTE_DIA_SEMANA={name!r} no es un día de la semana (lunes … domingo)")
    return WEEKDAYS.index(folded)


def pct(value: Decimal) -> str:
    """A percentage as the API and pages send it: a string with 2 decimals."""
    return str(value.quantize(CENT, rounding=ROUND_HALF_UP))


def profile_fraction(perfil: str, t: Decimal) -> Decimal:
    """F(t) of the module docstring; t outside [0, 1] is clamped."""
    if t <= ZERO:
        return ZERO
    if t >= ONE:
        return ONE
    if perfil == PerfilAvance.INICIO:
        u = ONE - t
        return ONE - u * u
    if perfil == PerfilAvance.FINAL:
        return t * t
    if perfil == PerfilAvance.CAMPANA:
        return t * t * (3 - 2 * t)
    return t


def elapsed(inicio: date, fin: date, day: date) -> Decimal:
    """t at the end of `day`: whole days done over the activity's days (a one-day activity is
    done at the end of its day; an activity whose end precedes its start is treated as one day)."""
    days = max((fin - inicio).days + 1, 1)
    done = (day - inicio).days + 1
    if done <= 0:
        return ZERO
    if done >= days:
        return ONE
    return Decimal(done) / Decimal(days)


def _month_key(key: str) -> date | None:
    """A distribution key that names a month: "2027-01", or a first day "2027-01-01" (see
    `Distribucion`)."""
    try:
        if len(key) == 7:
            return date.fromisoformat(key + "-01")
        d = date.fromisoformat(key)
    except ValueError:
        return None
    return d if d.day == 1 else None


@dataclass(frozen=True)
class Distribucion:
    """An explicit planned distribution of one currency: (first day, last day, amount) pieces,
    each spread linearly over its days. A key "YYYY-MM" is a month; when every key is a first day
    of a month ("2027-01-01", the workbook's MES n) they are months too; otherwise each key is one
    day (the sábana's days)."""

    piezas: tuple[tuple[date, date, Decimal], ...]
    total: Decimal

    @classmethod
    def of(cls, amounts: dict | None) -> Distribucion | None:
        if not amounts:
            return None
        parsed = []
        for key, raw in amounts.items():
            try:
                parsed.append((str(key), Decimal(str(raw))))
            except ArithmeticError:
                continue
        monthly = all(_month_key(k) is not None for k, _ in parsed)
        piezas = []
        for key, amount in parsed:
            if amount <= ZERO:
                continue  # a negative or empty month would make the curve go down
            try:
                first = _month_key(key) if monthly else date.fromisoformat(key)
            except ValueError:
                continue
            last = first.replace(day=calendar.monthrange(first.year, first.month)[1]) if monthly else first
            piezas.append((first, last, amount))
        total = sum((p[2] for p in piezas), ZERO)
        if total <= ZERO:
            return None
        return cls(tuple(sorted(piezas)), total)

    def fraction(self, day: date) -> Decimal:
        done = ZERO
        for first, last, amount in self.piezas:
            if day >= last:
                done += amount
            elif day >= first:
                done += amount * elapsed(first, last, day)
            else:
                break
        return ONE if done >= self.total else done / self.total


class Tramo:
    """One activity as the curves see it: its weight in a currency (a percentage, or an amount
    when aggregating), its dates and how it spreads. `fraction(day)` is its cumulative planned
    fraction at the end of `day`. A plain slotted class: aggregates make tens of thousands."""

    __slots__ = ("peso", "inicio", "fin", "perfil", "distribucion")

    def __init__(
        self,
        peso: Decimal,
        inicio: date,
        fin: date,
        perfil: str = PerfilAvance.LINEAL.value,
        distribucion: Distribucion | None = None,
    ):
        self.peso, self.inicio, self.fin, self.perfil, self.distribucion = (
            peso,
            inicio,
            fin,
            perfil,
            distribucion,
        )

    def fraction(self, day: date) -> Decimal:
        if self.distribucion is not None:
            return self.distribucion.fraction(day)
        if day < self.inicio:
            return ZERO
        if day >= self.fin:
            return ONE
        return profile_fraction(self.perfil, elapsed(self.inicio, self.fin, day))

    @property
    def primero(self) -> date:
        return self.distribucion.piezas[0][0] if self.distribucion else self.inicio

    @property
    def ultimo(self) -> date:
        return self.distribucion.piezas[-1][1] if self.distribucion else max(self.fin, self.inicio)


def period_end(day: date, periodo: str, weekday: int) -> date:
    """The last day of the period `day` falls in: the next cut-off weekday (itself when it is one),
    or the month's last day."""
    if periodo == MES:
        return day.replace(day=calendar.monthrange(day.year, day.month)[1])
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def periods(first: date, last: date, periodo: str, weekday: int) -> list[date]:
    """The end days of every period from the one holding `first` to the one holding `last`."""
    ends = []
    end = period_end(first, periodo, weekday)
    stop = period_end(max(first, last), periodo, weekday)
    while end <= stop:
        ends.append(end)
        end = (
            end + timedelta(days=7)
            if periodo == SEMANA
            else period_end(end + timedelta(days=1), MES, weekday)
        )
    return ends


def label(end: date, periodo: str) -> str:
    """How a period is named: its last day for weeks (the cut-off date), "YYYY-MM" for months."""
    return end.strftime("%Y-%m") if periodo == MES else end.isoformat()


def cumulative(tramos: Iterable[Tramo], ends: list[date]) -> list[Decimal] | None:
    """The cumulative planned % (not rounded) at each period end (sorted): Σ peso × F(end) / Σ peso
    × 100. Normalised by the weights' sum, so it reaches exactly 100 once every activity is done;
    None when nothing weighs in this currency. Each activity is evaluated only at the period ends
    inside its span; once done, its whole weight is added from there on through a running sum."""
    tramos = [t for t in tramos if t.peso > ZERO]
    total = sum((t.peso for t in tramos), ZERO)
    if total <= ZERO:
        return None
    n = len(ends)
    sums = [ZERO] * n
    done_from = [ZERO] * (n + 1)
    for t in tramos:
        first = bisect.bisect_left(ends, t.primero)  # periods ending before it starts add nothing
        last = bisect.bisect_left(ends, t.ultimo)  # the period of its last day: done from there
        peso, stop = t.peso, min(last, n)
        if t.distribucion is not None or first >= stop:
            for k in range(first, stop):
                sums[k] += peso * t.fraction(ends[k])
        else:
            # The profile inline (the hot loop of aggregates): t = days done / days, as `elapsed`.
            inicio, perfil = t.inicio, t.perfil
            days = Decimal(max((t.fin - inicio).days + 1, 1))
            for k in range(first, stop):
                done = (ends[k] - inicio).days + 1
                if done <= 0:
                    continue
                x = Decimal(done) / days
                if x >= ONE:
                    sums[k] += peso
                elif perfil == PerfilAvance.LINEAL:
                    sums[k] += peso * x
                else:
                    sums[k] += peso * profile_fraction(perfil, x)
        done_from[min(last, n)] += peso
    running = ZERO
    for k in range(n):
        running += done_from[k]
        sums[k] += running
    return [s * HUNDRED / total for s in sums]
