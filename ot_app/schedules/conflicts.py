"""Site conflicts (issue 14): which vessel, platform or yard is booked beyond its capacity, which
actual period runs into the next booking, which two bookings of a vessel leave it less than its
mobilisation gap. Pure functions over bookings (no database): `sweep` for the whole portfolio,
`conflicts_of` for the check on save; `bookings.py` reads and keeps the bookings.

A conflict is a run of days on one site where more OTs hold it than it takes, with the set of OTs
holding it: a site of capacity 1 booked by A over 1–10 and B over 5–12 has one conflict, 5–10,
{A, B}. A third OT C over 7–8 splits it: 5–6 {A, B}, 7–8 {A, B, C}, 9–10 {A, B}. The sweep is one
pass over each site's bookings sorted by start, keeping the running latest end: a booking that
starts after it closes a cluster, and only clusters of two or more bookings are swept day by event.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from itertools import groupby

from ..models import TipoConflicto

DAY = timedelta(days=1)


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


@dataclass(frozen=True, slots=True)
class Sitio:
    capacidad: int = 1
    movilizacion_dias: int = 0
    exclusivo: bool = False
    nombre: str = ""


@dataclass(frozen=True, slots=True)
class Conflicto:
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


def _segments(periods: list[tuple[date, date, int]], limit: int):
    """(desde, hasta, ots) for each run of days on which more than `limit` of `periods` (inclusive
    (start, end, id_ot)) overlap, with the ids holding it; consecutive days with the same holders
    are one run."""
    events: list[tuple[date, int, int]] = []
    for start, end, ot in periods:
        events.append((start, 1, ot))
        events.append((end + DAY, -1, ot))
    events.sort()
    active: set[int] = set()
    open_at: date | None = None
    open_ots: tuple[int, ...] = ()
    i = 0
    while i < len(events):
        day = events[i][0]
        while i < len(events) and events[i][0] == day:
            _, delta, ot = events[i]
            if delta > 0:
                active.add(ot)
            else:
                active.discard(ot)
            i += 1
        holders = tuple(sorted(active)) if len(active) > limit else ()
        if holders != open_ots:
            if open_ots:
                yield open_at, day - DAY, open_ots
            open_at, open_ots = day, holders


def _clusters(reservas: list[Reserva], end_of) -> list[list[Reserva]]:
    """Maximal runs of bookings (sorted by start) whose periods chain into each other, by the
    running latest end; `end_of(r)` is the booking's last day."""
    clusters: list[list[Reserva]] = []
    current: list[Reserva] = []
    latest: date | None = None
    for r in reservas:
        if latest is not None and r.desde <= latest:
            current.append(r)
            latest = max(latest, end_of(r))
        else:
            if len(current) > 1:
                clusters.append(current)
            current, latest = [r], end_of(r)
    if len(current) > 1:
        clusters.append(current)
    return clusters


def _site_conflicts(reservas: list[Reserva], sitio: Sitio, hoy: date) -> list[Conflicto]:
    """The conflicts of one site; `reservas` sorted by start."""
    tipo_sitio, id_sitio = reservas[0].tipo_sitio, reservas[0].id_sitio
    capacidad = max(1, sitio.capacidad)
    found: list[Conflicto] = []

    def add(tipo, desde, hasta, ots):
        found.append(Conflicto(tipo, tipo_sitio, id_sitio, tuple(sorted(ots)), desde, hasta))

    for cluster in _clusters(reservas, lambda r: r.hasta):
        for desde, hasta, ots in _segments([(r.desde, r.hasta, r.id_ot) for r in cluster], capacidad):
            add(TipoConflicto.PROGRAMADO, desde, hasta, ots)

    # An actual period past its programmed end: the days of the overrun on which the site's other
    # programmed bookings already fill it.
    for r in reservas:
        fin = r.fin_real(hoy)
        if fin is None or fin <= r.hasta:
            continue
        window_start = r.hasta + DAY
        others = [
            (max(o.desde, window_start), min(o.hasta, fin), o.id_ot)
            for o in reservas
            if o.id_ot != r.id_ot and o.desde <= fin and o.hasta >= window_start
        ]
        if len(others) < capacidad:
            continue
        overrun = (window_start, fin, r.id_ot)
        for desde, hasta, ots in _segments([overrun, *others], capacidad):
            if r.id_ot in ots:
                add(TipoConflicto.REAL, desde, hasta, ots)

    # A vessel's mobilisation gap: consecutive bookings (by the running latest end) that do not
    # overlap but leave fewer free days between them than it needs.
    if sitio.movilizacion_dias > 0 and capacidad == 1:
        last: Reserva | None = None
        for r in reservas:
            if last is not None and r.desde > last.hasta:
                free = (r.desde - last.hasta).days - 1
                if free < sitio.movilizacion_dias:
                    gap_start, gap_end = last.hasta + DAY, r.desde - DAY
                    if gap_end < gap_start:  # back to back: the day it would have to move
                        gap_start = gap_end = r.desde
                    add(TipoConflicto.MOVILIZACION, gap_start, gap_end, (last.id_ot, r.id_ot))
            if last is None or r.hasta > last.hasta:
                last = r
    return found


def site_key(r) -> tuple[str, int]:
    return (r.tipo_sitio, r.id_sitio)


def sweep(reservas: list[Reserva], sitios: dict[tuple[str, int], Sitio], hoy: date) -> list[Conflicto]:
    """Every conflict of the portfolio. `reservas` sorted by (tipo_sitio, id_sitio, desde), as
    the index `ix_reserva_sitio_sitio_desde` returns them; a site missing from `sitios` takes one
    OT at a time and needs no gap."""
    found: list[Conflicto] = []
    default = Sitio()
    for key, group in groupby(reservas, key=site_key):
        rows = list(group)
        if len(rows) > 1:
            found.extend(_site_conflicts(rows, sitios.get(key, default), hoy))
    return found


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
