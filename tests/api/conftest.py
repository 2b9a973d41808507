"""Fixtures for the /api tests: bearer clients per role (the `Api` helper) and a few OTs to read."""

import sys
from types import SimpleNamespace

import pytest

from ot_app.extensions import db
from ot_app.models import OTDetalle

from .. import factories
from ..orders.conftest import Api


@pytest.fixture
def api_as(app, api_token):
    """`api_as("lector")` → an `Api` client with a bearer token of that role."""

    def make(rol: str) -> Api:
        return Api(app.test_client(), api_token(rol, username=f"api_{rol}"))

    return make


@pytest.fixture
def datos(app):
    """An approved PTE, a responsable, a yard, an initial OT with one version, another initial OT."""
    with app.app_context():
        pte = factories.make_pte("PTE-API-2026", id_cliente=2)
        responsable = factories.make_responsable("Ing. Ana Ruiz")
        patio = factories.make_patio("Patio Dos Bocas")
        db.session.commit()
        inicial = factories.make_ot(pte=pte, responsable=responsable, patio=patio)
        version = factories.make_ot(
            pte=pte,
            responsable=responsable,
            patio=patio,
            id_tipo=5,
            ot_principal=inicial.id,
            orden_trabajo=inicial.orden_trabajo,
        )
        otra = factories.make_ot(pte=pte, responsable=responsable, patio=patio)
        paso = db.session.scalar(db.select(db.func.min(OTDetalle.id)).where(OTDetalle.id_ot == otra.id))
        ns = SimpleNamespace(
            pte=pte.id,
            responsable=responsable.id,
            patio=patio.id,
            inicial=inicial.id,
            version=version.id,
            otra=otra.id,
            paso=paso,
        )
        db.session.commit()
    return ns


def pytest_terminal_summary(terminalreporter):
    """Print how many schemathesis cases ran (for SECURITY.md), when the fuzz test ran."""
    test_fuzz = sys.modules.get(f"{__package__}.test_fuzz")
    line = test_fuzz.summary() if test_fuzz else None
    if line:
        terminalreporter.write_line(line)
