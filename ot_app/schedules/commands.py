"""Program use cases that write: save a program as revision n + 1 of an OT version, and copy the
previous version's program when a reprogramming creates a new one. Shared by the grid, the JSON
API and every importer (they all hand over a `Plan`); never sees `request`."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from sqlalchemy import func, select

from .. import audit
from ..extensions import db
from ..fields import MONEY_MAX
from ..models import (
    OTE,
    OrigenPrograma,
    PerfilAvance,
    ProgramaActividad,
    ProgramaLiga,
    ProgramaRevision,
    Registro,
    Usuario,
)
from ..service_errors import Conflict, NotFound, ServiceError, ValidationFailed
from ..transactions import write_transaction
from . import curve_store, weights
from .plan import ActividadPlan, Plan

FROZEN = "La OT ya fue reprogramada: su programa es la línea base y no cambia."
IMPLICIT_PHASE = "General"
MAX_NOMBRE = 300
MAX_WBS = 40
MAX_RETRASO = 3650  # ten years of lag either way: past that it is a typo
MAX_WARNINGS = 20  # a 500-task file out of the window would otherwise bury the message
CENT = Decimal("0.01")
MONEDAS = ("mxn", "usd")


@dataclass
class Guardado:
    revision: ProgramaRevision
    advertencias: list[str] = field(default_factory=list)


@dataclass
class _Fila:
    """A plan row checked and normalized, ready to store."""

    src: int | None  # index in Plan.actividades (None: the implicit phase)
    nivel: int
    nombre: str
    wbs: str
    es_patio: bool
    inicio: date | None
    fin: date | None
    monto_mxn: Decimal
    monto_usd: Decimal
    peso_mxn: Decimal | None  # typed; replaced by the final weight once assigned
    peso_usd: Decimal | None
    peso_editado_mxn: bool
    peso_editado_usd: bool
    perfil: str
    avance: Decimal
    claves_anexo: list | None
    distribucion: dict | None


# --------------------------------------------------------------------------- checks (no database)


def _key(i: int, campo: str) -> str:
    return f"actividades.{i}.{campo}"


def _msg(a: ActividadPlan, text: str) -> str:
    return f"{a.ref}: {text}" if a.ref else text


def _decimal(value) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        out = value if isinstance(value, Decimal) else Decimal(str(value).replace(",", ""))
    except InvalidOperation:
        return None
    return out if out.is_finite() else None


def _money(a: ActividadPlan, i: int, moneda: str, errors: dict) -> Decimal:
    raw = getattr(a, f"monto_{moneda}")
    value = Decimal("0") if raw is None or raw == "" else _decimal(raw)
    etiqueta = moneda.upper()
    if value is None:
        errors[_key(i, f"monto_{moneda}")] = _msg(a, f"El importe {etiqueta} no es un número.")
    elif value < 0:
        errors[_key(i, f"monto_{moneda}")] = _msg(a, f"El importe {etiqueta} no puede ser negativo.")
    elif value > MONEY_MAX:
        errors[_key(i, f"monto_{moneda}")] = _msg(a, f"El importe {etiqueta} es demasiado grande.")
    else:
        # Stored in cents: an importer's volume × P.U. may carry more decimals.
        return value.quantize(CENT, rounding=ROUND_HALF_UP)
    return Decimal("0")


def _weight(a: ActividadPlan, i: int, moneda: str, errors: dict) -> Decimal | None:
    raw = getattr(a, f"peso_{moneda}")
    if raw is None or raw == "":
        return None
    value = _decimal(raw)
    if value is None or value < 0 or value > 100 or value != value.quantize(CENT):
        errors[_key(i, f"peso_{moneda}")] = _msg(
            a, f"El peso {moneda.upper()} va de 0.00 a 100.00 % con a lo más 2 decimales."
        )
        return None
    return value


def _distribution(a: ActividadPlan, i: int, fila: _Fila, errors: dict, warnings: list) -> dict | None:
    """{"mxn": {"2027-01-01": "1234.50"}, "usd": {...}}: ISO days, amounts >= 0 as strings. A
    distribution whose sum is not the activity's amount is a warning (the curve follows it)."""
    if not a.distribucion:
        return None
    out = {}
    for moneda in MONEDAS:
        per_day = {}
        for day, raw in sorted((a.distribucion.get(moneda) or {}).items()):
            value = _decimal(raw)
            try:
                key = (day if isinstance(day, date) else date.fromisoformat(str(day))).isoformat()
            except ValueError:
                key = None
            if key is None or value is None or value < 0:
                errors[_key(i, "distribucion")] = _msg(
                    a, f"La distribución {moneda.upper()} tiene un periodo o un importe no válido ({day})."
                )
                return None
            per_day[key] = str(value.quantize(CENT, rounding=ROUND_HALF_UP))
        total = sum((Decimal(v) for v in per_day.values()), Decimal("0"))
        monto = getattr(fila, f"monto_{moneda}")
        if per_day and total != monto:
            warnings.append(
                _msg(
                    a,
                    f"«{fila.nombre}»: la distribución {moneda.upper()} suma {total:,.2f} y su importe es {monto:,.2f}.",
                )
            )
        out[moneda] = per_day
    return out


