"""A site's capacity, exclusivity and mobilisation gap, edited in its catalog row: checked beside
each field, logged, carried to its bookings; becoming exclusive is refused while OTs over-book it."""

import pytest

from ot_app.extensions import db
from ot_app.models import ActividadLog, Embarcacion, ReservaSitio

HX = {"HX-Request": "true"}


def save(client, id_barco, **data):
    return client.auth.post(f"/catalogos/embarcaciones/{id_barco}", data=data, headers=HX)


def test_the_vessels_page_shows_the_settings_and_the_edit_row_has_their_fields(admin_client, booked):
    html = admin_client.get("/catalogos/embarcaciones").get_data(as_text=True)
    assert ">Capacidad</th>" in html and ">Exclusivo</th>" in html and ">Movilización</th>" in html
    row = admin_client.get(f"/catalogos/embarcaciones/{booked['barco']}/editar", headers=HX).get_data(
        as_text=True
    )
    assert 'name="capacidad"' in row and 'name="exclusivo"' in row and 'name="movilizacion_dias"' in row
    # A catalog that is no site has none of them.
    assert ">Capacidad</th>" not in admin_client.get("/catalogos/clientes").get_data(as_text=True)


def test_raising_the_capacity_ends_the_conflict_and_is_logged(app, admin_client, api, booked):
    r = save(admin_client, booked["barco"], capacidad="2", movilizacion_dias="3")
    assert r.status_code == 200, r.get_data(as_text=True)
    r = api.get("/api/conflictos")
    assert r.get_json().get("datos") == [], (r.status_code, r.get_json())
    with app.app_context():
        barco = db.session.get(Embarcacion, booked["barco"])
        assert (barco.capacidad, barco.movilizacion_dias) == (2, 3)
        log = db.session.scalar(db.select(ActividadLog).where(ActividadLog.entidad == "embarcaciones"))
        assert log.cambios == {"capacidad": [1, 2], "movilizacion_dias": [0, 3]}


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"capacidad": "0"}, "capacidad", "La capacidad debe ser un número entre 1 y 99."),
        ({"capacidad": "dos"}, "capacidad", "La capacidad debe ser un número"),
        (
            {"movilizacion_dias": "400"},
            "movilizacion_dias",
            "Los días de movilización deben ser un número entre 0 y 365.",
        ),
        (
            {"exclusivo": "tal vez"},
            "exclusivo",
            "El valor de «exclusivo» debe ser 1 (activo) o 0 (inactivo).",
        ),
    ],
)
def test_bad_settings_are_shown_beside_their_field_and_change_nothing(
    app, admin_client, booked, data, field, message
):
    r = save(admin_client, booked["barco"], **data)
    assert r.status_code == 422
    assert message in r.get_data(as_text=True)
    with app.app_context():
        barco = db.session.get(Embarcacion, booked["barco"])
        assert (barco.capacidad, barco.exclusivo, barco.movilizacion_dias) == (1, False, 0)


def test_a_vessel_over_booked_cannot_become_exclusive(app, admin_client, booked):
    r = save(admin_client, booked["barco"], exclusivo="1")
    assert r.status_code == 422
    html = r.get_data(as_text=True)
    assert "La embarcación «B/C Isla del Carmen» tiene un traslape de OT programadas" in html
    assert "resuélvalo antes de hacerla exclusiva." in html
    with app.app_context():
        assert db.session.get(Embarcacion, booked["barco"]).exclusivo is False


def test_an_exclusive_vessel_marks_its_bookings_and_refuses_the_next_overlap(app, admin_client, api, booked):
    r = api.post("/api/ot/editar", data={"id": booked["b"], "fecha_inicio_programado": "2027-02-01"})
    assert r.status_code == 200, r.get_json()
    assert save(admin_client, booked["barco"], exclusivo="1").status_code == 200
    with app.app_context():
        marks = db.session.scalars(
            db.select(ReservaSitio.exclusivo).where(ReservaSitio.tipo_sitio == "embarcacion")
        ).all()
        assert marks == [True, True]
    r = api.post("/api/ot/editar", data={"id": booked["b"], "fecha_inicio_programado": "2027-01-30"})
    assert r.status_code == 400
    assert r.get_json()["errores"]["id_embarcacion"].endswith(
        "Es exclusiva: mueva las fechas o elija otro sitio."
    )
