"""PTE checklists: generated on creation by the client's rule, sub-steps that complete and reopen
their step, the Completado stamp, date rules, progress (weights, No aplica, sub-steps once), a
deleted PTE is read-only, and every change logged field by field."""

from datetime import date, timedelta

import pytest

from ot_app.extensions import db
from ot_app.formatting import office_today
from ot_app.models import ActividadLog, EstatusPasoId, PasoPte, PTEDetalle
from ot_app.pte import commands, read
from ot_app.service_errors import ServiceError, ValidationFailed

P, EP, C, NA = (
    EstatusPasoId.PENDIENTE,
    EstatusPasoId.EN_PROCESO,
    EstatusPasoId.COMPLETADO,
    EstatusPasoId.NO_APLICA,
)


def new_pte(id_cliente=2, oficio="PEP-PTE-0001-2026"):
    result = commands.create_pte(
        {"oficio_pte": oficio, "descripcion": "Mantenimiento a ductos", "id_cliente": id_cliente}, None
    )
    return result.pte


def by_name(pte_id):
    steps, _ = read.steps_and_progress(pte_id)
    return {s["paso"]: s for s in steps}


def set_step(step_id, **values):
    return commands.set_step({"id": step_id, **values}, None)


def test_created_with_the_clients_set_in_order_with_substeps_under_their_step(ctx):
    steps, avance = read.steps_and_progress(new_pte(id_cliente=2).id)
    assert [s["n"] for s in steps][:6] == ["1", "2", "3", "3.1", "3.2", "3.3"]
    assert steps[2]["paso"] == "Volumetría" and steps[2]["subpasos"] == 3
    assert steps[3]["id_padre"] == steps[2]["id"]
    assert all(s["estatus_paso"] == P for s in steps)
    # Set 1 (any client): 7 steps count, the 3 sub-steps weigh nothing.
    assert (avance.done, avance.total) == (0, 7)
    pemex = read.steps_and_progress(new_pte(id_cliente=1, oficio="PEP-PTE-0002-2026").id)[0]
    assert "Revisión del Anexo C" in [s["paso"] for s in pemex]


def test_inactive_templates_and_substeps_of_inactive_steps_are_not_generated(ctx):
    db.session.get(PasoPte, 3).activo = False  # Volumetría, whose sub-steps stay active
    db.session.get(PasoPte, 7).activo = False
    db.session.commit()
    names = list(by_name(new_pte().id))
    assert "Volumetría" not in names and "Planos y croquis" not in names
    assert "Análisis de precios unitarios" not in names and len(names) == 5


def test_step_completes_itself_when_every_substep_is_closed_and_reopens(ctx):
    pte = new_pte()
    steps = by_name(pte.id)
    vol, subs = steps["Volumetría"], [steps[n]["id"] for n in ("Planos y croquis", "Cantidades de obra")]
    last = steps["Revisión de la volumetría con el cliente"]["id"]
    set_step(subs[0], estatus_paso=C)
    set_step(subs[1], estatus_paso=NA)
    assert by_name(pte.id)["Volumetría"]["estatus_paso"] == P
    result = set_step(last, estatus_paso=C)
    assert "«Volumetría» quedó Completado" in result.detalles
    parent = db.session.get(PTEDetalle, vol["id"])
    assert parent.estatus_paso == C
    assert parent.fecha_termino == office_today() and parent.fecha_entrega == office_today()
    assert parent.comentario == "Entregables finalizados"
    system = db.session.scalars(
        db.select(ActividadLog).where(ActividadLog.entidad == "pte").order_by(ActividadLog.id.desc())
    ).first()
    assert system.usuario == "sistema" and "Paso «Volumetría»: estatus" in system.cambios

    set_step(subs[0], estatus_paso=EP)  # one reopens: so does the step
    db.session.expire_all()
    parent = db.session.get(PTEDetalle, vol["id"])
    assert parent.estatus_paso == EP
    assert parent.fecha_termino is None and parent.fecha_entrega is None and parent.comentario == ""


def test_a_step_with_substeps_is_not_set_by_hand(ctx):
    pte = new_pte()
    with pytest.raises(ValidationFailed, match="lo dan sus subpasos"):
        set_step(by_name(pte.id)["Volumetría"]["id"], estatus_paso=C)


