"""Crear OT: only from an approved PTE whose checklist is complete (the message says what is
missing), prefilled from the PTE, created Por definir; a PTE may parent several OTs."""

from decimal import Decimal

import pytest
from werkzeug.datastructures import MultiDict

from ot_app.extensions import db
from ot_app.models import OTE, EstatusPasoId, EstatusPTEId, PTEDetalle, Registro
from ot_app.orders import commands as ot_commands
from ot_app.pte import commands, read
from ot_app.service_errors import ServiceError, ValidationFailed

from .. import factories


def approved_pte(complete=True, id_cliente=2):
    pte = commands.create_pte(
        {
            "oficio_pte": "PEP-PTE-0300-2026",
            "descripcion": "Rehabilitación de ductos",
            "id_cliente": id_cliente,
            "monto_mxn": Decimal("2500000.00"),
            "plazo_dias": 60,
            "responsable_proyecto": factories.make_responsable().id,
        },
        None,
    ).pte
    commands.change_status(pte.id, EstatusPTEId.ENVIADA, None)
    commands.change_status(pte.id, EstatusPTEId.APROBADA, None)
    if complete:
        close_all(pte.id)
    return pte


def close_all(pte_id, but=()):
    for step in read.steps_and_progress(pte_id)[0]:
        if step["subpasos"] or step["paso"] in but:
            continue
        commands.set_step({"id": step["id"], "estatus_paso": EstatusPasoId.COMPLETADO}, None)


def more(**kw):
    patio = factories.make_patio()
    db.session.commit()
    base = {"responsable_cliente": "Ing. Laura Méndez", "id_frente": "1", "id_patio": str(patio.id)}
    base.update(kw)
    return MultiDict(base)


def test_complete_and_approved_creates_the_ot_prefilled_por_definir(ctx):
    pte = approved_pte()
    result = commands.create_ot(pte.id, more(), None)
    ot = db.session.get(OTE, result.ot.id)
    assert ot.estatus == Registro.POR_DEFINIR and ot.id_pte_header == pte.id
    assert ot.orden_trabajo == "OT-PEP-PTE-0300-2026"
    assert (ot.descripcion_trabajo, ot.id_cliente, ot.monto_mxn, ot.plazo_dias) == (
        "Rehabilitación de ductos", 2, Decimal("2500000.00"), 60,
    )  # fmt: skip
    # A PTE may parent several OTs: the next proposal is numbered.
    second = commands.create_ot(pte.id, more(descripcion_trabajo="Segunda etapa"), None).ot
    assert second.orden_trabajo == "OT-PEP-PTE-0300-2026-2" and second.descripcion_trabajo == "Segunda etapa"
    assert [o["id"] for o in read.ots_of(pte.id)] == sorted([ot.id, second.id])


def test_incomplete_checklist_is_refused_naming_what_is_missing(ctx):
    pte = approved_pte(complete=False)
    close_all(pte.id, but=("Análisis de precios unitarios",))
    with pytest.raises(ServiceError) as err:
        commands.create_ot(pte.id, more(), None)
    assert err.value.status == 409
    assert err.value.detalles == (
        "La lista de pasos de la PTE PEP-PTE-0300-2026 no está completa: falta «Análisis de precios unitarios»."
    )
    assert db.session.scalar(db.select(db.func.count()).select_from(OTE)) == 0


def test_not_approved_is_refused(ctx):
    pte = commands.create_pte({"oficio_pte": "PEP-X-1", "descripcion": "x", "id_cliente": 2}, None).pte
    close_all(pte.id)
    with pytest.raises(ServiceError, match="no está aprobada"):
        commands.create_ot(pte.id, more(), None)


def test_no_aplica_counts_as_done(ctx):
    pte = approved_pte(complete=False)
    for step in read.steps_and_progress(pte.id)[0]:
        if not step["subpasos"]:
            commands.set_step({"id": step["id"], "estatus_paso": EstatusPasoId.NO_APLICA}, None)
    assert read.missing_for_ot(pte) is None


def test_the_ot_form_and_api_creation_check_the_same_gate(ctx):
    """The gate is orders' too: a new OT from the everyday form waits for the checklist."""
    pte = approved_pte(complete=False)
    form = factories.ot_payload(pte, factories.make_responsable(), patio=factories.make_patio())
    db.session.commit()
    from ot_app.orders.forms import OTForm

    values = OTForm(formdata=MultiDict(form))
    assert values.validate()
    with pytest.raises(ValidationFailed) as err:
        ot_commands.create_order(values.present_values(), None)
    assert "no está completa" in err.value.errores["id_pte_header"]


def test_an_ot_created_por_definir_needs_only_folio_tipo_and_pte(ctx):
    # Issue 17: the other required fields are asked when its first real edit makes it active
    # (tests/orders/test_por_definir.py); before, this refused the missing responsable_cliente.
    pte = approved_pte()
    result = commands.create_ot(pte.id, MultiDict(), None)
    assert result.ot.estatus == Registro.POR_DEFINIR and result.ot.responsable_cliente == ""


def test_api_crear_ot(app, api):
    with app.app_context():
        pte_id = approved_pte().id
        extra = more().to_dict()
    r = api.post("/api/pte/crear-ot", data={"id": pte_id, **extra})
    body = r.get_json()
    assert r.status_code == 200 and body["exito"], body
    ot = api.get(f"/api/ot/obtener?id={body['id_nuevo']}").get_json()["datos"]
    assert ot["estatus"] == Registro.POR_DEFINIR and str(ot["id_pte_id"]) == str(pte_id)
    with app.app_context():
        step = db.session.scalar(db.select(PTEDetalle.id).where(PTEDetalle.id_pte == pte_id))
    api.post("/api/pte/paso/editar", data={"id": step, "estatus_paso": "2"})
    r = api.post("/api/pte/crear-ot", data={"id": pte_id, **extra})
    assert r.status_code == 409 and "no está completa" in r.get_json()["detalles"]
    assert api.post("/api/pte/crear-ot", data={}).status_code == 400


def test_detail_offers_crear_ot_prefilled_only_when_complete(app, editor_client):
    with app.app_context():
        pte = approved_pte(complete=False)
        pte_id = pte.id
    html = editor_client.get(f"/pte/{pte_id}").get_data(as_text=True)
    assert 'id="crear-ot"' not in html and "complete la lista de pasos" in html
    with app.app_context():
        close_all(pte_id)
    html = editor_client.get(f"/pte/{pte_id}").get_data(as_text=True)
    assert (
        'id="crear-ot"' in html and "por_definir=on" in html and "orden_trabajo=OT-PEP-PTE-0300-2026" in html
    )
    form = editor_client.get(
        "/ot/nueva?" + html.split('href="/ot/nueva?')[1].split('"')[0].replace("&amp;", "&")
    )
    page = form.get_data(as_text=True)
    assert (
        'value="OT-PEP-PTE-0300-2026"' in page
        and 'id="por_definir" name="por_definir" value="on" checked' in page
    )
