"""The dashboard (issue 17): by status and by client (counts, MXN and USD per currency), overdue
OTs with days late, OTs starting within 14 days, steps to do per project manager, PTE usage; every
number links to the OT list filtered to exactly those OTs, and the list agrees."""

import re
from datetime import timedelta
from decimal import Decimal
from html import unescape

import pytest

from ot_app.extensions import db
from ot_app.formatting import office_today
from ot_app.models import OTE, EstatusOTId, EstatusPasoId, OTDetalle, Registro

from .. import factories

LINK = re.compile(r'<a class="num-link" href="([^"]+)">([\d,]+)</a>')


@pytest.fixture
def office(app):
    """OTs of two clients in every situation the dashboard tells apart."""
    today = office_today()
    with app.app_context():
        pte1 = factories.make_pte("PTE-T-1", id_cliente=1, monto_mxn=Decimal("1000000.00"))
        pte2 = factories.make_pte(
            "PTE-T-2", id_cliente=2, monto_mxn=Decimal("0"), monto_usd=Decimal("1000.00")
        )
        ana = factories.make_responsable("Ing. Ana Ruiz")
        beto = factories.make_responsable("Ing. Beto Paz")
        patio = factories.make_patio()

        def ot(pte, resp, **kw):
            return factories.make_ot(pte=pte, responsable=resp, patio=patio, **kw)

        late = ot(
            pte1,
            ana,
            fecha_inicio_programado=today - timedelta(days=30),
            fecha_termino_programado=today - timedelta(days=5),
            monto_mxn="600,000.10",
        )
        ot(
            pte1,
            ana,
            fecha_inicio_programado=today - timedelta(days=30),
            fecha_termino_programado=today - timedelta(days=9),
            id_estatus_ot=EstatusOTId.TERMINADA,
        )
        ot(
            pte1,
            beto,
            fecha_inicio_programado=today + timedelta(days=3),
            fecha_termino_programado=today + timedelta(days=40),
            monto_mxn="500,000.00",
        )
        ot(
            pte2,
            beto,
            fecha_inicio_programado=today + timedelta(days=20),
            fecha_termino_programado=today + timedelta(days=60),
            monto_mxn="0",
            monto_usd="1,250.50",
        )
        gone = ot(pte2, beto, monto_mxn="999.00")
        # A reprogrammed chain: only its current version counts (the list's default view).
        first = ot(
            pte1,
            ana,
            orden_trabajo="OT-T-CADENA",
            fecha_inicio_programado=today - timedelta(days=60),
            fecha_termino_programado=today - timedelta(days=1),
            monto_mxn="100.00",
        )
        ot(
            pte1,
            ana,
            orden_trabajo="OT-T-CADENA",
            id_tipo=5,
            ot_principal=first.id,
            fecha_inicio_programado=today + timedelta(days=14),
            fecha_termino_programado=today + timedelta(days=30),
            monto_mxn="200.00",
        )
        db.session.get(OTE, gone.id).estatus = Registro.ELIMINADA
        # One step done on the late OT: it still has steps to do.
        step = db.session.scalars(db.select(OTDetalle).where(OTDetalle.id_ot == late.id)).first()
        step.estatus_paso = EstatusPasoId.COMPLETADO
        db.session.commit()
    return today


def _rows_of_list(client, url) -> int:
    html = client.get(url).get_data(as_text=True)
    return len(re.findall(r'<tr id="ot-\d+"', html))


def test_every_number_links_to_a_list_with_that_many_rows(editor_client, office):
    r = editor_client.get("/tablero")
    assert r.status_code == 200
    links = LINK.findall(r.get_data(as_text=True))
    assert len(links) >= 10
    for href, shown in links:
        assert _rows_of_list(editor_client, unescape(href)) == int(shown.replace(",", "")), href


def test_the_figures(app, editor_client, office):
    with app.app_context():
        from ot_app.dashboard.read import dashboard

        t = dashboard()
    assert t.total.ots == 5  # the deleted OT and the replaced version are not counted
    # 600,000.10 + 1,234,567.50 (the factory's amount, the Terminada one) + 500,000.00 + 0 + 200.00
    assert t.total.mxn == Decimal("2334767.60") and t.total.usd == Decimal("1250.50")
    status = {g.id: g.ots for g in t.por_estatus}
    assert status == {EstatusOTId.PROGRAMADA: 4, EstatusOTId.TERMINADA: 1}
    client = {g.id: (g.ots, g.mxn, g.usd) for g in t.por_cliente}
    assert client[2] == (1, Decimal("0.00"), Decimal("1250.50"))
    assert t.vencidas == 1 and t.vencidas_filas[0]["dias_tarde"] == 5
    assert t.inician == 2  # today + 3 and today + 14 (the chain's current version); not today + 20
    pasos = {p["nombre"]: (p["pasos"], p["ots"]) for p in t.pasos}
    assert pasos["Ing. Ana Ruiz"][1] == 3 and pasos["Ing. Beto Paz"][1] == 2
    assert pasos["Ing. Ana Ruiz"][0] == pasos["Ing. Beto Paz"][0] / 2 * 3 - 1
    pte1 = next(p for p in t.ptes if p["oficio_pte"] == "PTE-T-1")
    assert pte1["ots"] == 4 and pte1["mxn"]["usado"] == Decimal("2334767.60")
    assert pte1["mxn"]["pct"] == Decimal("233.48")
    pte2 = next(p for p in t.ptes if p["oficio_pte"] == "PTE-T-2")
    assert pte2["mxn"]["pct"] is None and pte2["usd"]["pct"] == Decimal("125.05")
    assert [p["oficio_pte"] for p in t.ptes] == ["PTE-T-1", "PTE-T-2"]  # the most used first, any currency


def test_the_list_filters_it_links_to_refuse_bad_values(lector_client):
    for args in ("vencidas=2", "inicia_en=-1", "inicia_en=9999", "pasos_pendientes=x", "id_responsable=abc"):
        r = lector_client.get(f"/?{args}")
        assert r.status_code == 400, args


def test_a_lector_sees_it_and_the_header_links_it(lector_client):
    html = lector_client.get("/").get_data(as_text=True)
    assert 'href="/tablero" data-jump="t"' in html
    assert lector_client.get("/tablero").status_code == 200
