"""Issue 12: reprogramming as baselines — motivo, prefilled versions, warnings, read-only replaced
versions, lineage. (Numbering and folios of the chain are in test_reprogram.py.)"""

from ot_app.extensions import db
from ot_app.models import OTE, ActividadLog, OTDetalle
from ot_app.orders.forms import MOTIVO_MAX


def create(api, base, **kw):
    r = api.post("/api/ot/crear", data=base.payload(**kw))
    assert r.status_code == 200, r.get_json()
    return r.get_json()["id_nuevo"]


def test_motivo_is_a_column_with_a_length_limit(app, api, base):
    ot_id = create(api, base, motivo="  Cambio de alcance  ")
    with app.app_context():
        assert db.session.get(OTE, ot_id).motivo == "Cambio de alcance"
    r = api.post("/api/ot/editar", data={"id": ot_id, "motivo": "x" * (MOTIVO_MAX + 1)})
    assert r.status_code == 400
    assert r.get_json()["errores"]["motivo"] == f"El motivo admite hasta {MOTIVO_MAX:,} caracteres."


# --------------------------------------------------------------------------- only the current version is editable


def chain(api, base, folio="OT-VIG-1", versions=2):
    """An initial OT and `versions` versions made the old way (crear with id_tipo=5): [R0, R1, ...]."""
    first = create(api, base, orden_trabajo=folio)
    return [first] + [
        create(api, base, orden_trabajo=folio, id_tipo=5, ot_principal=first) for _ in range(versions)
    ]


def first_step(app, ot_id):
    with app.app_context():
        return db.session.scalar(
            db.select(OTDetalle.id).where(OTDetalle.id_ot == ot_id).order_by(OTDetalle.id).limit(1)
        )


def test_replaced_version_is_read_only_for_every_way_in(app, api, admin_client, base):
    """The rule lives in the service (ensure_editable): API fields and steps, the edit page, the
    inline row and the step toggle all refuse R0 and R1 of R0-R1-R2 naming R2; nothing changes."""
    r0, r1, r2 = chain(api, base)
    message = f"Esta versión fue reemplazada por R2 (ID {r2}): edite la versión vigente."
    with app.app_context():
        logs = db.session.scalar(db.select(db.func.count()).select_from(ActividadLog))
    hx = {"HX-Request": "true"}
    for ot_id in (r0, r1):
        paso = first_step(app, ot_id)
        r = api.post("/api/ot/editar", data={"id": ot_id, "comentario_general": "Después"})
        assert r.status_code == 409 and r.get_json()["detalles"] == message
        assert r.get_json()["vigente"] == r2
        r = api.post("/api/ot/paso/editar", data={"id": paso, "estatus_paso": "3"})
        assert r.status_code == 409 and r.get_json()["detalles"] == message
        form = {"comentario_general": "Después", "responsable_proyecto": str(base.ids.responsable)}
        r = admin_client.auth.post(f"/ot/{ot_id}/fila", data=form, headers=hx)
        assert r.status_code == 409 and message in r.get_data(as_text=True)
        r = admin_client.get(f"/ot/{ot_id}/fila/editar", headers=hx)
        assert r.status_code == 409 and message in r.get_data(as_text=True)
        r = admin_client.auth.post(f"/ot/paso/{paso}", data={"estatus_paso": "3"}, headers=hx)
        assert r.status_code == 409 and message in r.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(ActividadLog)) == logs
        assert {db.session.get(OTE, i).comentario for i in (r0, r1)} == {""}
    # The current version is editable, fields and steps.
    r = api.post("/api/ot/editar", data={"id": r2, "comentario_general": "Vigente"})
    assert r.status_code == 200, r.get_json()
    r = api.post("/api/ot/paso/editar", data={"id": first_step(app, r2), "estatus_paso": "3"})
    assert r.status_code == 200, r.get_json()


def test_initial_without_live_versions_is_the_current_one(app, api, base):
    r0, r1 = chain(api, base, versions=1)
    api.post("/api/ot/eliminar", data={"id": r1})
    r = api.post("/api/ot/editar", data={"id": r0, "comentario_general": "Otra vez vigente"})
    assert r.status_code == 200, r.get_json()


def test_deleting_the_current_version_makes_the_previous_one_current_and_is_logged(app, api, base):
    r0, r1, r2 = chain(api, base)
    r = api.post("/api/ot/eliminar", data={"id": r2})
    assert r.status_code == 200
    assert (
        r.get_json()["detalles"]
        == f"OT eliminada correctamente; R1 (ID {r1}) vuelve a ser la versión vigente"
    )
    with app.app_context():
        log = db.session.scalars(
            db.select(ActividadLog).where(ActividadLog.entidad_id == r2).order_by(ActividadLog.id.desc())
        ).first()
        assert log.accion == "eliminar"
        assert log.cambios["version_vigente"] == [f"R2 (ID {r2})", f"R1 (ID {r1})"]
    assert api.post("/api/ot/editar", data={"id": r1, "comentario_general": "x"}).status_code == 200
    assert api.post("/api/ot/editar", data={"id": r0, "comentario_general": "x"}).status_code == 409


def test_a_replaced_version_cannot_be_deleted(app, api, base):
    r0, r1, r2 = chain(api, base)
    r = api.post("/api/ot/eliminar", data={"id": r1})
    assert r.status_code == 409
    assert r.get_json()["detalles"] == (
        f"Esta versión fue reemplazada por R2 (ID {r2}): solo la versión vigente de una cadena puede eliminarse."
    )
    # Today's rule stays: an initial OT with live versions is not deleted (its own message).
    r = api.post("/api/ot/eliminar", data={"id": r0})
    assert r.status_code == 409 and "tiene 2 reprogramaciones activas" in r.get_json()["detalles"]


def test_restoring_the_last_version_makes_it_current_again(app, api, api_admin, base):
    r0, r1, r2 = chain(api, base)
    api.post("/api/ot/eliminar", data={"id": r2})
    r = api_admin.post("/api/ot/restaurar", data={"id": r2})
    assert r.status_code == 200
    assert (
        r.get_json()["detalles"]
        == f"OT restaurada correctamente; R2 (ID {r2}) vuelve a ser la versión vigente"
    )
    assert api.post("/api/ot/editar", data={"id": r1, "comentario_general": "x"}).status_code == 409


def test_restoring_a_version_that_is_no_longer_the_last_is_refused(app, api, api_admin, base):
    r0, r1, r2 = chain(api, base)
    api.post("/api/ot/eliminar", data={"id": r2})
    r3 = create(api, base, orden_trabajo="OT-VIG-1", id_tipo=5, ot_principal=r0)
    r = api_admin.post("/api/ot/restaurar", data={"id": r2})
    assert r.status_code == 409
    assert r.get_json()["detalles"] == (
        f"No se puede restaurar R2 (ID {r2}): después de eliminarla se creó R3 (ID {r3}), que es la "
        "versión vigente, y solo la última versión de una cadena puede estar vigente. Para volver a "
        "esos datos, reprograme la versión vigente."
    )
    with app.app_context():
        assert db.session.get(OTE, r2).estatus == 0
