"""The portfolio timeline (issue 14): one row per OT chain (its current version) over a window of
days, grouped by site, client, front or status, with its bars (programado, real, the yard phase,
version 1's dates as the baseline) and marks (overdue, behind schedule, red where a site is over-
booked). One read shared by the page (/linea-tiempo) and the API (GET /api/linea-tiempo).

Statements: the page of rows is one SELECT (the group, the sites, version 1 and the last cut-off's
progress ride in it); the conflicts are `bookings.portfolio_conflicts`, computed once per data
version in each worker (data_version.cached: the counter is one primary-key read)."""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import and_, case, func, literal, or_, select
from sqlalchemy.orm import aliased

from .. import data_version
from ..errors import fail
from ..extensions import db
from ..fields import parse_date, parse_whole
from ..formatting import office_today
from ..models import (
    OTE,
    Cliente,
    Corte,
    Embarcacion,
    EstatusOT,
    Frente,
    Patio,
    Plataforma,
)
from ..orders import read as orders_read
from ..orders.query import CLOSED, list_query_from_args, overdue
from . import bookings
from .cortes import suggested_date

# Zoom: pixels per day, the default window (days) and the ticks of the scale.
ZOOMS = {"dia": 28.0, "semana": 6.0, "mes": 2.5, "trimestre": 1.0}
ZOOM_ORDER = ("dia", "semana", "mes", "trimestre")
DEFAULT_ZOOM = "mes"
WINDOW_MONTHS = {"dia": 1, "semana": 3, "mes": 12, "trimestre": 24}
MAX_WINDOW_DAYS = 3 * 366
GROUPS = {
    "embarcacion": ("Embarcación", Embarcacion.nombre),
    "plataforma": ("Plataforma", Plataforma.nombre),
    "patio": ("Patio", Patio.nombre),
    "cliente": ("Cliente", Cliente.nombre),
    "frente": ("Frente", Frente.nombre),
    "estatus": ("Estatus", EstatusOT.nombre),
}
DEFAULT_GROUP = "embarcacion"
PER_PAGE = 200
MAX_PER_PAGE = 1000
# The parameters that are the timeline's own (the rest are the OT list's filters).
OWN_PARAMS = ("desde", "hasta", "zoom", "agrupar", "pagina", "por_pagina")


@dataclass
class Vista:
    """The whole view state, as the URL says it."""

    desde: date
    hasta: date
    zoom: str = DEFAULT_ZOOM
    agrupar: str = DEFAULT_GROUP
    pagina: int = 1
    por_pagina: int = PER_PAGE
    filtros: orders_read.ListQuery = field(default_factory=orders_read.ListQuery)

    @property
    def dias(self) -> int:
        return (self.hasta - self.desde).days + 1

    @property
    def px(self) -> float:
        return ZOOMS[self.zoom]


def add_months(day: date, months: int) -> date:
    y, m = divmod(day.month - 1 + months, 12)
    year, month = day.year + y, m + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def default_window(zoom: str, hoy: date) -> tuple[date, date]:
    """A window around today: a month back (a week at day zoom), then the zoom's span."""
    if zoom == "dia":
        desde = hoy - timedelta(days=7)
    else:
        desde = add_months(hoy.replace(day=1), -1 if zoom != "trimestre" else -3)
    return desde, add_months(desde, WINDOW_MONTHS[zoom]) - timedelta(days=1)


