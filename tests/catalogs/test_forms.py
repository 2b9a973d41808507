"""Catalog writes go through catalogs/forms.py: each bad value gets its Spanish message, beside the
field (new row, row being edited) or in the toast (row and step buttons), and nothing changes."""

import pytest

from ot_app.extensions import db
from ot_app.models import ActividadLog, PasoOt, Patio, ReglaPaso

from .. import factories

HX = {"HX-Request": "true"}


def _log_count() -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(ActividadLog))


@pytest.mark.parametrize(
    ("nombre", "message"),
    [
        ("", "El nombre es obligatorio."),
        ("   ", "El nombre es obligatorio."),
        ("x" * 151, "El nombre admite hasta 150 caracteres."),
    ],
)
def test_new_row_name_required_and_bounded_beside_the_field(app, admin_client, nombre, message):
    r = admin_client.auth.post("/catalogos/clientes", data={"nombre": nombre}, headers=HX)
    html = r.get_data(as_text=True)
    assert r.status_code == 422
    assert f'<p class="error" id="nuevo-nombre-error">{message}</p>' in html
    assert 'aria-invalid="true"' in html and 'maxlength="150"' in html
    with app.app_context():
        assert _log_count() == 0


def test_rename_to_blank_is_shown_in_the_row_being_edited(app, admin_client):
    with app.app_context():
        pid = factories.make_patio("Patio Frontera").id
        db.session.commit()
    r = admin_client.auth.post(f"/catalogos/patios/{pid}", data={"nombre": " "}, headers=HX)
    html = r.get_data(as_text=True)
    assert r.status_code == 422 and 'class="editing"' in html
    assert f'<p class="error" id="nombre-{pid}-error">El nombre es obligatorio.</p>' in html
    with app.app_context():
        assert db.session.get(Patio, pid).nombre == "Patio Frontera"


@pytest.mark.parametrize("url", ["/catalogos/patios/{pid}", "/catalogos/pasos/101"])
def test_a_bad_activo_is_a_toast_and_changes_nothing(app, admin_client, url):
    with app.app_context():
        pid = factories.make_patio("Patio Tampico").id
        db.session.commit()
    r = admin_client.auth.post(url.format(pid=pid), data={"activo": "quizá"}, headers=HX)
    assert r.status_code == 400 and r.headers["HX-Reswap"] == "none"
    assert "El valor de «activo» debe ser 1 (activo) o 0 (inactivo)." in r.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Patio, pid).activo and db.session.get(PasoOt, 101).activo


@pytest.mark.parametrize("tipo", ["cinco", "0", "10000"])
def test_a_bad_step_set_is_a_spanish_400_not_a_bare_one(admin_client, tipo):
    r = admin_client.get(f"/catalogos/pasos?tipo={tipo}")
    assert r.status_code == 400
    assert "El conjunto de pasos debe ser un número entre 1 y 9,999." in r.get_data(as_text=True)
    r = admin_client.auth.post(f"/catalogos/pasos?tipo={tipo}", data={"descripcion": "Paso"}, headers=HX)
    assert r.status_code == 400
    assert "El conjunto de pasos debe ser un número entre 1 y 9,999." in r.get_data(as_text=True)


def test_a_blank_step_description_is_a_toast(app, admin_client):
    r = admin_client.auth.post("/catalogos/pasos?tipo=5", data={"descripcion": "  "}, headers=HX)
    assert r.status_code == 400 and "La descripción del paso es obligatoria." in r.get_data(as_text=True)
    r = admin_client.auth.post("/catalogos/pasos/101", data={"descripcion": "x" * 301}, headers=HX)
    assert "La descripción del paso admite hasta 300 caracteres." in r.get_data(as_text=True)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"id": "uno"}, "El ID de la regla no es un identificador válido."),  # was a bare 400
        ({"id_tipo": "7"}, "El tipo de OT con ID 7 no existe."),
        ({"id_cliente": "999999"}, "El cliente con ID 999999 no existe."),
        ({"tipo_paso": "0"}, "El conjunto de pasos debe ser un número entre 1 y 9,999."),
    ],
)
def test_a_bad_rule_is_refused_with_its_message(app, admin_client, data, message):
    with app.app_context():
        before = db.session.scalar(db.select(db.func.count()).select_from(ReglaPaso))
    r = admin_client.auth.post(
        "/catalogos/reglas", data={"id_tipo": "4", "id_cliente": "3", "tipo_paso": "18", **data}, headers=HX
    )
    assert 400 <= r.status_code < 500 and message in r.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(ReglaPaso)) == before
        assert _log_count() == 0
