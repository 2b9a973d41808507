"""Editing an OT (issue 9 "Edit", design.md rule 3) and the yard phase on edit."""

from ot_app.extensions import db
from ot_app.models import OTE, ActividadLog, OTDetalle

from .. import factories
from .conftest import counts


def created(api, base, **kw):
    r = api.post("/api/ot/crear", data=base.payload(**kw))
    assert r.status_code == 200, r.get_json()
    return r.get_json()["id_nuevo"]


def row(app, id_):
    with app.app_context():
        return db.session.get(OTE, id_)


def test_edit_requires_id(api):
    r = api.post("/api/ot/editar", data={"orden_trabajo": "X"})
    assert r.status_code == 400
    assert r.get_json()["detalles"] == "ID del OT no proporcionado"


def test_edit_unknown_id_is_404(api):
    r = api.post("/api/ot/editar", data={"id": "424242"})
    assert r.status_code == 404
    assert r.get_json()["exito"] is False


def test_edit_absent_field_keeps_its_value_and_empty_optional_is_cleared(app, api, base):
    ot_id = created(api, base, oficio_ot="PEP-1", comentario_general="Nota inicial")
    r = api.post(
        "/api/ot/editar", data={"id": ot_id, "descripcion_trabajo": "Nuevo alcance", "oficio_ot": ""}
    )
    assert r.status_code == 200, r.get_json()
    ot = row(app, ot_id)
    assert ot.descripcion_trabajo == "Nuevo alcance"
    assert ot.oficio_ot is None  # sent empty: cleared
    assert ot.comentario == "Nota inicial"  # absent: kept
    assert ot.responsable_cliente == "Ing. Laura Méndez"


def test_edit_required_field_cannot_be_emptied(app, api, base):
    ot_id = created(api, base)
    r = api.post("/api/ot/editar", data={"id": ot_id, "descripcion_trabajo": ""})
    assert r.status_code == 400
    assert r.get_json()["errores"] == {"descripcion_trabajo": "La descripción del trabajo es obligatoria."}


def test_edit_por_definir_becomes_active(app, api, base):
    ot_id = created(api, base, por_definir="on")
    r = api.post("/api/ot/editar", data={"id": ot_id, "comentario_general": "Ya definida"})
    assert "Por definir" in r.get_json()["detalles"]
    assert row(app, ot_id).estatus == 1


def test_edit_changing_tipo_or_client_does_not_regenerate_steps(app, api, base):
    ot_id = created(api, base)
    with app.app_context():
        before = db.session.scalars(db.select(OTDetalle.id).where(OTDetalle.id_ot == ot_id)).all()
    api.post("/api/ot/editar", data={"id": ot_id, "id_cliente": "3"})
    with app.app_context():
        after = db.session.scalars(db.select(OTDetalle.id).where(OTDetalle.id_ot == ot_id)).all()
    assert before == after and row(app, ot_id).id_cliente == 3


def test_edit_same_validation_as_create(app, api, base):
    ot_id = created(api, base)
    with app.app_context():
        before = counts()
    r = api.post(
        "/api/ot/editar", data={"id": ot_id, "monto_mxn": "abc", "fecha_inicio_programado": "2030-13-01"}
    )
    assert set(r.get_json()["errores"]) == {"monto_mxn", "fecha_inicio_programado"}
    with app.app_context():
        assert counts() == before


def test_edit_stale_version_is_a_409_naming_who_saved(app, api, base):
    ot_id = created(api, base)
    v1 = row(app, ot_id).version
    ok = api.post("/api/ot/editar", data={"id": ot_id, "version": v1, "comentario_general": "mía"})
    assert ok.status_code == 200 and ok.get_json()["version"] == v1 + 1
    stale = api.post("/api/ot/editar", data={"id": ot_id, "version": v1, "comentario_general": "de otro"})
    body = stale.get_json()
    assert stale.status_code == 409
    assert body["quien"] == "Api_Editor" and body["version_actual"] == v1 + 1
    assert "modificada por Api_Editor" in body["detalles"]
    assert row(app, ot_id).comentario == "mía"


def test_edit_logs_field_old_new_and_nothing_when_unchanged(app, api, base):
    ot_id = created(api, base)
    api.post("/api/ot/editar", data={"id": ot_id, "plazo_dias": "60"})
    api.post("/api/ot/editar", data={"id": ot_id, "plazo_dias": "60"})
    with app.app_context():
        rows = db.session.scalars(db.select(ActividadLog).where(ActividadLog.accion == "editar")).all()
    assert len(rows) == 1
    assert rows[0].cambios == {"plazo_dias": [45, 60]}


def test_edit_inactive_catalog_kept_when_unchanged(app, api, base):
    ot_id = created(api, base)
    with app.app_context():
        factories.db.session.get(type(base.patio), base.ids.patio).activo = False
        db.session.commit()
    r = api.post(
        "/api/ot/editar", data={"id": ot_id, "id_frente": "1", "id_patio": base.ids.patio, "plazo_dias": 5}
    )
    assert r.status_code == 200, r.get_json()
    ot = row(app, ot_id)
    assert (ot.id_patio, ot.plazo_dias) == (base.ids.patio, 5)  # the inactive yard it had is kept


