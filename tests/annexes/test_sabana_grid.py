"""The sábana as a grid on the Anexos tab: lines × days, weeks folded (opened on demand), totals per
line, per week and per day over every line (not only the page shown), paged for big sábanas."""

import io
from datetime import date

import pytest
from werkzeug.datastructures import FileStorage

from ot_app.annexes import read
from ot_app.annexes.commands import import_annex
from ot_app.extensions import db
from tests import factories

from .builders import sabana

HX = {"HX-Request": "true"}
# 2025-10-01 is a Wednesday: 10 days span ISO weeks 40 (1–5 Oct) and 41 (6–10 Oct).
ROWS = [
    ["4.7.", "Tubero", "JORNADA", 1, 1, 0, 0, 0, 2, 2, 2, 2, 2, 12],
    ["4.8.", "Soldador", "JORNADA", 0, 3, 0, 0, 0, 0, 0, 0, 0, 1, 4],
]


def make(app, rows=ROWS, days=10):
    with app.app_context():
        ot = factories.make_ot()
        db.session.commit()
        data = sabana(rows, days=days)
        report = import_annex(ot.id, "sabana", FileStorage(io.BytesIO(data), "sabana.xlsx"), True, None)
        assert report.ok, report.errores
        return ot.id


def test_weeks_fold_into_their_totals_and_the_footer_sums_every_line(app):
    ot_id = make(app)
    with app.app_context():
        g = read.sabana_grid(ot_id, None, 1, None)
    assert [(w["clave"], len(w["dias"]), w["abierta"]) for w in g["semanas"]] == [
        ("2025-W40", 5, False),
        ("2025-W41", 5, False),
    ]
    tubero, soldador = g["lineas"]
    assert tubero["semanas"] == {"2025-W40": "2", "2025-W41": "10"} and tubero["total"] == "12"
    assert soldador["semanas"] == {"2025-W40": "3", "2025-W41": "1"} and soldador["total"] == "4"
    assert [w["total"] for w in g["semanas"]] == ["5", "11"] and g["total"] == "16"
    assert g["totales_dia"]["2025-10-02"] == "4" and g["totales_dia"]["2025-10-10"] == "3"


def test_the_grid_is_paged_and_its_totals_are_over_every_page(app, monkeypatch):
    rows = [[f"4.{i}.", f"Recurso {i}", "DIA", 1, 0, 1] for i in range(1, 8)]
    ot_id = make(app, rows, days=2)
    monkeypatch.setattr(read, "GRID_PER_PAGE", 3)
    with app.app_context():
        last = read.sabana_grid(ot_id, None, 99, None)  # past the end: the last page
    assert (last["page"], last["pages"], last["desde"], last["hasta"]) == (3, 3, 7, 7)
    assert [x["partida"] for x in last["lineas"]] == ["4.7."]
    assert last["total"] == "7"  # all seven lines, not the one on this page


def test_the_tab_shows_the_grid_and_a_week_opens_into_its_days(app, lector_client):
    ot_id = make(app)
    tab = lector_client.get(f"/ot/{ot_id}/anexos", headers=HX).get_data(as_text=True)
    assert 'id="sabana-tabla"' in tab and 'data-semana="2025-W40"' in tab and 'aria-expanded="false"' in tab
    assert "Tubero" in tab and 'id="sabana-totales"' in tab
    r = lector_client.get(f"/ot/{ot_id}/anexos/sabana?abiertas=2025-W41", headers=HX)
    html = r.get_data(as_text=True)
    assert r.status_code == 200 and "<html" not in html
    assert "06/10" in html and "10/10" in html and "01/10" not in html  # week 41's days, week 40 folded
    assert f"/ot/{ot_id}/anexos/sabana?revision=1&amp;page=1&amp;abiertas=2025-W40,2025-W41" in html
    every = lector_client.get(f"/ot/{ot_id}/anexos/sabana?abiertas=todas", headers=HX).get_data(as_text=True)
    assert "01/10" in every and "Plegar todas las semanas" in every


@pytest.mark.parametrize(("query", "status"), [("page=abc", 400), ("revision=x", 400), ("revision=9", 404)])
def test_bad_grid_parameters_are_refused_in_spanish(app, lector_client, query, status):
    ot_id = make(app)
    assert lector_client.get(f"/ot/{ot_id}/anexos/sabana?{query}", headers=HX).status_code == status


def test_an_ot_without_a_sabana_has_no_grid(app, lector_client):
    with app.app_context():
        ot = factories.make_ot()
        db.session.commit()
        ot_id = ot.id
    r = lector_client.get(f"/ot/{ot_id}/anexos/sabana", headers=HX)
    assert r.status_code == 200 and "La OT no tiene sábana importada." in r.get_data(as_text=True)


def test_week_keys_are_iso_weeks_across_a_year_end():
    weeks = read._weeks([date(2025, 12, 28).isoformat(), date(2025, 12, 29).isoformat(), "2026-01-04"])
    assert [(w["clave"], w["dias"]) for w in weeks] == [
        ("2025-W52", ["2025-12-28"]),
        ("2026-W01", ["2025-12-29", "2026-01-04"]),
    ]