def _row(a: ActividadPlan, i: int, errors: dict, warnings: list) -> _Fila:
    nombre = " ".join((a.nombre or "").split())
    if not nombre:
        errors[_key(i, "nombre")] = _msg(a, "El nombre es obligatorio.")
    elif len(nombre) > MAX_NOMBRE:
        errors[_key(i, "nombre")] = _msg(a, f"El nombre admite a lo más {MAX_NOMBRE} caracteres.")
    wbs = (a.wbs or "").strip()
    if len(wbs) > MAX_WBS:
        errors[_key(i, "wbs")] = _msg(a, f"La EDT (WBS) admite a lo más {MAX_WBS} caracteres.")
    nivel = a.nivel if a.nivel in (1, 2) else None
    if nivel is None:
        errors[_key(i, "nivel")] = _msg(a, "El nivel es 1 (fase) o 2 (actividad).")
        nivel = 2
    if a.es_patio and nivel != 1:
        errors[_key(i, "es_patio")] = _msg(a, "Solo una fase puede ser la fase de patio.")
    if nivel == 2:
        if a.inicio is None:
            errors[_key(i, "inicio")] = _msg(a, "La fecha de inicio es obligatoria.")
        if a.fin is None:
            errors[_key(i, "fin")] = _msg(a, "La fecha de término es obligatoria.")
    if a.inicio and a.fin and a.inicio > a.fin:
        errors[_key(i, "fin")] = _msg(a, "La fecha de término no puede ser anterior a la de inicio.")
    try:
        perfil = PerfilAvance(a.perfil or PerfilAvance.LINEAL).value
    except ValueError:
        opciones = ", ".join(p.value for p in PerfilAvance)
        errors[_key(i, "perfil")] = _msg(a, f"Perfil no válido: use {opciones}.")
        perfil = PerfilAvance.LINEAL.value
    avance = _decimal(a.avance) if a.avance is not None else Decimal("0")
    if avance is None or not 0 <= avance <= 100:
        errors[_key(i, "avance")] = _msg(a, "El avance va de 0 a 100 %.")
        avance = Decimal("0")
    claves = [str(c) for c in a.claves_anexo] if a.claves_anexo else None
    fila = _Fila(
        src=i,
        nivel=nivel,
        nombre=nombre,
        wbs=wbs,
        es_patio=bool(a.es_patio) and nivel == 1,
        inicio=a.inicio,
        fin=a.fin,
        # A phase's amounts and weights are its activities' sums: what a source put on it is not kept.
        monto_mxn=_money(a, i, "mxn", errors) if nivel == 2 else Decimal("0"),
        monto_usd=_money(a, i, "usd", errors) if nivel == 2 else Decimal("0"),
        peso_mxn=_weight(a, i, "mxn", errors) if nivel == 2 else None,
        peso_usd=_weight(a, i, "usd", errors) if nivel == 2 else None,
        peso_editado_mxn=False,
        peso_editado_usd=False,
        perfil=perfil,
        avance=avance.quantize(CENT, rounding=ROUND_HALF_UP),
        claves_anexo=claves,
        distribucion=None,
    )
    fila.peso_editado_mxn, fila.peso_editado_usd = fila.peso_mxn is not None, fila.peso_usd is not None
    if nivel == 2:
        fila.distribucion = _distribution(a, i, fila, errors, warnings)
    return fila