def test_completado_stamps_delivery_when_empty_and_leaving_clears_only_its_stamp(ctx):
    pte = new_pte()
    first = by_name(pte.id)["Recepción de la solicitud del cliente"]["id"]
    set_step(first, estatus_paso=C)
    assert db.session.get(PTEDetalle, first).fecha_entrega == office_today()
    set_step(first, estatus_paso=EP)
    assert db.session.get(PTEDetalle, first).fecha_entrega is None
    typed = date(2026, 1, 20)
    set_step(first, fecha_entrega=typed)
    set_step(first, estatus_paso=C)
    set_step(first, estatus_paso=P)
    assert db.session.get(PTEDetalle, first).fecha_entrega == typed  # a person's date stays


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"fecha_inicio": date(2026, 3, 10), "fecha_termino": date(2026, 3, 9)}, "fecha_termino"),
        ({"fecha_inicio": date(2026, 3, 10), "fecha_entrega": date(2026, 3, 1)}, "fecha_entrega"),
    ],
)
def test_dates_not_before_the_start(ctx, values, field):
    step = by_name(new_pte().id)["Visita técnica y levantamiento"]["id"]
    with pytest.raises(ValidationFailed) as err:
        set_step(step, **values)
    assert field in err.value.errores and "no puede ser anterior a la de inicio" in err.value.detalles
    assert db.session.get(PTEDetalle, step).fecha_inicio is None  # nothing stored


def test_dates_checked_against_the_stored_start(ctx):
    step = by_name(new_pte().id)["Visita técnica y levantamiento"]["id"]
    set_step(step, fecha_inicio=date(2026, 3, 10))
    with pytest.raises(ValidationFailed, match="término"):
        set_step(step, fecha_termino=date(2026, 3, 1))


def test_every_field_logged(ctx):
    pte = new_pte()
    step = by_name(pte.id)["Visita técnica y levantamiento"]["id"]
    start = date(2026, 3, 10)
    set_step(
        step,
        estatus_paso=EP,
        fecha_inicio=start,
        fecha_termino=start + timedelta(days=2),
        entregable_url="https://sharepoint.example.com/visita.pdf",
        comentario="Con el supervisor",
    )
    log = db.session.scalars(db.select(ActividadLog).order_by(ActividadLog.id.desc())).first()
    label = "Paso «Visita técnica y levantamiento»"
    assert log.cambios == {
        f"{label}: estatus": ["Pendiente", "En proceso"],
        f"{label}: fecha de inicio": [None, "2026-03-10"],
        f"{label}: fecha de término": [None, "2026-03-12"],
        f"{label}: entregable": [None, "https://sharepoint.example.com/visita.pdf"],
        f"{label}: comentario": ["", "Con el supervisor"],
    }
    assert set_step(step, comentario="Con el supervisor").detalles == "Sin cambios en el paso."


def test_progress_weights_no_aplica_and_substeps_once(ctx):
    db.session.get(PasoPte, 1).peso = 3
    db.session.commit()
    pte = new_pte()
    steps = by_name(pte.id)
    set_step(steps["Recepción de la solicitud del cliente"]["id"], estatus_paso=C)
    set_step(steps["Visita técnica y levantamiento"]["id"], estatus_paso=NA)
    _, avance = read.steps_and_progress(pte.id)
    assert (avance.done, avance.total) == (3, 3 + 5)  # 7 steps, one out, one weighing 3
    for name in ("Planos y croquis", "Cantidades de obra", "Revisión de la volumetría con el cliente"):
        set_step(steps[name]["id"], estatus_paso=C)
    _, avance = read.steps_and_progress(pte.id)
    assert (avance.done, avance.total) == (4, 8)  # Volumetría counts once, as itself
    assert read.progress_of([pte.id])[pte.id] == avance  # the list says the same


def test_a_deleted_pte_steps_cannot_change(ctx):
    pte = new_pte()
    step = by_name(pte.id)["Visita técnica y levantamiento"]["id"]
    commands.delete_pte(pte.id, None)
    with pytest.raises(ServiceError, match="eliminada") as err:
        set_step(step, estatus_paso=C)
    assert err.value.status == 409
