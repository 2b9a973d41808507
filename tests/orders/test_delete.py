"""Logical delete and restore (design.md rule 6)."""

from ot_app.extensions import db
from ot_app.models import OTE, ActividadLog, OTDetalle


def created(api, base, **kw):
    return api.post("/api/ot/crear", data=base.payload(**kw)).get_json()["id_nuevo"]


def test_delete_requires_id(api):
    r = api.post("/api/ot/eliminar", data={})
    assert r.status_code == 400 and r.get_json()["detalles"] == "ID de la OT no proporcionado"


def test_delete_is_logical_row_and_steps_stay(app, api, base):
    ot_id = created(api, base)
    r = api.post("/api/ot/eliminar", data={"id": ot_id})
    assert r.get_json() == {"exito": True, "tipo_aviso": "exito", "detalles": "OT eliminada correctamente"}
    with app.app_context():
        assert db.session.get(OTE, ot_id).estatus == 0
        assert db.session.scalar(db.select(db.func.count()).where(OTDetalle.id_ot == ot_id)) > 0
        log = db.session.scalars(db.select(ActividadLog).where(ActividadLog.accion == "eliminar")).one()
        assert log.cambios == {"estatus": [1, 0]}


def test_delete_hidden_from_list_unless_asked(app, api, api_admin, base):
    ot_id = created(api, base)
    api.post("/api/ot/eliminar", data={"id": ot_id})
    ids = [r["id"] for r in api.get("/api/ot/listar").get_json()["datos"]]
    assert ot_id not in ids
    deleted = api_admin.get("/api/ot/listar?estatus=0").get_json()["datos"]
    assert [r["id"] for r in deleted] == [ot_id]


def test_delete_twice_is_an_advertencia(api, base):
    ot_id = created(api, base)
    api.post("/api/ot/eliminar", data={"id": ot_id})
    r = api.post("/api/ot/eliminar", data={"id": ot_id})
    assert r.get_json()["tipo_aviso"] == "advertencia" and r.get_json()["exito"] is False


def test_delete_unknown_is_404(api):
    assert api.post("/api/ot/eliminar", data={"id": "777"}).status_code == 404


def test_delete_initial_with_active_versions_is_refused(app, api, base):
    first = created(api, base, orden_trabajo="OT-D-1")
    created(api, base, orden_trabajo="OT-D-1", id_tipo=5, ot_principal=first)
    created(api, base, orden_trabajo="OT-D-1", id_tipo=5, ot_principal=first)
    r = api.post("/api/ot/eliminar", data={"id": first})
    assert r.status_code == 409
    assert "tiene 2 reprogramaciones activas" in r.get_json()["detalles"]
    with app.app_context():
        assert db.session.get(OTE, first).estatus == 1


def test_restore_is_admin_only_and_brings_it_back(app, api, api_admin, base):
    ot_id = created(api, base)
    api.post("/api/ot/eliminar", data={"id": ot_id})
    assert api.post("/api/ot/restaurar", data={"id": ot_id}).status_code == 403
    r = api_admin.post("/api/ot/restaurar", data={"id": ot_id})
    assert r.status_code == 200, r.get_json()
    with app.app_context():
        assert db.session.get(OTE, ot_id).estatus == 1


def test_restore_refused_when_folio_was_taken_meanwhile(app, api, api_admin, base):
    ot_id = created(api, base, orden_trabajo="OT-R-1")
    api.post("/api/ot/eliminar", data={"id": ot_id})
    created(api, base, orden_trabajo="OT-R-1")
    r = api_admin.post("/api/ot/restaurar", data={"id": ot_id})
    assert r.status_code == 409 and "Ya existe una OT inicial" in r.get_json()["detalles"]


def test_restore_version_needs_its_initial_restored_first(app, api, api_admin, base):
    first = created(api, base, orden_trabajo="OT-R-2")
    version = created(api, base, orden_trabajo="OT-R-2", id_tipo=5, ot_principal=first)
    api.post("/api/ot/eliminar", data={"id": version})
    api.post("/api/ot/eliminar", data={"id": first})
    r = api_admin.post("/api/ot/restaurar", data={"id": version})
    assert r.status_code == 409 and "Restaure primero la OT inicial OT-R-2" in r.get_json()["detalles"]


def test_deleted_ot_is_read_only_for_every_way_in(app, api, admin_client, base):
    """The rule lives in the service: the API, the edit page, the inline row and the steps all
    refuse a deleted OT with the same message, and nothing changes."""
    ot_id = created(api, base, comentario_general="Antes")
    api.post("/api/ot/eliminar", data={"id": ot_id})
    with app.app_context():
        paso = db.session.scalar(db.select(OTDetalle.id).where(OTDetalle.id_ot == ot_id).limit(1))
        logs = db.session.scalar(db.select(db.func.count()).select_from(ActividadLog))
    message = "La OT está eliminada: restáurela para editarla."

    r = api.post("/api/ot/editar", data={"id": ot_id, "comentario_general": "Después"})
    assert r.status_code == 409 and r.get_json()["detalles"] == message
    r = api.post("/api/ot/paso/editar", data={"id": paso, "estatus_paso": "3"})
    assert r.status_code == 409 and r.get_json()["detalles"] == message

    hx = {"HX-Request": "true"}
    form = {"comentario_general": "Después", "responsable_proyecto": str(base.ids.responsable)}
    r = admin_client.auth.post(f"/ot/{ot_id}/fila", data=form, headers=hx)
    assert r.status_code == 409 and message in r.get_data(as_text=True)
    r = admin_client.get(f"/ot/{ot_id}/fila/editar", headers=hx)
    assert r.status_code == 409 and message in r.get_data(as_text=True)
    r = admin_client.auth.post(
        f"/ot/{ot_id}/editar", data={**base.payload(), "comentario_general": "Después"}
    )
    assert r.status_code == 409 and message in r.get_data(as_text=True)
    r = admin_client.get(f"/ot/{ot_id}/editar", follow_redirects=True)
    assert message in r.get_data(as_text=True)
    r = admin_client.auth.post(f"/ot/paso/{paso}", data={"estatus_paso": "3"}, headers=hx)
    assert r.status_code == 409 and message in r.get_data(as_text=True)

    with app.app_context():
        ot = db.session.get(OTE, ot_id)
        assert ot.comentario == "Antes" and ot.estatus == 0
        assert db.session.get(OTDetalle, paso).estatus_paso == 1
        assert db.session.scalar(db.select(db.func.count()).select_from(ActividadLog)) == logs
