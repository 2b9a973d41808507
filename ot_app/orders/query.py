"""Reading the OT list's parameters from a query string: shared by the list page and the API."""

from datetime import date, timedelta

from sqlalchemy import select

from ..errors import fail
from ..fields import parse_id, parse_whole
from ..formatting import office_today
from ..models import OTE, EstatusOTId, EstatusPasoId, OTDetalle
from . import read

LIST_INT_PARAMS = ("id_cliente", "id_estatus_ot", "id_tipo", "id_frente", "id_pte_header", "ot_principal")


def list_query_from_args(args, max_per_page: int = 200) -> read.ListQuery:
    """Shared by the API and the list page: invalid parameters are a 400, never a 500."""
    query = read.ListQuery(q=(args.get("q") or "")[:200], pte=(args.get("pte") or "").strip()[:100])
    for name in LIST_INT_PARAMS:
        raw = args.get(name, "")
        if raw.strip():
            try:
                setattr(query, name, parse_id(raw))
            except ValueError:
                fail(400, f"El parámetro {name} no es un identificador válido.")
    estatus = args.get("estatus", "").strip()
    if estatus:
        if estatus not in ("-1", "0", "1"):
            fail(400, "El parámetro estatus debe ser -1 (por definir), 0 (eliminadas) o 1 (activas).")
        query.estatus = int(estatus)
    vigentes = args.get("vigentes", "").strip()
    if vigentes:
        if vigentes not in ("0", "1"):
            fail(400, "El parámetro vigentes debe ser 1 (una fila por cadena: su versión vigente) o 0.")
        query.vigentes = vigentes == "1"
    orden = args.get("orden", "").strip() or read.DEFAULT_SORT
    if orden.lstrip("-") not in read.SORTS:
        fail(400, f"El parámetro orden admite: {', '.join(sorted(read.SORTS))} (con - para descendente).")
    query.orden = orden
    for name, default, maximum in (("page", 1, 1_000_000), ("per_page", 50, max_per_page)):
        raw = args.get(name, "").strip()
        try:
            value = parse_whole(raw, maximum) if raw else default
        except ValueError:
            fail(400, f"El parámetro {name} debe ser un entero entre 1 y {maximum:,}.")
        if value < 1:
            fail(400, f"El parámetro {name} debe ser un entero entre 1 y {maximum:,}.")
        setattr(query, name, value)
    query.condiciones = dashboard_conditions(args)
    return query


# --------------------------------------------------------------------------- the dashboard's filters
# Each number of the dashboard (/tablero) links to the list filtered to exactly its OTs; these are
# the filters the list had not: the dashboard counts with the same conditions it links to.

CLOSED = (EstatusOTId.TERMINADA, EstatusOTId.CANCELADA)
# The same rows as "not closed" (a NULL status is neither), said as IN so an index on the status can serve it.
OPEN = tuple(s for s in EstatusOTId if s not in CLOSED)
STEPS_TO_DO = (EstatusPasoId.PENDIENTE, EstatusPasoId.EN_PROCESO)
MAX_DAYS_AHEAD = 366


def overdue(today: date):
    """Programmed end passed and not Terminada or Cancelada."""
    return (OTE.fecha_termino_programado < today) & OTE.id_estatus_ot.in_(OPEN)


def starting_within(today: date, days: int):
    """Programmed start from today to `days` days ahead (both included), not Terminada or Cancelada."""
    end = today + timedelta(days=days)
    return OTE.fecha_inicio_programado.between(today, end) & OTE.id_estatus_ot.in_(OPEN)


def with_steps_to_do():
    """An OT, not Cancelada, with a step Pendiente or En proceso."""
    to_do = select(OTDetalle.id_ot).where(OTDetalle.estatus_paso.in_(STEPS_TO_DO))
    return OTE.id.in_(to_do) & (OTE.id_estatus_ot != EstatusOTId.CANCELADA)


def dashboard_conditions(args) -> tuple:
    """vencidas=1, inicia_en=N (days), pasos_pendientes=1, id_responsable=ID: a 400 when malformed."""
    out = []
    today = office_today()
    for flag in ("vencidas", "pasos_pendientes"):
        raw = args.get(flag, "").strip()
        if raw and raw not in ("0", "1"):
            fail(400, f"El parámetro {flag} debe ser 1 o 0.")
        if raw == "1":
            out.append(overdue(today) if flag == "vencidas" else with_steps_to_do())
    raw = args.get("inicia_en", "").strip()
    if raw:
        try:
            days = parse_whole(raw, MAX_DAYS_AHEAD)
        except ValueError:
            days = -1
        if days < 0:
            fail(400, f"El parámetro inicia_en debe ser un número de días entre 0 y {MAX_DAYS_AHEAD}.")
        out.append(starting_within(today, days))
    raw = args.get("id_responsable", "").strip()
    if raw:
        try:
            out.append(OTE.id_responsable_proyecto == parse_id(raw))
        except ValueError:
            fail(400, "El parámetro id_responsable no es un identificador válido.")
    return tuple(out)


# The same parameters as the list's filter form shows them: one chip each, with what it means, so a
# list opened from the dashboard says why it is filtered and keeps saying it while other filters
# change (the chip carries the value as a hidden field of the form).
DASHBOARD_PARAMS = ("vencidas", "inicia_en", "pasos_pendientes", "id_responsable")


def dashboard_filters(args, responsables=()) -> list[tuple[str, str, str]]:
    """(name, value, label) of the dashboard's filters in the URL (already checked by
    `dashboard_conditions`); a flag set to 0 applies nothing and gets no chip."""
    names = {r.id: r.nombre for r in responsables}
    out = []
    for name in DASHBOARD_PARAMS:
        value = args.get(name, "").strip()
        if not value or (name in ("vencidas", "pasos_pendientes") and value != "1"):
            continue
        if name == "vencidas":
            label = "Vencidas"
        elif name == "pasos_pendientes":
            label = "Con pasos pendientes"
        elif name == "inicia_en":
            days = int(value)
            label = (
                "Inician hoy"
                if days == 0
                else f"Inician en los próximos {days} {'día' if days == 1 else 'días'}"
            )
        else:
            label = f"Responsable: {names.get(parse_id(value), f'ID {value}')}"
        out.append((name, value, label))
    return out
