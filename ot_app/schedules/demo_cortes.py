"""`flask demo`'s cut-offs (issue 19): every current OT version with a program and no cut-off yet
gets its weekly cut-offs up to today (at most the last 12), through `record_cut` like the grid:
each activity a little behind its plan (92 % of its planned fraction), so the curves show a slip.
The lead calls `demo_cuts()` from demo_data after the demo programs (schedules/demo.py)."""

from __future__ import annotations

from datetime import timedelta
from decimal import ROUND_DOWN, Decimal

from sqlalchemy import select

from ..extensions import db
from ..formatting import office_today
from ..models import OTE, Corte, ProgramaRevision, Registro
from . import spread
from .cortes import activities_of, last_revision, record_cut, suggested_date
from .curves import activity_tramos

BEHIND = Decimal("0.92")
MAX_CUTS = 12


def demo_cuts() -> int:
    """Record the demo cut-offs; returns how many were recorded (0 when there is nothing to cut)."""
    with_program = select(ProgramaRevision.id_ot)
    with_cut = select(Corte.id_ot)
    ots = db.session.scalars(
        select(OTE)
        .where(
            OTE.vigente.is_(True),
            OTE.estatus == Registro.ACTIVA,
            OTE.id.in_(with_program),
            OTE.id.not_in(with_cut),
        )
        .order_by(OTE.id)
    ).all()
    made = 0
    today = office_today()
    for ot in ots:
        revision = last_revision(ot.id)
        acts = [a for a in activities_of(revision.id) if a.nivel == 2]
        starts = [a.inicio for a in acts if a.inicio] or [ot.fecha_inicio_programado]
        if not starts or starts[0] is None:
            continue
        first = spread.period_end(min(starts), spread.SEMANA, suggested_date(today).weekday())
        last = suggested_date(today)
        days = []
        day = first
        while day <= last:
            days.append(day)
            day += timedelta(days=7)
        previous: dict[int, Decimal] = {}
        for day in days[-MAX_CUTS:]:
            avances = {}
            for a in acts:
                tramos = activity_tramos(
                    [a], "mxn", ot.fecha_inicio_programado, ot.fecha_termino_programado
                ) or (activity_tramos([a], "usd", ot.fecha_inicio_programado, ot.fecha_termino_programado))
                planned = tramos[0].fraction(day) if tramos else Decimal(0)
                value = (planned * BEHIND * 100).quantize(Decimal("0.01"), rounding=ROUND_DOWN)
                avances[a.id] = max(value, previous.get(a.id, Decimal(0)))
            record_cut(ot.id, day, avances, None, comentario="Corte de demostración")
            previous = avances
            made += 1
    return made