def _cycle(edges: dict[int, list[int]]) -> list[int] | None:
    """One cycle of the link graph (its nodes, the first repeated at the end), or None."""
    state: dict[int, int] = {}  # 1: on the path; 2: done
    for start in sorted(edges):
        if state.get(start):
            continue
        path, stack = [], [(start, iter(edges.get(start, ())))]
        state[start] = 1
        path.append(start)
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                stack.pop()
                path.pop()
                state[node] = 2
            elif state.get(child) == 1:
                return path[path.index(child) :] + [child]
            elif not state.get(child):
                state[child] = 1
                path.append(child)
                stack.append((child, iter(edges.get(child, ()))))
    return None


def prepare(
    plan: Plan, field_errors: dict | None = None
) -> tuple[list[_Fila], list[tuple[int, int, int]], list[str]]:
    """The plan checked: its rows (a phase first: the implicit one when the plan starts with an
    activity), its links as (predecessor row, successor row, lag), the warnings that need no
    database. Every error at once (ValidationFailed, keys `actividades.<i>.<campo>`, `ligas.<j>`,
    `peso_<moneda>`, indexes into the plan's lists). `field_errors`: what the form already refused;
    its message wins for its key."""
    errors: dict[str, str] = {}
    warnings: list[str] = []
    if not plan.actividades:
        raise ValidationFailed.from_errors({"actividades": "El programa no tiene actividades."})
    rows = [_row(a, i, errors, warnings) for i, a in enumerate(plan.actividades)]
    patios = [r for r in rows if r.es_patio]
    for extra in patios[1:]:
        errors[_key(extra.src, "es_patio")] = _msg(
            plan.actividades[extra.src], "Solo puede haber una fase de patio."
        )
    if not any(r.nivel == 2 for r in rows):
        errors.setdefault("actividades", "El programa necesita al menos una actividad (nivel 2).")
    if rows[0].nivel == 2:
        # An activity before any phase: it goes into a phase of its own rather than being refused,
        # so a flat task list (MS Project without summary tasks, a typed list) still saves.
        rows.insert(0, _implicit_phase())
        warnings.append(
            f"Se agregó la fase «{IMPLICIT_PHASE}» para las actividades antes de la primera fase."
        )
    _phase_rollup(rows, warnings)
    activities = [r for r in rows if r.nivel == 2]
    for moneda in MONEDAS:
        # None where nothing was typed (a row typed in one currency keeps the default in the other).
        edited = [getattr(r, f"peso_{moneda}") for r in activities]
        try:
            final = weights.assign([getattr(r, f"monto_{moneda}") for r in activities], edited, moneda)
        except weights.PesoInvalido as err:
            errors.setdefault(f"peso_{moneda}", err.mensaje)
            final = [Decimal("0")] * len(activities)
        for r, w in zip(activities, final, strict=True):
            setattr(r, f"peso_{moneda}", w)
    links = _links(plan, rows, errors, warnings)
    if field_errors:
        errors = {**field_errors, **{k: v for k, v in errors.items() if k not in field_errors}}
    if errors:
        raise ValidationFailed.from_errors(errors)
    return rows, links, warnings


def _implicit_phase() -> _Fila:
    return _Fila(
        src=None,
        nivel=1,
        nombre=IMPLICIT_PHASE,
        wbs="",
        es_patio=False,
        inicio=None,
        fin=None,
        monto_mxn=Decimal("0"),
        monto_usd=Decimal("0"),
        peso_mxn=None,
        peso_usd=None,
        peso_editado_mxn=False,
        peso_editado_usd=False,
        perfil=PerfilAvance.LINEAL.value,
        avance=Decimal("0"),
        claves_anexo=None,
        distribucion=None,
    )


