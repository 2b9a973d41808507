"""Weekly cut-offs (issue 19): recording one (the only write: `record_cut`) and what the OT's
Avance section reads of them. A cut-off is a snapshot: its planned and actual % per currency, SPI
and days of slip are computed once, as it is written, against the program current then, and never
recomputed, so a past curve never changes when the plan changes later.

Decisions: a cut-off falls on the configured weekday (`CORTE_DIA_SEMANA`), never in the future,
and after the OT's last one (a date already cut, or an earlier one, is refused: a correction goes
into the next cut-off). A cumulative % is 0..100 and may go below the previous cut-off's only with
a comment. An OT without a program takes its % from its steps (weighted by the step catalog)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import select

from .. import audit
from ..extensions import db
from ..formatting import fecha, office_today
from ..models import OTE, Corte, CorteAvance, OrigenCorte, ProgramaActividad, ProgramaRevision
from ..orders import read as orders_read
from ..orders.commands import ensure_editable, lock_chain
from ..service_errors import NotFound, ServiceError, ValidationFailed
from ..transactions import write_transaction
from . import spread
from .curves import cutoff_weekday, inputs
from .spread import HUNDRED, MONEDAS, ZERO

SPI_PLACES = Decimal("0.001")


def last_revision(id_ot: int) -> ProgramaRevision | None:
    return db.session.scalar(
        select(ProgramaRevision)
        .where(ProgramaRevision.id_ot == id_ot)
        .order_by(ProgramaRevision.n.desc())
        .limit(1)
    )


def activities_of(revision_id: int) -> list[ProgramaActividad]:
    return list(
        db.session.scalars(
            select(ProgramaActividad)
            .where(ProgramaActividad.id_revision == revision_id)
            .order_by(ProgramaActividad.orden)
        )
    )


def cuts_of(id_ot: int) -> list[Corte]:
    """The OT version's cut-offs, newest first."""
    return list(
        db.session.scalars(select(Corte).where(Corte.id_ot == id_ot).order_by(Corte.fecha_corte.desc()))
    )


def previous_values(corte: Corte | None) -> dict[int, Decimal]:
    if corte is None:
        return {}
    return dict(
        db.session.execute(
            select(CorteAvance.id_actividad, CorteAvance.avance).where(CorteAvance.id_corte == corte.id)
        ).all()
    )


def suggested_date(today: date | None = None) -> date:
    """The latest cut-off weekday on or before today: what the grid proposes."""
    today = today or office_today()
    return today - timedelta(days=(today.weekday() - cutoff_weekday()) % 7)


def _planned_at(tramos, day: date) -> Decimal | None:
    values = spread.cumulative(tramos, [day])
    return values[0] if values is not None else None


