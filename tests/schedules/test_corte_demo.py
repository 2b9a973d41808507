"""The demo's cut-offs (schedules/demo_cortes.py): made through record_cut, behind plan, and only
once."""

from datetime import date, timedelta

from sqlalchemy import select

from ot_app.extensions import db
from ot_app.formatting import office_today
from ot_app.models import Corte
from ot_app.schedules.demo_cortes import MAX_CUTS, demo_cuts

from .. import factories
from .curve_builders import make_program


def test_demo_cuts_follow_the_plan_a_little_behind_and_run_once(ctx):
    today = office_today()
    start = today - timedelta(days=70)
    ot = factories.make_ot(
        fecha_inicio_programado=start.isoformat(),
        fecha_termino_programado=(today + timedelta(days=30)).isoformat(),
    )
    make_program(
        ot.id,
        [
            {"nombre": "Ingeniería", "inicio": start, "fin": start + timedelta(days=40), "mxn": "100"},
            {
                "nombre": "Obra",
                "inicio": start + timedelta(days=30),
                "fin": today + timedelta(days=30),
                "mxn": "300",
            },
        ],
    )
    made = demo_cuts()
    cuts = db.session.scalars(select(Corte).where(Corte.id_ot == ot.id).order_by(Corte.fecha_corte)).all()
    assert made == len(cuts) and 9 <= made <= MAX_CUTS
    assert all(c.fecha_corte <= today and c.fecha_corte.weekday() == 4 for c in cuts)
    reals = [c.real_mxn for c in cuts]
    assert reals == sorted(reals) and all(c.real_mxn <= c.planeado_mxn for c in cuts)
    assert cuts[-1].dias_atraso > 0
    assert demo_cuts() == 0  # an OT with cut-offs is left alone
    assert date.today()