def parse(args, hoy: date | None = None) -> Vista:
    """The view from a query string: the list's filters through the list's own parser
    (orders/query.py), the timeline's parameters here. A bad one is a 400 in Spanish, never a 500."""
    hoy = hoy or office_today()
    zoom = (args.get("zoom") or DEFAULT_ZOOM).strip()
    if zoom not in ZOOMS:
        fail(400, f"El parámetro zoom admite: {', '.join(ZOOM_ORDER)}.")
    agrupar = (args.get("agrupar") or DEFAULT_GROUP).strip()
    if agrupar not in GROUPS and agrupar != "ninguno":
        fail(400, f"El parámetro agrupar admite: {', '.join(GROUPS)} o ninguno.")
    dates = {}
    for name in ("desde", "hasta"):
        raw = (args.get(name) or "").strip()
        try:
            dates[name] = parse_date(raw) if raw else None
        except ValueError:
            dates[name] = None
            fail(400, f"El parámetro {name} no es una fecha válida (aaaa-mm-dd o dd/mm/aaaa).")
    desde, hasta = default_window(zoom, hoy)
    if dates["desde"] and not dates["hasta"]:
        desde = dates["desde"]
        hasta = add_months(desde, WINDOW_MONTHS[zoom]) - timedelta(days=1)
    elif dates["hasta"] and not dates["desde"]:
        hasta = dates["hasta"]
        desde = add_months(hasta, -WINDOW_MONTHS[zoom]) + timedelta(days=1)
    elif dates["desde"]:
        desde, hasta = dates["desde"], dates["hasta"]
    if hasta < desde:
        fail(400, "El parámetro hasta debe ser igual o posterior a desde.")
    if (hasta - desde).days + 1 > MAX_WINDOW_DAYS:
        fail(400, f"La ventana admite a lo más {MAX_WINDOW_DAYS:,} días.")
    numbers = {}
    for name, default, maximum in (("pagina", 1, 1_000_000), ("por_pagina", PER_PAGE, MAX_PER_PAGE)):
        raw = (args.get(name) or "").strip()
        try:
            value = parse_whole(raw, maximum) if raw else default
        except ValueError:
            value = 0
        if not value or value < 1:
            fail(400, f"El parámetro {name} debe ser un entero entre 1 y {maximum:,}.")
        numbers[name] = value
    filtros = list_query_from_args(args)
    filtros.vigentes = True  # one row per chain: its current version
    return Vista(desde, hasta, zoom, agrupar, numbers["pagina"], numbers["por_pagina"], filtros)


# --------------------------------------------------------------------------- the read


@dataclass
class Barra:
    clase: str  # programado, real, patio, base
    desde: date
    hasta: date
    x: int  # days from the window's start (clipped)
    w: int  # days shown (clipped, at least 1)
    cortada_izq: bool = False
    cortada_der: bool = False
    titulo: str = ""  # a conflict segment: the conflict in a sentence
    px: float = 1.0  # the zoom's pixels per day

    @property
    def left(self) -> str:
        return f"{self.x * self.px:g}"

    @property
    def width(self) -> str:
        return f"{max(2.0, self.w * self.px):g}"


@dataclass
class Fila:
    id: int
    folio: str
    version: int
    num: int  # R-number of the current version
    grupo: str
    sitio: str
    estatus: str
    inicio: date | None
    termino: date | None
    real_inicio: date | None
    real_termino: date | None
    patio_inicio: date | None
    patio_fin: date | None
    base_inicio: date | None
    base_termino: date | None
    avance: float | None  # the last cut-off's physical %
    transcurrido: float | None  # elapsed % of the programmed period
    vencida: bool
    dias_atraso: int
    atrasada: bool  # behind schedule: elapsed % > progress %
    barras: list[Barra] = field(default_factory=list)
    conflictos: list[Barra] = field(default_factory=list)
    rojos: list[Rojo] = field(default_factory=list)  # its conflict runs, in the window or not

    @property
    def programado_visible(self) -> bool:
        return any(b.clase == "programado" for b in self.barras)

    @property
    def etiqueta(self) -> str:
        """The bar's accessible name: OT, site, dates, %, days late, conflicts."""
        parts = [f"OT {self.folio}" + (f" R{self.num}" if self.num else "")]
        parts.append(self.sitio or "sin sitio")
        if self.inicio and self.termino:
            parts.append(f"programada del {self.inicio:%d/%m/%Y} al {self.termino:%d/%m/%Y}")
        parts.append(f"avance {self.avance:.0f} %" if self.avance is not None else "sin avance registrado")
        if self.dias_atraso:
            parts.append(f"{self.dias_atraso} {'día' if self.dias_atraso == 1 else 'días'} de retraso")
        elif self.atrasada:
            parts.append("atrasada respecto al programa")
        n = sum(r.n for r in self.rojos)
        if n:
            parts.append(f"{n} conflicto{'' if n == 1 else 's'} de sitio")
        return ", ".join(parts)


