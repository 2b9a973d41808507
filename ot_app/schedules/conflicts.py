"""Site conflicts (issue 14): which vessel, platform or yard is booked beyond its capacity, which
actual period runs into the next booking, which two bookings of a vessel leave it less than its
mobilisation gap. Pure functions over bookings (no database): `sweep` for the whole portfolio,
`conflicts_of` for the check on save; `bookings.py` reads and keeps the bookings.

A conflict is a run of days on one site where more OTs hold it than it takes, with the set of OTs
holding it: a site of capacity 1 booked by A over 1–10 and B over 5–12 has one conflict, 5–10,
{A, B}. A third OT C over 7–8 splits it: 5–6 {A, B}, 7–8 {A, B, C}, 9–10 {A, B}. The sweep is one
pass over each site's bookings sorted by start, keeping the running latest end: a booking that
starts after it closes a cluster, and only clusters of two or more bookings are swept day by event.

The portfolio's 100,000 bookings go through `sweep_rows` as plain tuples of day ordinals (as
bookings.py reads them from SQL): no object is made per booking, only per conflict found.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from datetime import date, timedelta
from heapq import heappop, heappush
from itertools import groupby
from operator import itemgetter
from typing import NamedTuple

from ..models import TipoConflicto

DAY = timedelta(days=1)
_PROGRAMADO, _REAL, _MOVILIZACION = TipoConflicto.PROGRAMADO, TipoConflicto.REAL, TipoConflicto.MOVILIZACION


@dataclass(frozen=True, slots=True)
class Reserva:
    """A site held by an OT over [desde, hasta] (inclusive), with its actual period when begun."""

    id_ot: int
    tipo_sitio: str
    id_sitio: int
    desde: date
    hasta: date
    real_desde: date | None = None
    real_hasta: date | None = None

    def fin_real(self, hoy: date) -> date | None:
        """The last day it actually holds the site: its actual end, or today while it runs."""
        if self.real_desde is None:
            return None
        return self.real_hasta or max(hoy, self.real_desde)

    def row(self) -> tuple:
        """The booking as `sweep_rows` reads it: dates as ordinals."""
        return (
            self.id_ot,
            self.tipo_sitio,
            self.id_sitio,
            self.desde.toordinal(),
            self.hasta.toordinal(),
            self.real_desde.toordinal() if self.real_desde else None,
            self.real_hasta.toordinal() if self.real_hasta else None,
        )


@dataclass(frozen=True, slots=True)
class Sitio:
    capacidad: int = 1
    movilizacion_dias: int = 0
    exclusivo: bool = False
    nombre: str = ""


class Conflicto(NamedTuple):
    """A NamedTuple, not a dataclass: a dense portfolio yields tens of thousands of them and a
    tuple is made several times faster than a frozen dataclass."""

    tipo: TipoConflicto
    tipo_sitio: str
    id_sitio: int
    ots: tuple[int, ...]  # sorted
    desde: date
    hasta: date

    @property
    def clave(self) -> tuple:
        """What an acceptance names (ConflictoAceptado's unique columns)."""
        return (
            self.tipo.value,
            self.tipo_sitio,
            self.id_sitio,
            ",".join(map(str, self.ots)),
            self.desde,
            self.hasta,
        )


def _segments(periods, limit: int):
    """(desde, hasta, ots) for each run of days on which more than `limit` of `periods` (inclusive
    (start, end, id_ot), day ordinals) overlap, with the ids holding it; consecutive days with the
    same holders are one run."""
    events = []
    for start, end, ot in periods:
        events.append((start, 1, ot))
        events.append((end + 1, -1, ot))
    events.sort()
    active: set[int] = set()
    open_at = 0
    open_ots: tuple[int, ...] = ()
    i, n = 0, len(events)
    while i < n:
        day = events[i][0]
        while i < n and events[i][0] == day:
            _, delta, ot = events[i]
            if delta > 0:
                active.add(ot)
            else:
                active.discard(ot)
            i += 1
        holders = tuple(sorted(active)) if len(active) > limit else ()
        if holders != open_ots:
            if open_ots:
                yield open_at, day - 1, open_ots
            open_at, open_ots = day, holders


def _over_capacity(g, lo: int, hi: int, cap: int) -> bool:
    """Whether more than `cap` of g[lo:hi] (sorted by start) ever hold the site at once: a heap of
    the running ends, so a cluster of a site that takes several OTs is swept day by event only when
    it really goes over."""
    ends: list[int] = []
    for k in range(lo, hi):
        start, end = g[k][3], g[k][4]
        while ends and ends[0] < start:
            heappop(ends)
        heappush(ends, end)
        if len(ends) > cap:
            return True
    return False


def _site(g: list, sitio: Sitio, hoy: int, out: list) -> None:
    """The conflicts of one site's bookings `g` (rows sorted by start), appended to `out` as
    (tipo, ots, desde, hasta) with day ordinals."""
    cap = sitio.capacidad if sitio.capacidad > 1 else 1
    n = len(g)

    # Programmed overlaps: clusters by the running latest end.
    latest = g[0][4]
    first = 0
    for k in range(1, n + 1):
        if k < n:
            row = g[k]
            if row[3] <= latest:
                if row[4] > latest:
                    latest = row[4]
                continue
        size = k - first
        if size > 1:
            if cap == 1 and size == 2:  # the common case: two bookings, one overlap
                a, b = g[first], g[first + 1]
                ots = (a[0], b[0]) if a[0] < b[0] else (b[0], a[0])
                out.append((_PROGRAMADO, ots, b[3], a[4] if a[4] < b[4] else b[4]))
            elif cap == 1 or _over_capacity(g, first, k, cap):
                for desde, hasta, ots in _segments([(x[3], x[4], x[0]) for x in g[first:k]], cap):
                    out.append((_PROGRAMADO, ots, desde, hasta))
        if k < n:
            first, latest = k, g[k][4]

    # An actual period past its programmed end: the days of the overrun on which the site's other
    # programmed bookings already fill it. Usually no earlier booking reaches past this one's end
    # (the running latest end says so), and the later ones are scanned forward from it until one
    # starts after the overrun; otherwise those near it are found by bisecting the starts (a
    # booking is at most `longest` days long).
    starts = longest = None
    latest_before = g[0][3] - 1  # the latest programmed end among g[:k]
    for k in range(n):
        row = g[k]
        real_desde = row[5]
        if real_desde is not None:
            fin = row[6]
            if fin is None:
                fin = hoy if hoy > real_desde else real_desde
            if fin > row[4]:
                window_start = row[4] + 1
                me = row[0]
                if latest_before < window_start:
                    others = []
                    for o in g[k + 1 :]:
                        if o[3] > fin:
                            break
                        if o[4] >= window_start:
                            others.append(
                                (
                                    o[3] if o[3] > window_start else window_start,
                                    o[4] if o[4] < fin else fin,
                                    o[0],
                                )
                            )
                else:
                    if starts is None:
                        starts = [x[3] for x in g]
                        longest = max(x[4] - x[3] for x in g)
                    others = [
                        (o[3] if o[3] > window_start else window_start, o[4] if o[4] < fin else fin, o[0])
                        for o in g[bisect_left(starts, window_start - longest) : bisect_right(starts, fin)]
                        if o[4] >= window_start and o[0] != me
                    ]
                if len(others) >= cap:
                    if cap == 1 and all(others[x][0] > others[x - 1][1] for x in range(1, len(others))):
                        # The common case: the overrun meets the next bookings one at a time (they
                        # do not overlap each other), each one conflict over the days they share.
                        for desde, hasta, other in others:
                            out.append((_REAL, (me, other) if me < other else (other, me), desde, hasta))
                    else:
                        others.append((window_start, fin, me))
                        for desde, hasta, ots in _segments(others, cap):
                            if me in ots:
                                out.append((_REAL, ots, desde, hasta))
        if row[4] > latest_before:
            latest_before = row[4]

    # A vessel's mobilisation gap: consecutive bookings (by the running latest end) that do not
    # overlap but leave fewer free days between them than it needs.
    need = sitio.movilizacion_dias
    if need > 0 and cap == 1:
        last = g[0]
        for row in g[1:]:
            if row[3] > last[4] and row[3] - last[4] - 1 < need:
                gap_start, gap_end = last[4] + 1, row[3] - 1
                if gap_end < gap_start:  # back to back: the day it would have to move
                    gap_start = gap_end = row[3]
                ots = (last[0], row[0]) if last[0] < row[0] else (row[0], last[0])
                out.append((_MOVILIZACION, ots, gap_start, gap_end))
            if row[4] > last[4]:
                last = row


_SITE = itemgetter(1, 2)
_DEFAULT = Sitio()


def sweep_rows(rows, sitios: dict[tuple[str, int], Sitio], hoy: int) -> list[Conflicto]:
    """Every conflict of the portfolio from `rows`: (id_ot, tipo_sitio, id_sitio, desde, hasta,
    real_desde, real_hasta) with dates as day ordinals (`date.toordinal()`), sorted by
    (tipo_sitio, id_sitio, desde, id_ot) as the index `ix_reserva_sitio_sitio_desde` returns them;
    `hoy` an ordinal too. A site missing from `sitios` takes one OT at a time and needs no gap."""
    found: list[Conflicto] = []
    day = date.fromordinal
    make = Conflicto._make
    for key, group in groupby(rows, key=_SITE):
        g = list(group)
        if len(g) < 2:
            continue
        out: list = []
        _site(g, sitios.get(key, _DEFAULT), hoy, out)
        tipo_sitio, id_sitio = key
        for tipo, ots, desde, hasta in out:
            found.append(make((tipo, tipo_sitio, id_sitio, ots, day(desde), day(hasta))))
    return found


def site_key(r) -> tuple[str, int]:
    return (r.tipo_sitio, r.id_sitio)


def sweep(reservas: list[Reserva], sitios: dict[tuple[str, int], Sitio], hoy: date) -> list[Conflicto]:
    """Every conflict of `reservas`, sorted by (tipo_sitio, id_sitio, desde, id_ot): `sweep_rows`
    over their rows."""
    return sweep_rows([r.row() for r in reservas], sitios, hoy.toordinal())


def conflicts_of(
    id_ot: int, reservas: list[Reserva], sitios: dict[tuple[str, int], Sitio], hoy: date
) -> list[Conflicto]:
    """The conflicts an OT takes part in, from its bookings and those of the same sites near its
    dates (any order)."""
    ordered = sorted(reservas, key=lambda r: (r.tipo_sitio, r.id_sitio, r.desde, r.id_ot))
    return [c for c in sweep(ordered, sitios, hoy) if id_ot in c.ots]


def brute_force(reservas: list[Reserva], sitios: dict[tuple[str, int], Sitio], hoy: date) -> set[Conflicto]:
    """The same answer day by day and pair by pair: the tests' reference for `sweep`."""
    found: set[Conflicto] = set()
    default = Sitio()
    by_site: dict[tuple[str, int], list[Reserva]] = {}
    for r in reservas:
        by_site.setdefault(site_key(r), []).append(r)
    for key, rows in by_site.items():
        sitio = sitios.get(key, default)
        cap = max(1, sitio.capacidad)

        def runs(day_holders: dict[date, tuple[int, ...]], tipo, key=key):
            days = sorted(day_holders)
            start = prev = None
            holders: tuple[int, ...] = ()
            for d in days + [None]:
                h = day_holders.get(d) if d is not None else None
                if d is not None and prev is not None and d == prev + DAY and h == holders:
                    prev = d
                    continue
                if start is not None:
                    found.add(Conflicto(tipo, key[0], key[1], holders, start, prev))
                start, prev, holders = d, d, h

        occupancy: dict[date, tuple[int, ...]] = {}
        all_days = {r.desde + DAY * i for r in rows for i in range((r.hasta - r.desde).days + 1)}
        for d in all_days:
            holding = tuple(sorted(r.id_ot for r in rows if r.desde <= d <= r.hasta))
            if len(holding) > cap:
                occupancy[d] = holding
        runs(occupancy, TipoConflicto.PROGRAMADO)

        for r in rows:
            fin = r.fin_real(hoy)
            if fin is None or fin <= r.hasta:
                continue
            overrun: dict[date, tuple[int, ...]] = {}
            d = r.hasta + DAY
            while d <= fin:
                others = [o.id_ot for o in rows if o.id_ot != r.id_ot and o.desde <= d <= o.hasta]
                if len(others) >= cap:
                    overrun[d] = tuple(sorted([r.id_ot, *others]))
                d += DAY
            runs(overrun, TipoConflicto.REAL)

        if sitio.movilizacion_dias > 0 and cap == 1:
            # b's previous booking: of those before it (by start, then id), the first to end last.
            order = sorted(rows, key=lambda r: (r.desde, r.id_ot))
            for i, b in enumerate(order):
                if i == 0:
                    continue
                latest = max(o.hasta for o in order[:i])
                a = next(o for o in order[:i] if o.hasta == latest)
                free = (b.desde - a.hasta).days - 1
                if b.desde > a.hasta and free < sitio.movilizacion_dias:
                    gs, ge = a.hasta + DAY, b.desde - DAY
                    if ge < gs:
                        gs = ge = b.desde
                    ots = tuple(sorted((a.id_ot, b.id_ot)))
                    found.add(Conflicto(TipoConflicto.MOVILIZACION, key[0], key[1], ots, gs, ge))
    return found
