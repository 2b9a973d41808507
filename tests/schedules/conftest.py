"""Fixtures for the scheduling tests."""

import pytest

from ot_app.extensions import db

from .. import factories


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
