"""Bulk actions on the list's selection (issue 17): one transaction, each OT's version checked (a
row someone else changed meanwhile is reported and skipped, never overwritten), one audit row per
changed OT; the list's toolbar and `POST /api/ot/masivo` share `commands.bulk_change`."""

import pytest

from ot_app.extensions import db
from ot_app.formatting import office_today
from ot_app.models import OTE, ActividadLog, EstatusOTId
from ot_app.orders import commands
from ot_app.orders.forms import BulkForm, parse_selection
from ot_app.service_errors import ValidationFailed

from .. import factories

HX = {"HX-Request": "true"}


def bulk(pairs, **kw):
    return commands.bulk_change({"accion": "estatus", "ots": pairs, **kw}, None)


def logs_of(ot_id):
    return db.session.scalars(
        db.select(ActividadLog).where(ActividadLog.entidad == "ot", ActividadLog.entidad_id == ot_id)
    ).all()


def test_a_bulk_status_change_skips_the_row_someone_else_changed_and_logs_one_row_per_ot(ctx):
    a, b, c = (factories.make_ot() for _ in range(3))
    seen = {ot.id: ot.version for ot in (a, b, c)}
    # Someone else edits b after the person selected it.
    commands.update_order({"id": b.id, "comentario_general": "Cambio de otra persona"}, None)
    before = {ot_id: len(logs_of(ot_id)) for ot_id in seen}
    result = bulk([(ot_id, v) for ot_id, v in seen.items()], id_estatus_ot=EstatusOTId.TERMINADA)
    assert result.cambiadas == [a.id, c.id]
    assert [o["id"] for o in result.omitidas] == [b.id]
    assert "modificó" in result.omitidas[0]["motivo"] and result.tipo_aviso == "advertencia"
    db.session.expire_all()
    assert db.session.get(OTE, a.id).id_estatus_ot == EstatusOTId.TERMINADA
    assert db.session.get(OTE, a.id).fecha_termino_real == office_today()  # the status rule, once
    assert db.session.get(OTE, b.id).id_estatus_ot == EstatusOTId.PROGRAMADA  # never overwritten
    assert db.session.get(OTE, b.id).comentario == "Cambio de otra persona"
    after = {ot_id: len(logs_of(ot_id)) for ot_id in seen}
    assert after == {a.id: before[a.id] + 1, b.id: before[b.id], c.id: before[c.id] + 1}
    assert logs_of(a.id)[-1].accion == "estatus"


def test_deleted_replaced_unknown_and_unchanged_ots_are_reported_not_changed(ctx):
    lone, deleted, first = factories.make_ot(), factories.make_ot(), factories.make_ot()
    commands.delete_order(deleted.id, None)
    commands.reprogram_order({"id": first.id, "motivo": "Ampliación"}, None)
    already = factories.make_ot()
    commands.change_status({"id": already.id, "id_estatus_ot": EstatusOTId.EN_EJECUCION}, None)
    result = bulk(
        [(lone.id, None), (deleted.id, None), (first.id, None), (999_999, None), (already.id, None)],
        id_estatus_ot=EstatusOTId.EN_EJECUCION,
    )
    assert result.cambiadas == [lone.id]
    motivos = {o["id"]: o["motivo"] for o in result.omitidas}
    assert "eliminada" in motivos[deleted.id] or "No existe" in motivos[deleted.id]
    assert "reemplazada" in motivos[first.id]
    assert "No existe" in motivos[999_999]
    assert "ya está" in motivos[already.id]
    assert "1 OT cambió" in result.detalles and "4 sin cambiar" in result.detalles


