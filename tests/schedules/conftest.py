"""Fixtures for the scheduling tests: an OT version with a programmed window, plans, and OTs booking a vessel."""

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


@pytest.fixture
def booked(app):
    """OTs 1 and 2 overlap on a vessel 25–31/01/2027; OT 3 is alone on a platform."""
    with app.app_context():
        pte, responsable = factories.make_pte(), factories.make_responsable()
        barco = factories.make_embarcacion("B/C Isla del Carmen")
        plataforma = factories.make_plataforma("Akal-C")
        db.session.commit()

        def ot(inicio, fin, **kw):
            return factories.make_ot(
                pte=pte,
                responsable=responsable,
                id_frente="2",
                fecha_inicio_programado=inicio,
                fecha_termino_programado=fin,
                **kw,
            )

        a = ot("2027-01-10", "2027-01-31", id_embarcacion=barco.id)
        b = ot("2027-01-25", "2027-02-15", id_embarcacion=barco.id)
        c = ot("2027-01-01", "2027-03-01", id_plataforma=plataforma.id)
        ids = {
            "a": a.id,
            "b": b.id,
            "c": c.id,
            "barco": barco.id,
            "folios": [a.orden_trabajo, b.orden_trabajo],
        }
    # Outside the app context: a request made inside one would share its `g` (the logged-in user).
    return ids


@pytest.fixture
def sites(app):
    """What an offshore OT books: a PTE, a project manager, two vessels and a yard."""
    with app.app_context():
        ns = {
            "pte": factories.make_pte(),
            "responsable": factories.make_responsable(),
            "barco": factories.make_embarcacion("B/C Isla del Carmen"),
            "barco2": factories.make_embarcacion("B/C Cantarell II"),
            "patio": factories.make_patio("Patio Dos Bocas"),
        }
        db.session.commit()
        yield ns