@dataclass
class Marca:
    x: int
    etiqueta: str
    px: float = 1.0

    @property
    def left(self) -> str:
        return f"{self.x * self.px:g}"


@dataclass
class Linea:
    vista: Vista
    filas: list[Fila]
    grupo_anterior: str | None  # the group of the row before this page (headers are not repeated)
    hay_mas: bool
    marcas: list[Marca]  # the scale's ticks
    hoy: date
    corte: date
    x_hoy: int | None
    x_corte: int | None

    @property
    def ancho(self) -> int:
        return round(self.vista.dias * self.vista.px)

    def left(self, x: int | None) -> str | None:
        return None if x is None else f"{x * self.vista.px:g}"


def _clip(vista: Vista, clase: str, desde: date | None, hasta: date | None) -> Barra | None:
    if desde is None or hasta is None or hasta < vista.desde or desde > vista.hasta or hasta < desde:
        return None
    start, end = max(desde, vista.desde), min(hasta, vista.hasta)
    return Barra(
        clase,
        desde,
        hasta,
        (start - vista.desde).days,
        (end - start).days + 1,
        desde < vista.desde,
        hasta > vista.hasta,
        px=vista.px,
    )


def _ticks(vista: Vista) -> list[Marca]:
    """The scale: days (day zoom), Mondays (week), months (month) or quarters."""
    out = []
    if vista.zoom in ("dia", "semana"):
        step = 1 if vista.zoom == "dia" else 7
        day = vista.desde if vista.zoom == "dia" else vista.desde + timedelta(days=-vista.desde.weekday() % 7)
        while day <= vista.hasta:
            label = f"{day:%d}" if vista.zoom == "dia" else f"{day:%d/%m}"
            out.append(Marca((day - vista.desde).days, label, vista.px))
            day += timedelta(days=step)
        return out
    months = 1 if vista.zoom == "mes" else 3
    day = vista.desde.replace(day=1)
    if vista.zoom == "trimestre":
        day = day.replace(month=(day.month - 1) // 3 * 3 + 1)
    if day < vista.desde:
        day = add_months(day, months)
    while day <= vista.hasta:
        label = (
            f"{MESES[day.month - 1]} {day:%y}"
            if vista.zoom == "mes"
            else f"T{(day.month - 1) // 3 + 1} {day:%Y}"
        )
        out.append(Marca((day - vista.desde).days, label, vista.px))
        day = add_months(day, months)
    return out


MESES = ("ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sep", "oct", "nov", "dic")


def _progress():
    """The last cut-off's physical % of the OT (MXN, or USD when it has no MXN amount)."""
    return (
        select(case((OTE.monto_mxn > 0, Corte.real_mxn), else_=Corte.real_usd))
        .where(Corte.id_ot == OTE.id)
        .order_by(Corte.fecha_corte.desc())
        .limit(1)
        .scalar_subquery()
    )


def _statement(vista: Vista, actor, hoy: date, offset: int, limit: int):
    base = aliased(OTE)
    root = func.coalesce(OTE.ot_principal, OTE.id)
    grupo = GROUPS[vista.agrupar][1] if vista.agrupar in GROUPS else literal("")
    d, h = vista.desde, vista.hasta
    in_window = or_(
        and_(OTE.fecha_inicio_programado <= h, OTE.fecha_termino_programado >= d),
        and_(OTE.fecha_inicio_real <= h, func.coalesce(OTE.fecha_termino_real, hoy) >= d),
        and_(OTE.fecha_inicio_patio <= h, OTE.fecha_fin_patio >= d),
    )
    query = (
        select(
            OTE.id,
            OTE.orden_trabajo,
            OTE.version,
            OTE.num_reprogramacion,
            grupo,
            func.coalesce(Embarcacion.nombre, Plataforma.nombre, Patio.nombre),
            EstatusOT.nombre,
            OTE.id_estatus_ot,
            OTE.fecha_inicio_programado,
            OTE.fecha_termino_programado,
            OTE.fecha_inicio_real,
            OTE.fecha_termino_real,
            OTE.fecha_inicio_patio,
            OTE.fecha_fin_patio,
            base.fecha_inicio_programado,
            base.fecha_termino_programado,
            _progress(),
            overdue(hoy),
        )
        .outerjoin(base, base.id == root)
        .outerjoin(Embarcacion, Embarcacion.id == OTE.id_embarcacion)
        .outerjoin(Plataforma, Plataforma.id == OTE.id_plataforma)
        .outerjoin(Patio, Patio.id == OTE.id_patio)
        .outerjoin(EstatusOT, EstatusOT.id == OTE.id_estatus_ot)
        .where(*orders_read.list_conditions(vista.filtros, actor), in_window)
    )
    if vista.agrupar == "cliente":
        query = query.outerjoin(Cliente, Cliente.id == OTE.id_cliente)
    elif vista.agrupar == "frente":
        query = query.outerjoin(Frente, Frente.id == OTE.id_frente)
    order = [OTE.fecha_inicio_programado, OTE.id]
    if vista.agrupar in GROUPS:
        order = [grupo.is_(None), grupo, *order]
    return query.order_by(*order).offset(offset).limit(limit)


SIN_GRUPO = {
    "embarcacion": "Sin embarcación",
    "plataforma": "Sin plataforma",
    "patio": "Sin patio",
    "cliente": "Sin cliente",
    "frente": "Sin frente",
    "estatus": "Sin estatus",
}


def _elapsed(inicio: date | None, termino: date | None, hoy: date) -> float | None:
    if inicio is None or termino is None or termino < inicio:
        return None
    if hoy < inicio:
        return 0.0
    total = (termino - inicio).days + 1
    return min(100.0, 100.0 * ((min(hoy, termino) - inicio).days + 1) / total)


@dataclass(frozen=True)
class Rojo:
    """A run of days in which an OT is in one or more site conflicts (overlapping or touching
    conflicts drawn as one: a site booked by many OTs splits into many short conflicts, and one
    rectangle and one sentence each weighed 1 MB at 1,000 OTs)."""

    tipo: str  # the first conflict's kind
    desde: date
    hasta: date
    descripcion: str  # the first conflict's sentence, and how many more
    n: int


def _runs(found: list[dict]) -> list[Rojo]:
    runs: list[list] = []
    for f in sorted(found, key=lambda f: (f["conflicto"].desde, f["conflicto"].hasta)):
        c = f["conflicto"]
        if runs and c.desde <= runs[-1][2] + timedelta(days=1):
            runs[-1][2] = max(runs[-1][2], c.hasta)
            runs[-1][4] += 1
        else:
            runs.append([c.tipo.value, c.desde, c.hasta, f["descripcion"], 1])
    out = []
    for tipo, desde, hasta, text, n in runs:
        if n > 1:
            text = f"{text} (y {n - 1} conflicto{'' if n == 2 else 's'} más en estos días)"
        out.append(Rojo(tipo, desde, hasta, text, n))
    return out


def conflicts_by_ot(hoy: date, desde: date, hasta: date) -> dict[int, list[Rojo]]:
    """The conflicts (not accepted, `bookings.portfolio_conflicts`) touching the window as each
    OT's red runs: computed once per data version, day and window in each worker (only the
    window's conflicts are described in words)."""

    def compute():
        by_ot: dict[int, list[dict]] = {}
        for found in bookings.portfolio_conflicts(desde, hasta, hoy=hoy):
            for id_ot in found["conflicto"].ots:
                by_ot.setdefault(id_ot, []).append(found)
        return {id_ot: _runs(found) for id_ot, found in by_ot.items()}

    return data_version.cached("linea_conflictos", (hoy, desde, hasta), compute)


def timeline(vista: Vista, actor=None, hoy: date | None = None) -> Linea:
    """The page of rows `vista` asks for, with their bars and marks."""
    hoy = hoy or office_today()
    offset = (vista.pagina - 1) * vista.por_pagina
    # One row before the page (its group: a header is shown only when the group changes), one after
    # (whether there is more).
    before = 1 if offset else 0
    rows = db.session.execute(
        _statement(vista, actor, hoy, offset - before, vista.por_pagina + before + 1)
    ).all()
    grupo_anterior = None
    if before and rows:
        grupo_anterior = rows[0][4] or SIN_GRUPO.get(vista.agrupar, "")
        rows = rows[1:]
    hay_mas = len(rows) > vista.por_pagina
    rows = rows[: vista.por_pagina]
    conflictos = conflicts_by_ot(hoy, vista.desde, vista.hasta) if rows else {}
    filas = []
    for r in rows:
        (id_, folio, version, num, grupo, sitio, estatus, id_estatus, pi, pf, ri, rf, yi, yf, bi, bf) = r[:16]
        avance = float(r[16]) if r[16] is not None else None
        vencida = bool(r[17])
        transcurrido = _elapsed(pi, pf, hoy)
        closed = id_estatus in CLOSED
        atrasada = (
            not closed and transcurrido is not None and transcurrido > 0 and transcurrido > (avance or 0.0)
        )
        fila = Fila(
            id=id_,
            folio=folio,
            version=version,
            num=num or 0,
            grupo=grupo or SIN_GRUPO.get(vista.agrupar, ""),
            sitio=sitio or "",
            estatus=estatus or "",
            inicio=pi,
            termino=pf,
            real_inicio=ri,
            real_termino=rf,
            patio_inicio=yi,
            patio_fin=yf,
            base_inicio=bi if (bi, bf) != (pi, pf) else None,
            base_termino=bf if (bi, bf) != (pi, pf) else None,
            avance=avance,
            transcurrido=transcurrido,
            vencida=vencida,
            dias_atraso=(hoy - pf).days if vencida and pf else 0,
            atrasada=atrasada,
        )
        real_fin = rf or (max(hoy, ri) if ri and not closed else ri)
        for clase, a, b in (
            ("base", fila.base_inicio, fila.base_termino),
            ("programado", pi, pf),
            ("real", ri, real_fin),
            ("patio", yi, yf),
        ):
            bar = _clip(vista, clase, a, b)
            if bar is not None:
                fila.barras.append(bar)
        for rojo in conflictos.get(id_, ()):
            seg = _clip(vista, "conflicto", rojo.desde, rojo.hasta)
            if seg is not None:
                seg.titulo = rojo.descripcion
                fila.conflictos.append(seg)
            fila.rojos.append(rojo)
        filas.append(fila)
    corte = suggested_date(hoy)

    def x_of(day: date) -> int | None:
        return (day - vista.desde).days if vista.desde <= day <= vista.hasta else None

    return Linea(vista, filas, grupo_anterior, hay_mas, _ticks(vista), hoy, corte, x_of(hoy), x_of(corte))


# --------------------------------------------------------------------------- URLs of the view


def view_args(args, **changes) -> dict:
    """The current view's query arguments with some changed; empty values and defaults left out,
    so one view has one URL."""
    out = {k: v for k, v in args.items() if v not in (None, "")}
    out.update(changes)
    out = {k: v for k, v in out.items() if v not in (None, "")}
    if out.get("zoom") == DEFAULT_ZOOM:
        out.pop("zoom")
    if out.get("agrupar") == DEFAULT_GROUP:
        out.pop("agrupar")
    if str(out.get("pagina", "")) == "1":
        out.pop("pagina")
    return out


def zoom_step(zoom: str, step: int) -> str:
    i = ZOOM_ORDER.index(zoom) + step
    return ZOOM_ORDER[max(0, min(len(ZOOM_ORDER) - 1, i))]