def test_a_bulk_reassignment_changes_the_project_manager_with_one_audit_row_each(ctx):
    nuevo = factories.make_responsable("Ing. Rosa Díaz")
    ots = [factories.make_ot() for _ in range(2)]
    result = commands.bulk_change(
        {"accion": "responsable", "ots": [(o.id, o.version) for o in ots], "responsable_proyecto": nuevo.id},
        None,
    )
    assert result.cambiadas == [o.id for o in ots] and not result.omitidas
    assert "«Ing. Rosa Díaz»" in result.detalles
    for o in ots:
        assert db.session.get(OTE, o.id).id_responsable_proyecto == nuevo.id
        assert logs_of(o.id)[-1].cambios["id_responsable_proyecto"][1] == nuevo.id
    inactive = factories.make_responsable("Ing. De Baja", activo=False)
    with pytest.raises(ValidationFailed, match="inactivo"):
        commands.bulk_change(
            {"accion": "responsable", "ots": [(ots[0].id, None)], "responsable_proyecto": inactive.id}, None
        )


def test_the_selection_parses_ids_and_versions_and_refuses_junk():
    assert parse_selection("12:3, 15 15") == [(12, 3), (15, None)]
    for junk in ("abc", "12:x", "0", "12:-1", ",".join(str(i) for i in range(1, 300))):
        with pytest.raises(ValueError):
            parse_selection(junk)


def test_the_form_asks_for_the_value_its_action_needs(app):
    from werkzeug.datastructures import MultiDict

    with app.test_request_context():
        form = BulkForm(formdata=MultiDict([("accion", "estatus"), ("ots", "1:1"), ("ots", "2:1")]))
        assert not form.validate() and form.first_errors() == {"id_estatus_ot": "Indique el nuevo estatus."}
        form = BulkForm(formdata=MultiDict([("accion", "borrar"), ("ots", "")]))
        assert not form.validate()
        assert set(form.first_errors()) == {"accion", "ots"}
        form = BulkForm(
            formdata=MultiDict([("accion", "estatus"), ("ots", "1:1"), ("ots", "2"), ("id_estatus_ot", "3")])
        )
        assert form.validate() and form.present_values()["ots"] == [(1, 1), (2, None)]


def test_api_masivo(app, api, api_lector):
    with app.app_context():
        ids = [factories.make_ot().id for _ in range(2)]
    r = api.post(
        "/api/ot/masivo", json={"accion": "estatus", "ots": f"{ids[0]}:1,{ids[1]}:7", "id_estatus_ot": 3}
    )
    body = r.get_json()
    assert r.status_code == 200, body
    assert body["cambiadas"] == [ids[0]] and body["omitidas"][0]["id"] == ids[1]
    assert body["tipo_aviso"] == "advertencia"
    assert api.post("/api/ot/masivo", data={"accion": "estatus"}).status_code == 400
    assert (
        api_lector.post(
            "/api/ot/masivo", data={"accion": "estatus", "ots": "1", "id_estatus_ot": "3"}
        ).status_code
        == 403
    )


def test_the_list_page_posts_the_selection_and_refreshes_the_results(app, editor_client):
    with app.app_context():
        ots = [factories.make_ot() for _ in range(2)]
        pairs = [f"{o.id}:{o.version}" for o in ots]
        ot_id, version = ots[0].id, ots[0].version
    html = editor_client.get("/").get_data(as_text=True)
    # The row carries its id and version; orders.js writes its checkbox (value "id:version") from them.
    assert 'id="masivo"' in html and f'<tr id="ot-{ot_id}" data-row data-v={version}' in html
    r = editor_client.auth.post(
        "/ot/masivo", data={"accion": "estatus", "ots": pairs, "id_estatus_ot": "3"}, headers=HX
    )
    assert r.status_code == 200, r.get_data(as_text=True)
    assert "ot-cambios" in r.headers.get("HX-Trigger", "")
    assert "2 OT cambiaron" in r.headers.get("HX-Trigger", "")
    r = editor_client.auth.post("/ot/masivo", data={"accion": "estatus", "ots": pairs}, headers=HX)
    assert r.status_code == 422 and "Indique el nuevo estatus." in r.get_data(as_text=True)
