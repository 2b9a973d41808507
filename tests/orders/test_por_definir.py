"""Issue 17: "Por definir" means incomplete. An OT created Por definir (the form, the API, Crear OT
from a PTE) needs only folio, tipo and PTE; its first real edit makes it active and then asks for
every other required field, with the usual messages."""

from ot_app.extensions import db
from ot_app.models import OTE, Registro


def minimal(base, **kw):
    return {"orden_trabajo": "OT-PD-001", "id_tipo": "4", "id_pte_header": str(base.ids.pte), **kw}


def test_api_creates_por_definir_with_folio_tipo_and_pte_only(app, api, base):
    r = api.post("/api/ot/crear", data=minimal(base, por_definir="on", id_frente="1"))
    assert r.status_code == 200, r.get_json()
    with app.app_context():
        ot = db.session.get(OTE, r.get_json()["id_nuevo"])
        assert ot.estatus == Registro.POR_DEFINIR and ot.descripcion_trabajo == "" and ot.id_patio is None


def test_without_por_definir_the_same_request_is_refused_with_the_usual_messages(api, base):
    r = api.post("/api/ot/crear", data=minimal(base, id_frente="1"))
    assert r.status_code == 400
    errores = r.get_json()["errores"]
    assert errores["descripcion_trabajo"] == "La descripción del trabajo es obligatoria."
    assert errores["responsable_proyecto"] == "El responsable de proyecto es obligatorio."


def test_por_definir_still_needs_folio_tipo_and_pte(api, base):
    r = api.post("/api/ot/crear", data={"por_definir": "on", "id_tipo": "4"})
    errores = r.get_json()["errores"]
    assert r.status_code == 400 and errores["orden_trabajo"] == "El Folio de la OT es obligatorio"
    r = api.post("/api/ot/crear", data={"por_definir": "on", "id_tipo": "4", "orden_trabajo": "OT-PD-9"})
    assert r.get_json()["errores"] == {"id_pte_header": "La PTE padre es obligatoria."}


def test_the_first_real_edit_activates_it_and_asks_for_what_is_missing(app, api, base):
    ot_id = api.post("/api/ot/crear", data=minimal(base, por_definir="on", id_frente="1")).get_json()[
        "id_nuevo"
    ]
    r = api.post("/api/ot/editar", data={"id": ot_id, "oficio_ot": "PEP-1"})
    assert r.status_code == 400
    errores = r.get_json()["errores"]
    assert errores == {
        "descripcion_trabajo": "La descripción del trabajo es obligatoria.",
        "responsable_proyecto": "El responsable de proyecto es obligatorio.",
        "responsable_cliente": "El responsable del cliente es obligatorio.",
        "id_patio": "En un frente de Tierra el patio es obligatorio.",
    }
    with app.app_context():
        assert db.session.get(OTE, ot_id).estatus == Registro.POR_DEFINIR  # nothing written
    complete = {
        "id": ot_id,
        "descripcion_trabajo": "Rehabilitación de ducto",
        "responsable_proyecto": str(base.ids.responsable),
        "responsable_cliente": "Ing. Laura Méndez",
        "id_patio": str(base.ids.patio),
    }
    r = api.post("/api/ot/editar", data=complete)
    assert r.status_code == 200 and "ahora está activa" in r.get_json()["detalles"]
    with app.app_context():
        assert db.session.get(OTE, ot_id).estatus == Registro.ACTIVA


def test_the_new_ot_page_accepts_por_definir_with_only_folio_tipo_and_pte(app, editor_client, base):
    data = {**minimal(base, por_definir="on", id_frente="1"), "id_estatus_ot": "1"}
    r = editor_client.auth.post("/ot/nueva", data=data)
    assert r.status_code in (302, 303), r.get_data(as_text=True)[:2000]
    with app.app_context():
        assert db.session.scalar(db.select(OTE.estatus)) == Registro.POR_DEFINIR
