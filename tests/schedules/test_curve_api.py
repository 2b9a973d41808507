"""The curve and cut-off API: /api/ot/curva-s, /api/curva-s, /api/ot/cortes, /api/ot/corte."""

from datetime import date

from ot_app.extensions import db

from .. import factories
from .curve_builders import two_activities


def _ot(app, program=True):
    with app.app_context():
        ot = factories.make_ot()
        rev = two_activities(ot.id) if program else None
        db.session.commit()
        return ot.id, ([a.id for a in rev.actividades] if rev else [])


def test_ot_curve_answers_percentages_as_strings(app, api_admin):
    ot, _ = _ot(app)
    answer = api_admin.get(f"/api/ot/curva-s?id={ot}&moneda=usd&periodo=mes")
    body = answer.get_json()
    assert answer.status_code == 200 and body["exito"] and body["origen"] == "programa"
    assert body["datos"][-1] == {
        "periodo": "2026-03",
        "planeado": "100.00",
        "planeado_v1": "100.00",
        "real": None,
    }


def test_bad_arguments_are_400_in_spanish(app, api_admin):
    ot, _ = _ot(app)
    answer = api_admin.get(f"/api/ot/curva-s?id={ot}&moneda=eur")
    assert answer.status_code == 400
    assert answer.get_json()["errores"] == {"moneda": "moneda debe ser mxn o usd."}
    assert api_admin.get("/api/ot/curva-s?id=999999").status_code == 404
    assert api_admin.get("/api/curva-s?periodo=dia").status_code == 400


def test_portfolio_curve_by_client(app, api_admin):
    _ot(app)
    body = api_admin.get("/api/curva-s?id_cliente=1&moneda=mxn").get_json()
    assert body["datos"][-1]["planeado"] == "100.00"
    assert api_admin.get("/api/curva-s?id_cliente=2").get_json()["datos"] == []


def test_post_a_cut_off_and_read_it_back(app, api_admin):
    ot, ids = _ot(app)
    lev, pre = ids[1], ids[2]
    answer = api_admin.post(
        "/api/ot/corte",
        json={"id": ot, "fecha_corte": "2026-02-13", f"avance_{lev}": 80, f"avance_{pre}": "0"},
    )
    assert answer.status_code == 200, answer.get_json()
    datos = answer.get_json()["datos"]
    assert datos["real_mxn"] == "20.00" and datos["origen"] == "captura"
    listed = api_admin.get(f"/api/ot/cortes?id={ot}").get_json()["datos"]
    assert listed == [datos]
    curve = api_admin.get(f"/api/ot/curva-s?id={ot}").get_json()["datos"]
    assert {p["periodo"]: p["real"] for p in curve}["2026-02-13"] == "20.00"


def test_cut_off_errors_name_the_field(app, api_admin):
    ot, ids = _ot(app)
    answer = api_admin.post(
        "/api/ot/corte", json={"id": ot, "fecha_corte": "2026-02-12", f"avance_{ids[1]}": "5"}
    )
    assert answer.status_code == 400
    assert "viernes" in answer.get_json()["errores"]["fecha_corte"]
    answer = api_admin.post(
        "/api/ot/corte", json={"id": ot, "fecha_corte": "2026-02-13", f"avance_{ids[1]}": "500"}
    )
    assert answer.get_json()["errores"] == {f"avance_{ids[1]}": "El avance debe estar entre 0 y 100 %."}
    assert api_admin.post("/api/ot/corte", json={"fecha_corte": "2026-02-13"}).status_code == 400


def test_a_reader_cannot_record_a_cut_off(app, api_lector):
    ot, _ = _ot(app, program=False)
    assert api_lector.post("/api/ot/corte", json={"id": ot, "fecha_corte": "2026-02-13"}).status_code == 403
    assert api_lector.get(f"/api/ot/cortes?id={ot}").status_code == 200
    assert date(2026, 2, 13).weekday() == 4
