"""The OT page's Avance section and the portfolio page (/curva-s): htmx fragments, the SVG with
its table twin, the cut-off grid's messages, the export."""

import io
import re
from datetime import date

from openpyxl import load_workbook

from ot_app.extensions import db

from .. import factories
from .curve_builders import two_activities

HX = {"HX-Request": "true"}


def _ot(app, program=True):
    with app.app_context():
        ot = factories.make_ot()
        rev = two_activities(ot.id) if program else None
        db.session.commit()
        return ot.id, ([a.id for a in rev.actividades] if rev else [])


def test_the_ot_page_includes_the_avance_section(app, admin_client):
    ot, _ = _ot(app)
    page = admin_client.get(f"/ot/{ot}").get_data(as_text=True)
    assert f'hx-get="/ot/{ot}/avance"' in page


def test_the_section_draws_the_curve_and_its_table(app, admin_client):
    ot, ids = _ot(app)
    html = admin_client.get(f"/ot/{ot}/avance", headers=HX).get_data(as_text=True)
    assert "<html" not in html
    assert "<svg" in html and "<title" in html and "<desc" in html
    assert 'class="serie serie-planeado"' in html
    assert '<th scope="row">2026-03-06</th><td class="num">100.00</td>' in html
    assert f'name="avance_{ids[1]}"' in html and f'name="avance_{ids[0]}"' not in html  # a phase takes no %
    assert "Sin cortes todavía." in html


def test_switches_answer_the_curve_alone(app, admin_client):
    ot, _ = _ot(app)
    html = admin_client.get(f"/ot/{ot}/avance/curva?moneda=usd&periodo=mes", headers=HX).get_data(
        as_text=True
    )
    assert html.lstrip().startswith("{#") is False and '<div class="curva"' in html
    assert '<th scope="row">2026-03</th>' in html and "USD" in html


def test_a_cut_off_from_the_grid_shows_the_figures(app, admin_client):
    ot, ids = _ot(app)
    answer = admin_client.auth.post(
        f"/ot/{ot}/corte",
        data={"fecha_corte": "2026-02-13", f"avance_{ids[1]}": "80", f"avance_{ids[2]}": ""},
        headers=HX,
    )
    html = answer.get_data(as_text=True)
    assert answer.status_code == 200 and "Corte al 13/02/2026 registrado" in answer.headers["HX-Trigger"]
    assert re.search(r'data-moneda="mxn">.*?20\.00 %', html, re.S)
    assert 'id="dias-atraso"' in html


def test_grid_errors_are_shown_beside_the_field(app, admin_client):
    ot, ids = _ot(app)
    answer = admin_client.auth.post(
        f"/ot/{ot}/corte", data={"fecha_corte": "2026-02-12", f"avance_{ids[1]}": "130"}, headers=HX
    )
    html = answer.get_data(as_text=True)
    assert answer.status_code == 422
    assert 'id="fecha_corte-error">El corte es semanal, en viernes' in html
    assert 'value="130"' in html  # what was typed stays
    answer = admin_client.auth.post(
        f"/ot/{ot}/corte", data={"fecha_corte": "2026-02-13", f"avance_{ids[1]}": "130"}, headers=HX
    )
    assert f'id="avance_{ids[1]}-error">El avance debe estar entre 0 y 100 %.' in answer.get_data(
        as_text=True
    )


def test_a_reader_sees_no_grid_and_cannot_post(app, lector_client):
    ot, _ = _ot(app)
    assert 'id="corte-form"' not in lector_client.get(f"/ot/{ot}/avance", headers=HX).get_data(as_text=True)
    assert (
        lector_client.auth.post(f"/ot/{ot}/corte", data={"fecha_corte": "2026-02-13"}, headers=HX).status_code
        == 403
    )


def test_an_ot_without_program_says_where_its_percent_comes_from(app, admin_client):
    ot, _ = _ot(app, program=False)
    html = admin_client.get(f"/ot/{ot}/avance", headers=HX).get_data(as_text=True)
    assert 'id="corte-pasos"' in html and "sin programa: lineal" in html


def test_the_curve_exports_to_xlsx(app, admin_client):
    ot, _ = _ot(app)
    answer = admin_client.get(f"/ot/{ot}/avance/exportar?moneda=mxn&periodo=mes")
    assert answer.status_code == 200
    rows = list(load_workbook(io.BytesIO(answer.data)).active.iter_rows(values_only=True))
    assert rows[0] == ("Periodo", "Planeado %", "Planeado versión 1 %", "Real %")
    assert rows[-1][0] == "2026-03" and rows[-1][1] == 100


def test_the_portfolio_page_filters_by_client_and_site(app, admin_client):
    _ot(app)
    page = admin_client.get("/curva-s").get_data(as_text=True)
    assert "<h1>Curva S</h1>" in page and "<svg" in page and 'id="f-cliente"' in page
    fragment = admin_client.get("/curva-s?id_cliente=2&moneda=usd", headers=HX).get_data(as_text=True)
    assert "<html" not in fragment and "Sin curva en USD" in fragment
    assert admin_client.get("/curva-s?sitio=patio:abc").status_code == 200  # an unknown filter is no filter
    xlsx = admin_client.get("/curva-s/exportar?periodo=mes")
    assert xlsx.status_code == 200 and date(2026, 3, 1)
