"""Fixtures for the scheduling tests: an OT version with a programmed window, and plans."""

from datetime import date
from decimal import Decimal

import pytest

from ot_app.extensions import db
from ot_app.models import OrigenPrograma
from ot_app.schedules.plan import ActividadPlan, LigaPlan, Plan

from .. import factories

D = Decimal


def plan(*rows, ligas=(), origen=OrigenPrograma.CAPTURA) -> Plan:
    return Plan(origen=origen, actividades=list(rows), ligas=[LigaPlan(*liga) for liga in ligas])


def fase(nombre="Ingeniería", **kw) -> ActividadPlan:
    return ActividadPlan(nombre=nombre, nivel=1, **kw)


def act(nombre, inicio=date(2026, 2, 2), fin=date(2026, 2, 20), mxn="0", usd="0", **kw) -> ActividadPlan:
    return ActividadPlan(nombre=nombre, inicio=inicio, fin=fin, monto_mxn=D(mxn), monto_usd=D(usd), **kw)


def sample_plan() -> Plan:
    """Two phases (one the yard's), four activities in both currencies, two links."""
    return plan(
        fase("Ingeniería", wbs="1"),
        act("Levantamiento", date(2026, 2, 2), date(2026, 2, 10), mxn="100000.00", wbs="1.1"),
        act(
            "Ingeniería de detalle",
            date(2026, 2, 11),
            date(2026, 2, 25),
            mxn="200000.00",
            usd="1000.00",
            wbs="1.2",
        ),
        fase("Fase de patio", wbs="2", es_patio=True),
        act("Prefabricado", date(2026, 2, 15), date(2026, 3, 5), mxn="300000.00", usd="3000.00", wbs="2.1"),
        act("Carga y amarre", date(2026, 3, 6), date(2026, 3, 15), mxn="400000.00", wbs="2.2"),
        ligas=[(1, 2, 0), (4, 5, 0)],
    )


@pytest.fixture
def ot(app):
    """An initial OT on land, programmed 2026-02-01 to 2026-03-17 (its id)."""
    with app.app_context():
        made = factories.make_ot()
        db.session.commit()
        return made.id
