"""PTE rules: unique oficio, the status workflow, the approved-PTE gate, logical delete."""

import pytest

from ot_app.extensions import db
from ot_app.models import ActividadLog, PTEHeader
from ot_app.pte import commands, read
from ot_app.service_errors import Conflict, ServiceError, ValidationFailed

from .. import factories


def values(**kw):
    base = {"oficio_pte": "PEP-PTE-0001-2026", "descripcion": "Mantenimiento a ductos", "id_cliente": 1}
    base.update(kw)
    return base


def test_create_starts_en_elaboracion_and_logs(ctx):
    pte = commands.create_pte(values(), None).pte
    assert pte.id_estatus_pte == 1 and pte.estatus == 1
    assert db.session.scalar(db.select(ActividadLog.accion).where(ActividadLog.entidad == "pte")) == "crear"


def test_oficio_unique_trimmed_case_insensitive(ctx):
    commands.create_pte(values(), None)
    with pytest.raises(ValidationFailed) as err:
        commands.create_pte(values(oficio_pte=" pep-pte-0001-2026 "), None)
    assert err.value.errores["oficio_pte"].startswith("Ya existe la PTE PEP-PTE-0001-2026")


@pytest.mark.parametrize(
    ("path", "ok"),
    [
        ([2, 3], True),
        ([4], True),
        ([2, 4], True),
        ([3], False),
        ([2, 3, 4], False),
        ([4, 2], False),
        ([2, 1], False),
    ],
)
def test_status_workflow(ctx, path, ok):
    pte = commands.create_pte(values(), None).pte
    try:
        for nuevo in path:
            commands.change_status(pte.id, nuevo, None)
    except ValidationFailed as err:
        assert not ok
        assert "no puede pasar a" in err.detalles
    else:
        assert ok


def test_invalid_transition_message_says_what_is_allowed(ctx):
    pte = commands.create_pte(values(), None).pte
    with pytest.raises(ValidationFailed) as err:
        commands.change_status(pte.id, 3, None)
    assert err.value.detalles == (
        "Una PTE En elaboración no puede pasar a Aprobada. Desde En elaboración solo puede pasar a: Enviada, Cancelada."
    )


def test_status_change_is_logged(ctx):
    pte = commands.create_pte(values(), None).pte
    commands.change_status(pte.id, 2, None)
    log = db.session.scalars(db.select(ActividadLog).where(ActividadLog.accion == "estatus")).one()
    assert log.cambios == {"estatus_pte": ["En elaboración", "Enviada"]}


def test_approved_gate_only_an_approved_pte_parents_an_ot(ctx):
    pte = commands.create_pte(values(), None).pte
    with pytest.raises(ValidationFailed, match="no está aprobada"):
        factories.make_ot(pte=pte)
    commands.change_status(pte.id, 2, None)
    commands.change_status(pte.id, 3, None)
    with pytest.raises(ValidationFailed, match="lista de pasos .* no está completa"):
        factories.make_ot(pte=db.session.get(PTEHeader, pte.id))  # and its checklist complete (issue 13)
    for step in read.steps_and_progress(pte.id)[0]:
        if not step["subpasos"]:
            commands.set_step({"id": step["id"], "estatus_paso": 4}, None)
    assert factories.make_ot(pte=db.session.get(PTEHeader, pte.id)).id_pte_header == pte.id


def test_delete_refused_while_it_has_active_ots(ctx):
    pte = factories.make_pte("PTE-CON-OT")
    ot = factories.make_ot(pte=pte)
    with pytest.raises(ServiceError, match="tiene 1 OT activa"):
        commands.delete_pte(pte.id, None)
    from ot_app.orders.commands import delete_order

    delete_order(ot.id, None)
    commands.delete_pte(pte.id, None)
    assert db.session.get(PTEHeader, pte.id).estatus == 0


def test_edit_with_stale_version_is_a_conflict(ctx):
    pte = commands.create_pte(values(), None).pte
    commands.update_pte({"id": pte.id, "version": 1, "plazo_dias": 30}, None)
    with pytest.raises(Conflict):
        commands.update_pte({"id": pte.id, "version": 1, "plazo_dias": 60}, None)
    assert db.session.get(PTEHeader, pte.id).plazo_dias == 30


def test_ots_nested_with_their_versions(ctx):
    pte = factories.make_pte("PTE-NIDO")
    first = factories.make_ot(pte=pte, orden_trabajo="OT-N-1")
    factories.make_ot(pte=pte, orden_trabajo="OT-N-1", id_tipo=5, ot_principal=first.id)
    factories.make_ot(pte=pte, orden_trabajo="OT-N-2")
    items = read.ots_of(pte.id)
    assert [(i["orden_trabajo"], len(i["versiones"])) for i in items] == [("OT-N-1", 1), ("OT-N-2", 0)]


def test_list_search_and_filters(ctx):
    commands.create_pte(values(oficio_pte="PEP-A", descripcion="Pintura"), None)
    commands.create_pte(values(oficio_pte="PEP-B", descripcion="Soldadura", id_cliente=2), None)
    rows, total = read.list_ptes(read.PTEQuery(q="pint"))
    assert total == 1 and rows[0]["oficio_pte"] == "PEP-A"
    rows, total = read.list_ptes(read.PTEQuery(id_cliente=2))
    assert [r["oficio_pte"] for r in rows] == ["PEP-B"]