def test_edit_yard_offshore_phase_cleared_when_checkbox_absent(app, api, base):
    ot_id = created(
        api,
        base,
        id_frente=2,
        check_fase_patio="on",
        id_patio_fase=base.ids.patio2,
        fecha_inicio_patio="2026-01-10",
        fecha_fin_patio="2026-01-20",
    )
    assert row(app, ot_id).requiere_patio is True
    api.post("/api/ot/editar", data={"id": ot_id, "id_frente": "2"})
    ot = row(app, ot_id)
    assert (ot.id_patio, ot.requiere_patio, ot.fecha_inicio_patio, ot.fecha_fin_patio) == (
        None,
        False,
        None,
        None,
    )


def test_edit_yard_untouched_when_no_yard_field_is_sent(app, api, base):
    ot_id = created(
        api,
        base,
        id_frente=2,
        check_fase_patio="on",
        id_patio_fase=base.ids.patio2,
        fecha_inicio_patio="2026-01-10",
        fecha_fin_patio="2026-01-20",
    )
    r = api.post("/api/ot/editar", data={"id": ot_id, "plazo_dias": "10"})
    assert r.status_code == 200, r.get_json()
    ot = row(app, ot_id)
    assert ot.plazo_dias == 10
    assert (ot.requiere_patio, ot.id_patio, str(ot.fecha_inicio_patio), str(ot.fecha_fin_patio)) == (
        True,
        base.ids.patio2,
        "2026-01-10",
        "2026-01-20",
    )


def test_edit_yard_land_front_compares_values_not_types(app, api, base):
    ot_id = created(api, base, id_frente=2)
    api.post("/api/ot/editar", data={"id": ot_id, "id_frente": "1", "id_patio": base.ids.patio2})
    ot = row(app, ot_id)
    assert (ot.id_frente, ot.id_patio, ot.requiere_patio) == (1, base.ids.patio2, False)


def test_chain_initial_with_versions_is_replaced_so_not_editable(app, api, base):
    """Issue 12: an initial OT with a live version is replaced by it. Before, its tipo could not
    change but its folio could (renaming the chain); now neither can: every edit is a 409."""
    first = created(api, base, orden_trabajo="OT-CH-1")
    version = created(api, base, orden_trabajo="OT-CH-1", id_tipo=5, ot_principal=first)
    message = f"Esta versión fue reemplazada por R1 (ID {version}): edite la versión vigente."
    for data in ({"id_tipo": "5", "ot_principal": "1"}, {"orden_trabajo": "OT-CH-1-BIS"}):
        r = api.post("/api/ot/editar", data={"id": first, **data})
        assert r.status_code == 409
        assert (r.get_json()["detalles"], r.get_json()["vigente"]) == (message, version)
    assert row(app, version).orden_trabajo == row(app, first).orden_trabajo == "OT-CH-1"


def test_chain_version_folio_cannot_change_alone(app, api, base):
    first = created(api, base, orden_trabajo="OT-CH-1")
    version = created(api, base, orden_trabajo="OT-CH-1", id_tipo=5, ot_principal=first)
    r = api.post("/api/ot/editar", data={"id": version, "orden_trabajo": "OT-OTRA"})
    assert (
        r.get_json()["errores"]["orden_trabajo"]
        == "Una reprogramación lleva el folio de su OT inicial: OT-CH-1."
    )


def test_chain_version_can_only_point_to_an_initial_ot(app, api, base):
    first = created(api, base, orden_trabajo="OT-CH-1")
    v1 = created(api, base, orden_trabajo="OT-CH-1", id_tipo=5, ot_principal=first)
    v2 = created(api, base, orden_trabajo="OT-CH-1", id_tipo=5, ot_principal=first)
    r = api.post("/api/ot/editar", data={"id": v2, "ot_principal": v1})
    assert "no es una OT inicial" in r.get_json()["errores"]["ot_principal"]


def test_chain_initial_folio_change_checks_uniqueness(app, api, base):
    created(api, base, orden_trabajo="OT-A")
    other = created(api, base, orden_trabajo="OT-B")
    r = api.post("/api/ot/editar", data={"id": other, "orden_trabajo": " ot-a "})
    assert r.get_json()["errores"]["orden_trabajo"].startswith("Ya existe una OT inicial con el folio")


def test_yard_switching_to_land_clears_vessel_platform_intercom(app, api, base):
    ot_id = created(
        api,
        base,
        id_frente=2,
        id_embarcacion=base.ids.embarcacion,
        id_plataforma=base.ids.plataforma,
        id_intercom=base.ids.intercom,
    )
    r = api.post("/api/ot/editar", data={"id": ot_id, "id_frente": "1", "id_patio": base.ids.patio})
    assert r.status_code == 200, r.get_json()
    ot = row(app, ot_id)
    assert (ot.id_embarcacion, ot.id_plataforma, ot.id_intercom, ot.id_patio) == (
        None,
        None,
        None,
        base.ids.patio,
    )