def _phase_rollup(rows: list[_Fila], warnings: list[str]) -> None:
    """A phase's dates span its activities' (its amounts are summed where they are shown)."""
    phase = None
    children: list[_Fila] = []

    def close():
        if phase is None:
            return
        starts = [c.inicio for c in children if c.inicio]
        ends = [c.fin for c in children if c.fin]
        if starts:
            phase.inicio = min(starts)
        if ends:
            phase.fin = max(ends)
        if not children:
            warnings.append(f"La fase «{phase.nombre}» no tiene actividades.")

    for r in rows:
        if r.nivel == 1:
            close()
            phase, children = r, []
        else:
            children.append(r)
    close()


def _links(plan: Plan, rows: list[_Fila], errors: dict, warnings: list) -> list[tuple[int, int, int]]:
    by_src = {r.src: k for k, r in enumerate(rows) if r.src is not None}
    out, seen = [], set()
    for j, liga in enumerate(plan.ligas):
        key = f"ligas.{j}"
        p, s = by_src.get(liga.predecesora), by_src.get(liga.sucesora)
        if p is None or s is None:
            errors[key] = f"Liga {j + 1}: apunta a una fila que no está en el programa."
            continue
        if rows[p].nivel != 2 or rows[s].nivel != 2:
            errors[key] = (
                f"Liga {j + 1}: solo se ligan actividades, no fases («{rows[p].nombre}» → «{rows[s].nombre}»)."
            )
            continue
        if p == s:
            errors[key] = f"Liga {j + 1}: «{rows[p].nombre}» no puede ligarse consigo misma."
            continue
        try:
            lag = int(liga.retraso_dias or 0)
        except (TypeError, ValueError):
            lag = None
        if lag is None or abs(lag) > MAX_RETRASO:
            errors[key] = f"Liga {j + 1}: el retraso va de -{MAX_RETRASO} a {MAX_RETRASO} días."
            continue
        if (p, s) in seen:
            errors[key] = f"Liga {j + 1}: «{rows[p].nombre}» → «{rows[s].nombre}» está repetida."
            continue
        seen.add((p, s))
        out.append((p, s, lag))
        pred, succ = rows[p], rows[s]
        if pred.fin and succ.inicio and succ.inicio < pred.fin + timedelta(days=lag):
            warnings.append(
                f"«{succ.nombre}» empieza el {_d(succ.inicio)}, antes de que termine «{pred.nombre}» "
                f"({_d(pred.fin)}) más {lag} día(s) de retraso."
            )
    edges: dict[int, list[int]] = {}
    for p, s, _ in out:
        edges.setdefault(p, []).append(s)
    cycle = _cycle(edges)
    if cycle:
        errors["ligas"] = (
            "Las ligas forman un ciclo: " + " → ".join(f"«{rows[k].nombre}»" for k in cycle) + "."
        )
    return out


def _window_warnings(ot: OTE, rows: list[_Fila]) -> list[str]:
    start, end = ot.fecha_inicio_programado, ot.fecha_termino_programado
    if not start and not end:
        return []
    out = []
    for r in rows:
        if r.nivel != 2:
            continue
        if (start and r.inicio and r.inicio < start) or (end and r.fin and r.fin > end):
            out.append(
                f"«{r.nombre}» ({_d(r.inicio)} a {_d(r.fin)}) sale del periodo programado de la OT "
                f"({_d(start)} a {_d(end)})."
            )
    if len(out) > MAX_WARNINGS:
        out = out[:MAX_WARNINGS] + [f"… y {len(out) - MAX_WARNINGS} actividad(es) más fuera del periodo."]
    return out


