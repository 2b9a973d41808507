"""The checklists through the API: `GET /api/pte/pasos`, `POST /api/pte/paso/editar`, and the dates
and deliverable link that `POST /api/ot/paso/editar` gained (the same rules: ot_app/steps.py);
the steps of a deleted or replaced OT cannot change."""

import pytest

from ot_app.extensions import db
from ot_app.formatting import office_today
from ot_app.models import OTDetalle
from ot_app.orders import commands as ot_commands
from ot_app.pte import commands

from .. import factories


@pytest.fixture
def pte_id(app):
    with app.app_context():
        return commands.create_pte(
            {"oficio_pte": "PEP-PTE-API-2026", "descripcion": "Inspección", "id_cliente": 2}, None
        ).pte.id


def test_pasos_in_checklist_order_with_substeps(api, pte_id):
    body = api.get(f"/api/pte/pasos?id={pte_id}").get_json()
    assert body["exito"] and body["detalles"] == "10 pasos, 0 % de avance"
    pasos = body["datos"]
    assert [p["n"] for p in pasos][:4] == ["1", "2", "3", "3.1"]
    assert pasos[2]["subpasos"] == 3 and pasos[3]["id_padre"] == pasos[2]["id"]
    assert set(pasos[0]) == {
        "id", "id_paso", "n", "paso", "id_padre", "subpasos", "estatus_paso", "comentario",
        "fecha_inicio", "fecha_termino", "fecha_entrega", "entregable_url", "archivo_nombre",
    }  # fmt: skip


def test_pasos_of_an_unknown_pte_is_404(api):
    r = api.get("/api/pte/pasos?id=999999")
    assert r.status_code == 404 and r.get_json()["exito"] is False


def test_paso_editar_stamps_delivery_and_checks_dates(api, pte_id):
    paso = api.get(f"/api/pte/pasos?id={pte_id}").get_json()["datos"][1]["id"]
    r = api.post("/api/pte/paso/editar", data={"id": paso, "estatus_paso": "3"})
    assert r.status_code == 200, r.get_json()
    step = api.get(f"/api/pte/pasos?id={pte_id}").get_json()["datos"][1]
    assert step["fecha_entrega"] == office_today().isoformat()
    r = api.post("/api/pte/paso/editar", data={"id": paso, "fecha_inicio": "2099-01-01"})
    body = r.get_json()
    assert r.status_code == 400 and "fecha_entrega" in body["errores"]
    r = api.post("/api/pte/paso/editar", data={"id": paso, "entregable_url": "file:///etc/passwd"})
    assert r.status_code == 400 and "entregable_url" in r.get_json()["errores"]
    r = api.post("/api/pte/paso/editar", data={"id": paso})
    assert r.status_code == 400 and "Indique el estatus del paso" in r.get_json()["detalles"]


def test_lector_cannot_edit(api_lector, pte_id):
    paso = api_lector.get(f"/api/pte/pasos?id={pte_id}").get_json()["datos"][0]["id"]
    assert api_lector.post("/api/pte/paso/editar", data={"id": paso, "estatus_paso": "2"}).status_code == 403


def test_ot_paso_editar_takes_dates_and_link(app, api):
    with app.app_context():
        ot = factories.make_ot()
        db.session.commit()
        ot_id = ot.id
    paso = api.get(f"/api/ot/pasos?id={ot_id}").get_json()["datos"][0]["id"]
    r = api.post(
        "/api/ot/paso/editar",
        data={
            "id": paso,
            "fecha_inicio": "2026-02-01",
            "fecha_termino": "2026-02-03",
            "entregable_url": "https://docs.example.com/oficio.pdf",
            "estatus_paso": "3",
        },
    )
    assert r.status_code == 200, r.get_json()
    step = api.get(f"/api/ot/pasos?id={ot_id}").get_json()["datos"][0]
    assert (step["fecha_inicio"], step["fecha_termino"]) == ("2026-02-01", "2026-02-03")
    assert step["fecha_entrega"] == office_today().isoformat()
    assert step["entregable_url"] == "https://docs.example.com/oficio.pdf"
    api.post("/api/ot/paso/editar", data={"id": paso, "estatus_paso": "2"})
    assert api.get(f"/api/ot/pasos?id={ot_id}").get_json()["datos"][0]["fecha_entrega"] is None
    r = api.post("/api/ot/paso/editar", data={"id": paso, "fecha_termino": "2026-01-01"})
    assert r.status_code == 400 and "fecha_termino" in r.get_json()["errores"]


def test_steps_of_a_replaced_or_deleted_ot_cannot_change(app, api):
    with app.app_context():
        first = factories.make_ot()
        db.session.commit()
        first_step = db.session.scalar(db.select(OTDetalle.id).where(OTDetalle.id_ot == first.id))
        ot_commands.reprogram_order({"id": first.id, "motivo": "Ampliación"}, None)
        lone = factories.make_ot()
        db.session.commit()
        lone_step = db.session.scalar(db.select(OTDetalle.id).where(OTDetalle.id_ot == lone.id))
        ot_commands.delete_order(lone.id, None)
    r = api.post("/api/ot/paso/editar", data={"id": first_step, "fecha_inicio": "2026-02-01"})
    assert r.status_code == 409 and "reemplazada" in r.get_json()["detalles"]
    r = api.post("/api/ot/paso/editar", data={"id": lone_step, "entregable_url": "https://x.example.com/a"})
    assert r.status_code == 409 and "eliminada" in r.get_json()["detalles"]