def slip_days(tramos, real: Decimal, fecha_corte: date) -> int:
    """Days of slip: from the day the plan reached the actual % (earned schedule) to the cut-off;
    0 when the work is on or ahead of plan. The planned curve is non-decreasing, so the day is found
    by bisection over the plan's days."""
    planned = _planned_at(tramos, fecha_corte)
    if planned is None or real >= planned:
        return 0
    lo = min(t.primero for t in tramos) - timedelta(days=1)  # nothing planned yet
    hi = fecha_corte  # planned ≥ real here
    while (hi - lo).days > 1:
        mid = lo + timedelta(days=(hi - lo).days // 2)
        if _planned_at(tramos, mid) >= real:
            hi = mid
        else:
            lo = mid
    return (fecha_corte - hi).days


@dataclass
class Registrado:
    corte: Corte
    detalles: str


def _parse_pct(raw, where: str, errors: dict) -> Decimal | None:
    try:
        value = Decimal(str(raw).strip().replace(",", ".").rstrip("%") or "0")
    except ArithmeticError:
        errors[where] = "Escribe un porcentaje entre 0 y 100."
        return None
    if not value.is_finite() or value < 0 or value > 100:
        errors[where] = "El avance debe estar entre 0 y 100 %."
        return None
    if value != value.quantize(Decimal("0.01")):
        errors[where] = "El avance lleva a lo más dos decimales."
        return None
    return value


def record_cut(
    id_ot: int, fecha_corte: date, avances: dict[int, object] | None, actor, comentario: str = ""
) -> Registrado:
    """Record the cut-off of `fecha_corte` for an OT version: with `avances` {id_actividad: %} when
    it has a program (an activity left out keeps its previous value), from its steps otherwise.
    One transaction and an audit row; ServiceError with the Spanish message per field."""
    comentario = (comentario or "").strip()[:2000]
    with write_transaction():
        ot = db.session.get(OTE, id_ot)
        if ot is None:
            raise NotFound(f"No existe la OT con ID {id_ot}.")
        lock_chain(ot)
        ensure_editable(ot)
        weekday = cutoff_weekday()
        if fecha_corte.weekday() != weekday:
            nearest = fecha_corte - timedelta(days=(fecha_corte.weekday() - weekday) % 7)
            raise ValidationFailed.from_errors(
                {
                    "fecha_corte": f"El corte es semanal, en {spread.DIAS[weekday]}: "
                    f"el anterior a esa fecha es el {fecha(nearest)}."
                }
            )
        if fecha_corte > office_today():
            raise ValidationFailed.from_errors({"fecha_corte": "La fecha de corte no puede ser futura."})
        last = db.session.scalar(
            select(Corte).where(Corte.id_ot == id_ot).order_by(Corte.fecha_corte.desc()).limit(1)
        )
        if last is not None and fecha_corte <= last.fecha_corte:
            raise ServiceError(
                f"Ya hay un corte al {fecha(last.fecha_corte)}: un corte no se reescribe; registra el "
                "siguiente (una corrección va en él, con comentario si un avance baja).",
                {"fecha_corte": f"Debe ser posterior al {fecha(last.fecha_corte)}."},
                status=409,
            )
        revision = last_revision(id_ot)
        acts = [a for a in activities_of(revision.id) if a.nivel == 2] if revision else []
        corte = Corte(
            id_ot=id_ot,
            fecha_corte=fecha_corte,
            id_revision=revision.id if revision else None,
            id_usuario=getattr(actor, "id", None),
            usuario=getattr(actor, "username", "") or "sistema",
            comentario=comentario,
        )
        if acts:
            corte.origen = OrigenCorte.CAPTURA.value
            real = _typed(corte, acts, avances or {}, previous_values(last), comentario)
        else:
            corte.origen = OrigenCorte.PASOS.value
            _steps, avance = orders_read.steps_and_progress(id_ot)
            pct = Decimal(avance.done) * HUNDRED / Decimal(avance.total) if avance.total else ZERO
            real = dict.fromkeys(MONEDAS, pct.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))
        per = inputs(OTE.id == id_ot).get(id_ot, {})
        slip = []
        for moneda in MONEDAS:
            tramos = per[moneda].tramos if moneda in per else []
            planned = _planned_at(tramos, fecha_corte) if tramos else None
            planned_q = (planned or ZERO).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
            setattr(corte, f"planeado_{moneda}", planned_q)
            setattr(corte, f"real_{moneda}", real[moneda])
            spi = (real[moneda] / planned).quantize(SPI_PLACES, rounding=ROUND_HALF_UP) if planned else None
            setattr(corte, f"spi_{moneda}", spi)
            if tramos:
                slip.append(slip_days(tramos, real[moneda], fecha_corte))
        corte.dias_atraso = max(slip, default=0)
        db.session.add(corte)
        db.session.flush()
        audit.log(
            actor,
            "corte",
            "ot",
            id_ot,
            {
                "fecha de corte": [None, fecha_corte.isoformat()],
                "avance real MXN": [None, spread.pct(corte.real_mxn)],
                "avance real USD": [None, spread.pct(corte.real_usd)],
            },
        )
    return Registrado(corte, f"Corte al {fecha(fecha_corte)} registrado")


def _typed(corte: Corte, acts, avances: dict, previous: dict, comentario: str) -> dict[str, Decimal]:
    """The typed cumulative % per activity as CorteAvance rows, and the actual % per currency
    (Σ weight × % / Σ weight)."""
    errors: dict[str, str] = {}
    known = {a.id for a in acts}
    for key in avances:
        if key not in known:
            errors[f"avance_{key}"] = "Esa actividad no es del programa vigente de la OT."
    values: dict[int, Decimal] = {}
    for a in acts:
        where = f"avance_{a.id}"
        raw = avances.get(a.id)
        value = (
            previous.get(a.id, ZERO)
            if raw is None or str(raw).strip() == ""
            else _parse_pct(raw, where, errors)
        )
        if value is None:
            continue
        before = previous.get(a.id)
        if before is not None and value < before and not comentario:
            errors[where] = (
                f"Baja de {spread.pct(before)} a {spread.pct(value)} %: explica por qué en el comentario."
            )
        values[a.id] = value
    if errors:
        raise ValidationFailed.from_errors(errors)
    for a in acts:
        corte.avances.append(CorteAvance(id_actividad=a.id, avance=values[a.id]))
    real = {}
    for moneda in MONEDAS:
        total = sum((getattr(a, f"peso_{moneda}") or ZERO for a in acts), ZERO)
        done = sum(((getattr(a, f"peso_{moneda}") or ZERO) * values[a.id] for a in acts), ZERO)
        real[moneda] = (done / total).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP) if total else ZERO
    return real


def cuts_with_values(id_ot: int) -> list[tuple[Corte, list[CorteAvance]]]:
    """The OT version's cut-offs, newest first, each with its per-activity values (two statements)."""
    cuts = cuts_of(id_ot)
    values: dict[int, list[CorteAvance]] = {c.id: [] for c in cuts}
    if cuts:
        for a in db.session.scalars(
            select(CorteAvance).where(CorteAvance.id_corte.in_(values)).order_by(CorteAvance.id)
        ):
            values[a.id_corte].append(a)
    return [(c, values[c.id]) for c in cuts]
