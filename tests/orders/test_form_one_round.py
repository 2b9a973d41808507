"""Issue 17, bug 3: one submit of the OT form reports every error at once, the service's dependent
rules (a land front needs a yard, the PTE's gate, an unknown catalog row) with the form's own."""

import re

from ot_app.extensions import db
from ot_app.models import OTE

ERROR = re.compile(r'<p class="error" id="([^"]+)-error">([^<]*)</p>')


def errors_of(response) -> dict:
    return dict(ERROR.findall(response.get_data(as_text=True)))


def test_new_form_says_the_land_yard_with_the_missing_fields_in_one_round(app, editor_client, base):
    data = {"id_tipo": "4", "id_frente": "1", "id_estatus_ot": "1", "orden_trabajo": ""}
    r = editor_client.auth.post("/ot/nueva", data=data)
    assert r.status_code == 422
    errors = errors_of(r)
    assert errors["id_patio"] == "En un frente de Tierra el patio es obligatorio."
    assert errors["orden_trabajo"] == "El Folio de la OT es obligatorio"
    assert errors["descripcion_trabajo"] == "La descripción del trabajo es obligatoria."
    assert errors["id_pte_header"] == "La PTE padre es obligatoria."
    assert "Revise los 6 campos marcados" in r.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(OTE)) == 0


def test_a_bad_number_and_an_unknown_catalog_row_are_said_together(editor_client, base):
    data = base.payload(monto_mxn="muchos", id_patio="999999", id_estatus_ot="1")
    r = editor_client.auth.post("/ot/nueva", data=data)
    assert r.status_code == 422
    errors = errors_of(r)
    assert set(errors) == {"monto_mxn", "id_patio"}
    assert "no existe" in errors["id_patio"]


def test_the_edit_form_reports_every_error_at_once_too(app, editor_client, base):
    created = editor_client.auth.post("/ot/nueva", data={**base.payload(), "id_estatus_ot": "1"})
    assert created.status_code in (302, 303)
    with app.app_context():
        ot_id = db.session.scalar(db.select(OTE.id))
    data = {**base.payload(), "version": "1", "descripcion_trabajo": "", "id_patio": ""}
    r = editor_client.auth.post(f"/ot/{ot_id}/editar", data=data)
    assert r.status_code == 422
    errors = errors_of(r)
    assert errors["descripcion_trabajo"] == "La descripción del trabajo es obligatoria."
    assert errors["id_patio"] == "En un frente de Tierra el patio es obligatorio."


def test_a_reprogramming_without_its_initial_ot_is_said_with_the_other_errors(editor_client, base):
    data = {**base.payload(id_tipo="5", ot_principal="", descripcion_trabajo=""), "id_estatus_ot": "1"}
    r = editor_client.auth.post("/ot/nueva", data=data)
    errors = errors_of(r)
    assert errors["descripcion_trabajo"] == "La descripción del trabajo es obligatoria."
    assert errors["ot_principal"] == "Para una reprogramación, debe seleccionar la OT Inicial."


# The API answers the same way: one request, every error (the first is the envelope's message,
# the seed's text, so old clients still read it).


def test_the_api_says_the_form_and_the_rules_errors_in_one_answer(app, api, base):
    data = {
        "id_tipo": "4",
        "id_frente": "1",
        "id_estatus_ot": "1",
        "orden_trabajo": "",
        "monto_mxn": "muchos",
    }
    r = api.post("/api/ot/crear", data=data)
    assert r.status_code == 400
    body = r.get_json()
    assert body["detalles"] == "El Folio de la OT es obligatorio"
    errors = body["errores"]
    assert errors["id_patio"] == "En un frente de Tierra el patio es obligatorio."  # a rule's
    assert errors["id_pte_header"] == "La PTE padre es obligatoria."
    assert "monto_mxn" in errors and "descripcion_trabajo" in errors  # the form's
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(OTE)) == 0


def test_the_api_edit_says_a_wrong_json_type_with_the_rules_errors(app, api, base):
    created = api.post("/api/ot/crear", data=base.payload())
    assert created.status_code == 200, created.get_json()
    with app.app_context():
        ot_id = db.session.scalar(db.select(OTE.id))
    r = api.post("/api/ot/editar", json={"id": str(ot_id), "descripcion_trabajo": 5, "id_patio": ""})
    assert r.status_code == 400
    errors = r.get_json()["errores"]
    assert errors["descripcion_trabajo"].endswith("debe ser un texto entre comillas, no un número.")
    assert errors["id_patio"] == "En un frente de Tierra el patio es obligatorio."
