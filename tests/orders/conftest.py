"""Fixtures for the work-order tests: an API client with a bearer token and base rows."""

from types import SimpleNamespace

import pytest

from ot_app.extensions import db
from ot_app.models import OTE, ActividadLog, OTDetalle

from .. import factories
from ..conftest import Api  # noqa: F401  (imported from here by older tests)


@pytest.fixture
def base(app):
    """An approved PTE of client 2, a project manager, a yard, a vessel and a platform."""
    with app.app_context():
        ns = SimpleNamespace(
            pte=factories.make_pte("PTE-001-2026", id_cliente=2),
            responsable=factories.make_responsable("Ing. Carlos Pérez"),
            patio=factories.make_patio("Patio Dos Bocas"),
            patio2=factories.make_patio("Patio Ciudad del Carmen"),
            embarcacion=factories.make_embarcacion("B/C Isla del Carmen"),
            plataforma=factories.make_plataforma("Akal-C"),
            intercom=factories.make_intercom("Intercom Akal-C / Akal-J"),
        )
        db.session.commit()
        ns.ids = SimpleNamespace(**{k: v.id for k, v in vars(ns).items()})
        ns.payload = lambda **kw: factories.ot_payload(ns.pte, ns.responsable, patio=ns.patio, **kw)
    return ns


def counts():
    """(OTs, steps, log rows): what a failed request must leave unchanged."""
    return (
        db.session.scalar(db.select(db.func.count()).select_from(OTE)),
        db.session.scalar(db.select(db.func.count()).select_from(OTDetalle)),
        db.session.scalar(db.select(db.func.count()).select_from(ActividadLog)),
    )
