"""Search in an annex (the Anexos tab): lines of the current revision holding every word (partida, concepto, unidad, chapter code, sub-heading), accents
and case ignored, bounded, as a fragment under the search box."""

from ot_app.annexes import read
from ot_app.extensions import db
from tests import factories

HX = {"HX-Request": "true"}
ROWS = [
    ["2", "PROTECCIÓN ANTICORROSIVA"],
    ["2.401.", "Limpieza con chorro de arena", "M2", 200, 4125.53, None],
    ["2.402.", "Aplicación de primario epóxico", "M2", 10, 612.4, None],
    ["4", "PERSONAL"],
    ["4.7.", "Tubero especialista", "JORNADA", 40, 2850, None],
]


def make(app):
    with app.app_context():
        ot = factories.make_ot()
        db.session.commit()
        factories.make_annex(ot.id, ROWS)
        return ot.id


def test_every_word_must_match_accents_and_case_ignored(app):
    ot_id = make(app)
    with app.app_context():
        assert [
            x["partida"] for x in read.search_lines(ot_id, "anexo_c", "aplicacion EPOXICO")["renglones"]
        ] == ["2.402."]
        assert read.search_lines(ot_id, "anexo_c", "chorro arena")["total"] == 1
        # part of a partida: both lines of 2.40x
        assert read.search_lines(ot_id, "anexo_c", "2.40")["total"] == 2
        assert (
            read.search_lines(ot_id, "anexo_c", "jornada")["renglones"][0]["concepto"]
            == "Tubero especialista"
        )
        assert read.search_lines(ot_id, "anexo_c", "inexistente")["total"] == 0
        assert read.search_lines(ot_id, "anexo_c", "  ")["total"] == 0
        assert read.search_lines(ot_id, "sabana", "tubero") == {
            "revision": None,
            "q": "tubero",
            "total": 0,
            "renglones": [],
        }


def test_results_are_bounded(app, monkeypatch):
    ot_id = make(app)
    monkeypatch.setattr(read, "SEARCH_LIMIT", 1)
    with app.app_context():
        found = read.search_lines(ot_id, "anexo_c", "m2")
    assert found["total"] == 2 and len(found["renglones"]) == 1


def test_the_tab_has_the_search_box_and_the_route_answers_a_fragment(app, lector_client):
    ot_id = make(app)
    tab = lector_client.get(f"/ot/{ot_id}/anexos", headers=HX).get_data(as_text=True)
    assert 'id="anexo-anexo_c-q"' in tab and f'hx-get="/ot/{ot_id}/anexos/buscar?tipo=anexo_c"' in tab
    r = lector_client.get(f"/ot/{ot_id}/anexos/buscar?tipo=anexo_c&q=tubero", headers=HX)
    html = r.get_data(as_text=True)
    assert r.status_code == 200 and "<html" not in html
    assert "1 renglones para «tubero»" in html and "Tubero especialista" in html and "Limpieza" not in html
    assert lector_client.get(f"/ot/{ot_id}/anexos/buscar?tipo=otro&q=x", headers=HX).status_code in (400, 422)