def _d(value: date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else "—"


# --------------------------------------------------------------------------- save


def _locked_version(id_ot: int) -> OTE:
    """The OT version whose program is written, its chain locked (a reprogramming racing this save
    takes turns with it), checked writable: a version that was reprogrammed is frozen."""
    from ..orders.commands import ensure_editable, lock_chain
    from ..orders.read import current_version

    ot = db.session.get(OTE, id_ot)
    if ot is None:
        raise NotFound(f"No existe la OT con ID {id_ot}.")
    lock_chain(ot)
    db.session.refresh(ot)
    if ot.estatus != Registro.ELIMINADA:
        current = current_version(ot)
        if current is not None and current.id != ot.id:
            raise ServiceError(FROZEN, status=409)
    ensure_editable(ot)
    return ot


def current_n(id_ot: int) -> int:
    """The number of the OT's latest program revision (0: none yet)."""
    return db.session.scalar(select(func.max(ProgramaRevision.n)).where(ProgramaRevision.id_ot == id_ot)) or 0


def save_program(
    id_ot: int,
    plan: Plan,
    actor: Usuario | None,
    *,
    expected_n: int | None = None,
    archivo=None,
    formato: str = "",
    id_anexo_revision: int | None = None,
    comentario: str = "",
    field_errors: dict | None = None,
) -> Guardado:
    """Store `plan` as revision n + 1 of OT version `id_ot`'s program: default weights filled,
    every row checked (all errors at once), dates outside the version's window as warnings, one
    transaction with an audit row. `expected_n`: the revision the caller started from (a later one
    is a 409). `archivo`: the StoredFile an importer read the plan from. `field_errors`: what the
    form refused (forms.read_rows), reported with the rules' errors in one round."""
    with write_transaction():
        ot = _locked_version(id_ot)
        n = current_n(id_ot)
        if expected_n is not None and expected_n != n:
            raise Conflict(
                f"Otra persona guardó el programa mientras usted lo editaba: va en la revisión {n} y usted "
                f"partió de la {expected_n}. Recargue la página para ver la revisión vigente."
            )
        rows, links, warnings = prepare(plan, field_errors)
        warnings = warnings + _window_warnings(ot, rows)
        revision = _store(
            ot, n + 1, rows, links, plan, actor, archivo, formato, id_anexo_revision, comentario
        )
        curve_store.refresh([id_ot])  # the aggregates' stored planned curve
        audit.log(
            actor,
            "guardar_programa",
            "ot",
            id_ot,
            {
                "programa": [None, f"revisión {n + 1} ({plan.origen})"],
                "actividades": [None, sum(1 for r in rows if r.nivel == 2)],
                "total_mxn": [None, audit.plain(revision.total_mxn)],
                "total_usd": [None, audit.plain(revision.total_usd)],
            },
        )
    return Guardado(revision, warnings)


def _store(
    ot, n, rows, links, plan, actor, archivo, formato, id_anexo_revision, comentario
) -> ProgramaRevision:
    session = db.session
    activities = [r for r in rows if r.nivel == 2]
    revision = ProgramaRevision(
        id_ot=ot.id,
        n=n,
        id_usuario=getattr(actor, "id", None),
        usuario=getattr(actor, "username", "") or "sistema",
        origen=OrigenPrograma(plan.origen).value,
        formato=formato or "",
        comentario=(comentario or "").strip(),
        id_anexo_revision=id_anexo_revision,
        total_mxn=sum((r.monto_mxn for r in activities), Decimal("0")),
        total_usd=sum((r.monto_usd for r in activities), Decimal("0")),
        extra=dict(plan.extra or {}),
        **(ProgramaRevision.archivo_de(archivo, tipo=formato or None) if archivo is not None else {}),
    )
    objs = [
        ProgramaActividad(
            orden=k,
            nivel=r.nivel,
            wbs=r.wbs,
            nombre=r.nombre,
            es_patio=r.es_patio,
            inicio=r.inicio,
            fin=r.fin,
            monto_mxn=r.monto_mxn,
            monto_usd=r.monto_usd,
            peso_mxn=r.peso_mxn or Decimal("0"),
            peso_usd=r.peso_usd or Decimal("0"),
            peso_editado_mxn=r.peso_editado_mxn,
            peso_editado_usd=r.peso_editado_usd,
            perfil=r.perfil,
            avance=r.avance,
            claves_anexo=r.claves_anexo,
            distribucion=r.distribucion,
        )
        for k, r in enumerate(rows)
    ]
    revision.actividades = objs
    session.add(revision)
    session.flush()
    revision.ligas = [
        ProgramaLiga(
            id_revision=revision.id, id_predecesora=objs[p].id, id_sucesora=objs[s].id, retraso_dias=lag
        )
        for p, s, lag in links
    ]
    session.flush()
    return revision


# --------------------------------------------------------------------------- the copy at reprogramming


def _shift_distribution(distribucion: dict | None, days: int, months: int) -> dict | None:
    """A distribution moved with its activity: daily keys by the start delta in days; monthly ones
    (every key the 1st of a month: the workbook's months) by whole months, so they stay months."""
    if not distribucion or (days == 0 and months == 0):
        return distribucion
    out = {}
    for moneda, per_day in distribucion.items():
        keys = [date.fromisoformat(k) for k in per_day]
        if keys and all(k.day == 1 for k in keys):
            moved = [_add_months(k, months) for k in keys]
        else:
            moved = [k + timedelta(days=days) for k in keys]
        out[moneda] = {m.isoformat(): v for m, v in zip(moved, per_day.values(), strict=True)}
    return out


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def copy_program(previous: OTE, new: OTE, actor) -> ProgramaRevision | None:
    """Inside the reprogramming's transaction: the new version's program starts as revision 1, a
    copy (origen `copia`) of `previous`'s current program, its dates moved by the change of the
    programmed start so the copy fits the new window (durations, lags, weights and amounts kept,
    links re-pointed). None when `previous` had no program. The previous program is not touched:
    it is now frozen, the baseline."""
    source = db.session.scalar(
        select(ProgramaRevision)
        .where(ProgramaRevision.id_ot == previous.id)
        .order_by(ProgramaRevision.n.desc())
        .limit(1)
    )
    if source is None:
        return None
    old_start, new_start = previous.fecha_inicio_programado, new.fecha_inicio_programado
    days = (new_start - old_start).days if old_start and new_start else 0
    months = (new_start.year - old_start.year) * 12 + new_start.month - old_start.month if days else 0
    delta = timedelta(days=days)
    revision = ProgramaRevision(
        id_ot=new.id,
        n=1,
        id_usuario=getattr(actor, "id", None),
        usuario=getattr(actor, "username", "") or "sistema",
        origen=OrigenPrograma.COPIA.value,
        comentario=f"Copia del programa de la versión anterior (ID {previous.id}, revisión {source.n}).",
        total_mxn=source.total_mxn,
        total_usd=source.total_usd,
        extra={"copia_de": {"id_ot": previous.id, "n": source.n, "dias": days}},
    )
    by_id = {}
    objs = []
    for a in source.actividades:
        obj = ProgramaActividad(
            orden=a.orden,
            nivel=a.nivel,
            wbs=a.wbs,
            nombre=a.nombre,
            es_patio=a.es_patio,
            inicio=a.inicio + delta if a.inicio else None,
            fin=a.fin + delta if a.fin else None,
            monto_mxn=a.monto_mxn,
            monto_usd=a.monto_usd,
            peso_mxn=a.peso_mxn,
            peso_usd=a.peso_usd,
            peso_editado_mxn=a.peso_editado_mxn,
            peso_editado_usd=a.peso_editado_usd,
            perfil=a.perfil,
            avance=a.avance,
            claves_anexo=list(a.claves_anexo) if a.claves_anexo else a.claves_anexo,
            distribucion=_shift_distribution(a.distribucion, days, months),
        )
        by_id[a.id] = obj
        objs.append(obj)
    revision.actividades = objs
    db.session.add(revision)
    db.session.flush()
    revision.ligas = [
        ProgramaLiga(
            id_revision=revision.id,
            id_predecesora=by_id[liga.id_predecesora].id,
            id_sucesora=by_id[liga.id_sucesora].id,
            retraso_dias=liga.retraso_dias,
        )
        for liga in source.ligas
    ]
    db.session.flush()
    curve_store.refresh([new.id])
    audit.log(
        actor,
        "copiar_programa",
        "ot",
        new.id,
        {"programa": [None, f"revisión 1 (copia de ID {previous.id} revisión {source.n}, {days:+d} días)"]},
    )
    return revision
