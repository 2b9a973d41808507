"""OT status changes (issue 13): Terminada stamps the real end date and leaving it clears it; En
ejecución stamps the real start when empty; the comment goes to the log, not over the OT's general
comment; a replaced or deleted OT cannot change; the page's dialog and `POST /api/ot/estatus`."""

from datetime import date

import pytest

from ot_app.extensions import db
from ot_app.formatting import office_today
from ot_app.models import OTE, ActividadLog, EstatusOTId
from ot_app.orders import commands
from ot_app.service_errors import ServiceError, ValidationFailed

from .. import factories

HX = {"HX-Request": "true"}


def change(ot_id, nuevo, **kw):
    return commands.change_status({"id": ot_id, "id_estatus_ot": nuevo, **kw}, None)


def test_terminada_stamps_the_real_end_and_leaving_clears_it(ctx):
    ot = factories.make_ot(comentario_general="Comentario general")
    result = change(ot.id, EstatusOTId.EN_EJECUCION, fecha=date(2026, 2, 2))
    assert db.session.get(OTE, ot.id).fecha_inicio_real == date(2026, 2, 2)
    assert "inicio real: 02/02/2026" in result.detalles
    change(ot.id, EstatusOTId.TERMINADA, comentario="Acta firmada")
    ot = db.session.get(OTE, ot.id)
    assert ot.fecha_termino_real == office_today() and ot.comentario == "Comentario general"
    log = db.session.scalars(db.select(ActividadLog).order_by(ActividadLog.id.desc())).first()
    assert log.accion == "estatus"
    assert log.cambios["id_estatus_ot"] == [EstatusOTId.EN_EJECUCION, EstatusOTId.TERMINADA]
    assert log.cambios["Comentario del cambio de estatus"] == [None, "Acta firmada"]
    change(ot.id, EstatusOTId.EN_EJECUCION)
    ot = db.session.get(OTE, ot.id)
    assert ot.fecha_termino_real is None and ot.fecha_inicio_real == date(2026, 2, 2)  # kept


def test_the_real_end_cannot_precede_the_real_start(ctx):
    ot = factories.make_ot()
    change(ot.id, EstatusOTId.EN_EJECUCION, fecha=date(2026, 3, 1))
    with pytest.raises(ValidationFailed) as err:
        change(ot.id, EstatusOTId.TERMINADA, fecha=date(2026, 2, 1))
    assert "fecha" in err.value.errores
    assert db.session.get(OTE, ot.id).id_estatus_ot == EstatusOTId.EN_EJECUCION


def test_same_status_or_unknown_is_said(ctx):
    ot = factories.make_ot()
    with pytest.raises(ServiceError, match="ya está Programada"):
        change(ot.id, EstatusOTId.PROGRAMADA)
    with pytest.raises(ValidationFailed, match="no existe"):
        change(ot.id, 99)


def test_replaced_and_deleted_ots_cannot_change(ctx):
    first = factories.make_ot()
    commands.reprogram_order({"id": first.id, "motivo": "Ampliación"}, None)
    with pytest.raises(ServiceError, match="reemplazada"):
        change(first.id, EstatusOTId.TERMINADA)
    lone = factories.make_ot()
    commands.delete_order(lone.id, None)
    with pytest.raises(ServiceError, match="eliminada"):
        change(lone.id, EstatusOTId.TERMINADA)


def test_stale_version_is_a_conflict(ctx):
    ot = factories.make_ot()
    with pytest.raises(ServiceError) as err:
        change(ot.id, EstatusOTId.TERMINADA, version=ot.version + 5)
    assert err.value.status == 409


def test_api_estatus(app, api):
    with app.app_context():
        ot_id = factories.make_ot().id
    r = api.post("/api/ot/estatus", data={"id": ot_id, "id_estatus_ot": "4", "fecha": "2026-11-30"})
    assert r.status_code == 200, r.get_json()
    assert api.get(f"/api/ot/obtener?id={ot_id}").get_json()["datos"]["fecha_termino_real"] == "2026-11-30"
    assert api.post("/api/ot/estatus", data={"id": ot_id}).status_code == 400


def test_page_dialog_and_save(app, editor_client):
    with app.app_context():
        ot_id = factories.make_ot().id
    html = editor_client.get(f"/ot/{ot_id}").get_data(as_text=True)
    assert "data-status-page" in html and 'id="ot-dialog-body"' in html
    form = editor_client.get(f"/ot/{ot_id}/estatus?volver=/ot/{ot_id}", headers=HX).get_data(as_text=True)
    assert 'name="id_estatus_ot"' in form and 'name="fecha"' in form and "<html" not in form
    r = editor_client.auth.post(
        f"/ot/{ot_id}/estatus",
        data={"id_estatus_ot": "4", "fecha": "2026-11-30", "volver": "https://evil.example.com/"},
        headers=HX,
    )
    assert r.status_code == 204 and r.headers["HX-Redirect"] == f"/ot/{ot_id}"  # never another host
    page = editor_client.get(f"/ot/{ot_id}").get_data(as_text=True)
    assert "30/11/2026" in page and "cambió el estatus" in page
    r = editor_client.auth.post(f"/ot/{ot_id}/estatus", data={"id_estatus_ot": "4"}, headers=HX)
    assert r.status_code == 422 and "ya está Terminada" in r.get_data(as_text=True)


def test_list_rows_offer_the_status_key(app, editor_client):
    with app.app_context():
        factories.make_ot()
    assert "data-status" in editor_client.get("/").get_data(as_text=True)
