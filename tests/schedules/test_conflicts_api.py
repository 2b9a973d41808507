"""GET /api/conflictos and POST /api/conflictos/aceptar: the portfolio's conflicts, their filters,
accepting one with a reason (logged, no longer listed), and bad input in Spanish."""

import pytest

from ot_app.extensions import db
from ot_app.models import ActividadLog, ConflictoAceptado


def test_the_portfolio_lists_each_conflict_with_its_site_ots_and_days(api, booked):
    r = api.get("/api/conflictos")
    assert r.status_code == 200, r.get_json()
    body = r.get_json()
    assert body["detalles"] == "1 conflicto"
    [c] = body["datos"]
    assert c == {
        "tipo_sitio": "embarcacion",
        "id_sitio": booked["barco"],
        "sitio": "B/C Isla del Carmen",
        "ots": [booked["a"], booked["b"]],
        "folios": booked["folios"],
        "desde": "2027-01-25",
        "hasta": "2027-01-31",
        "tipo": "programado",
        "descripcion": f"La embarcación «B/C Isla del Carmen» ya está reservada del 25/01/2027 al 31/01/2027 a la vez "
        f"por {booked['folios'][0]} y {booked['folios'][1]} (admite una OT a la vez).",
    }


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("desde=2027-02-01", 0),
        ("hasta=2027-01-24", 0),
        ("desde=2027-01-31&hasta=2027-01-31", 1),
        ("sitio=plataforma", 0),
        ("sitio=embarcacion", 1),
    ],
)
def test_the_filters(api, booked, query, found):
    r = api.get(f"/api/conflictos?{query}")
    assert r.status_code == 200
    assert len(r.get_json()["datos"]) == found


def test_one_site_by_its_id(api, booked):
    assert len(api.get(f"/api/conflictos?sitio=embarcacion:{booked['barco']}").get_json()["datos"]) == 1
    assert api.get(f"/api/conflictos?sitio=embarcacion:{booked['barco'] + 99}").get_json()["datos"] == []


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("desde=31/01/2027", "desde", "La fecha «desde»"),
        ("sitio=barco", "sitio", "El sitio debe ser embarcacion, plataforma o patio"),
        ("sitio=embarcacion:x", "sitio", "El sitio lleva un ID no válido"),
        ("desde=2027-02-01&hasta=2027-01-01", "hasta", "La fecha «hasta» no puede ser anterior a «desde»."),
    ],
)
def test_bad_filters_are_a_400_in_spanish(api, booked, query, field, message):
    r = api.get(f"/api/conflictos?{query}")
    assert r.status_code == 400
    assert r.get_json()["errores"][field].startswith(message)


def accept(api, booked, **kw):
    data = {
        "tipo": "programado",
        "tipo_sitio": "embarcacion",
        "id_sitio": booked["barco"],
        "ots": f"{booked['a']},{booked['b']}",
        "desde": "2027-01-25",
        "hasta": "2027-01-31",
        "motivo": "El cliente autorizó compartir la embarcación esa semana.",
    }
    data.update(kw)
    return api.post("/api/conflictos/aceptar", data=data)


def test_an_accepted_conflict_is_logged_and_no_longer_listed(app, api, booked):
    r = accept(api, booked)
    assert r.status_code == 200, r.get_json()
    assert api.get("/api/conflictos").get_json()["datos"] == []
    with app.app_context():
        row = db.session.scalar(db.select(ConflictoAceptado))
        assert row.motivo == "El cliente autorizó compartir la embarcación esa semana."
        log = db.session.scalar(db.select(ActividadLog).where(ActividadLog.entidad == "conflicto"))
        assert log.accion == "aceptar" and log.entidad_id == row.id
        assert log.cambios["motivo"][1] == row.motivo


def test_a_change_of_dates_makes_an_accepted_conflict_a_new_one(api, booked):
    accept(api, booked)
    r = api.post("/api/ot/editar", data={"id": booked["b"], "fecha_inicio_programado": "2027-01-20"})
    assert r.status_code == 200, r.get_json()
    [c] = api.get("/api/conflictos").get_json()["datos"]
    assert (c["desde"], c["hasta"]) == ("2027-01-20", "2027-01-31")


def test_accepting_needs_a_reason_and_a_conflict_that_still_exists(app, api, booked):
    r = accept(api, booked, motivo="  ")
    assert r.status_code == 400
    assert r.get_json()["errores"] == {"motivo": "Escriba el motivo por el que se acepta el conflicto."}
    r = accept(api, booked, desde="2027-01-26")
    assert r.status_code == 409
    assert "ya no existe" in r.get_json()["detalles"]
    r = accept(api, booked, ots=str(booked["a"]))
    assert r.status_code == 400
    assert r.get_json()["errores"]["ots"] == "Las OT deben ser dos o más ID separados por comas."
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(ConflictoAceptado)) == 0


def test_a_reader_cannot_accept(api_lector, booked):
    assert accept(api_lector, booked).status_code == 403
