"""save_program (issue 19): revision n + 1 with default weights, every error at once, warnings for
dates outside the version's window, the expected revision, the frozen baseline and the copy at
reprogramming."""

from datetime import date
from decimal import Decimal

import pytest

from ot_app.extensions import db
from ot_app.models import ActividadLog, OrigenPrograma, ProgramaActividad, ProgramaLiga, ProgramaRevision
from ot_app.orders import commands as orders
from ot_app.schedules import commands
from ot_app.schedules.commands import FROZEN
from ot_app.service_errors import Conflict, ServiceError, ValidationFailed

from .conftest import act, fase, plan, sample_plan

D = Decimal


def counts():
    return tuple(
        db.session.scalar(db.select(db.func.count()).select_from(model))
        for model in (ProgramaRevision, ProgramaActividad, ProgramaLiga, ActividadLog)
    )


def test_a_program_is_stored_as_revision_1_with_default_weights_totals_and_an_audit_row(ctx, ot):
    saved = commands.save_program(ot, sample_plan(), None, expected_n=0)
    assert saved.advertencias == []
    rev = saved.revision
    assert (rev.n, rev.origen, rev.total_mxn, rev.total_usd) == (1, "captura", D("1000000.00"), D("4000.00"))
    assert not rev.tiene_archivo
    rows = [(a.nivel, a.nombre, a.es_patio, a.peso_mxn, a.peso_usd) for a in rev.actividades]
    assert rows == [
        (1, "Ingeniería", False, D("0"), D("0")),
        (2, "Levantamiento", False, D("10.00"), D("0.00")),
        (2, "Ingeniería de detalle", False, D("20.00"), D("25.00")),
        (1, "Fase de patio", True, D("0"), D("0")),
        (2, "Prefabricado", False, D("30.00"), D("75.00")),
        (2, "Carga y amarre", False, D("40.00"), D("0.00")),
    ]
    # A phase spans its activities.
    assert (rev.actividades[0].inicio, rev.actividades[0].fin) == (date(2026, 2, 2), date(2026, 2, 25))
    by_id = {a.id: a.nombre for a in rev.actividades}
    assert sorted((by_id[li.id_predecesora], by_id[li.id_sucesora]) for li in rev.ligas) == [
        ("Levantamiento", "Ingeniería de detalle"),
        ("Prefabricado", "Carga y amarre"),
    ]
    log = db.session.scalars(db.select(ActividadLog).where(ActividadLog.accion == "guardar_programa")).one()
    assert log.entidad_id == ot and log.cambios["programa"] == [None, "revisión 1 (captura)"]
    again = commands.save_program(ot, sample_plan(), None, expected_n=1)
    assert again.revision.n == 2


def test_a_stale_expected_revision_is_a_409_and_writes_nothing(ctx, ot):
    commands.save_program(ot, sample_plan(), None)
    before = counts()
    with pytest.raises(Conflict, match="va en la revisión 1 y usted partió de la 0") as err:
        commands.save_program(ot, sample_plan(), None, expected_n=0)
    assert err.value.status == 409
    assert counts() == before


def test_every_error_at_once_keyed_by_row_and_field(ctx, ot):
    bad = plan(
        fase("Obra"),
        act("", mxn="10"),
        act("Soldadura", date(2026, 3, 1), date(2026, 2, 1), mxn="-5"),
        act("Pintura", inicio=None, perfil="raro", es_patio=True),
        ligas=[(1, 9, 0), (0, 2, 0)],
    )
    before = counts()
    with pytest.raises(ValidationFailed) as err:
        commands.save_program(ot, bad, None)
    assert err.value.errores == {
        "actividades.1.nombre": "El nombre es obligatorio.",
        "actividades.2.fin": "La fecha de término no puede ser anterior a la de inicio.",
        "actividades.2.monto_mxn": "El importe MXN no puede ser negativo.",
        "actividades.3.es_patio": "Solo una fase puede ser la fase de patio.",
        "actividades.3.inicio": "La fecha de inicio es obligatoria.",
        "actividades.3.perfil": "Perfil no válido: use lineal, inicio, final, campana.",
        "ligas.0": "Liga 1: apunta a una fila que no está en el programa.",
        "ligas.1": "Liga 2: solo se ligan actividades, no fases («Obra» → «Soldadura»).",
    }
    assert counts() == before


def test_a_cycle_of_links_is_refused_naming_the_activities(ctx, ot):
    cyclic = plan(
        fase(),
        act("A", mxn="1"),
        act("B", mxn="1"),
        act("C", mxn="1"),
        ligas=[(1, 2, 0), (2, 3, 0), (3, 1, 0)],
    )
    with pytest.raises(ValidationFailed) as err:
        commands.save_program(ot, cyclic, None)
    assert err.value.errores == {"ligas": "Las ligas forman un ciclo: «A» → «B» → «C» → «A»."}


def test_an_importer_row_reference_prefixes_its_messages(ctx, ot):
    with pytest.raises(ValidationFailed) as err:
        commands.save_program(ot, plan(fase(), act(" ", ref="fila 12")), None)
    assert err.value.errores == {"actividades.1.nombre": "fila 12: El nombre es obligatorio."}


def test_edited_weights_are_kept_and_above_100_is_an_error_naming_the_currency(ctx, ot):
    p = plan(fase(), act("A", mxn="100", peso_mxn=D("70")), act("B", mxn="100"), act("C", mxn="300"))
    rev = commands.save_program(ot, p, None).revision
    assert [(a.peso_mxn, a.peso_editado_mxn, a.peso_editado_usd) for a in rev.actividades[1:]] == [
        (D("70.00"), True, False),  # typed in MXN only
        (D("7.50"), False, False),
        (D("22.50"), False, False),
    ]
    over = plan(fase(), act("A", usd="1", peso_usd=D("60")), act("B", usd="1", peso_usd=D("50")))
    with pytest.raises(ValidationFailed) as err:
        commands.save_program(ot, over, None)
    assert err.value.errores == {
        "peso_usd": "Los pesos USD editados suman 110.00 %: no pueden pasar de 100.00 %."
    }


def test_an_activity_before_any_phase_gets_an_implicit_phase_and_dates_outside_the_window_warn(ctx, ot):
    p = plan(act("Movilización", date(2026, 1, 20), date(2026, 2, 5), mxn="10"), act("Obra", mxn="10"))
    saved = commands.save_program(ot, p, None)
    assert [(a.nivel, a.nombre) for a in saved.revision.actividades] == [
        (1, "General"),
        (2, "Movilización"),
        (2, "Obra"),
    ]
    assert saved.advertencias == [
        "Se agregó la fase «General» para las actividades antes de la primera fase.",
        "«Movilización» (20/01/2026 a 05/02/2026) sale del periodo programado de la OT (01/02/2026 a 17/03/2026).",
    ]


def test_one_yard_phase_only(ctx, ot):
    p = plan(fase("Patio 1", es_patio=True), act("A"), fase("Patio 2", es_patio=True), act("B"))
    with pytest.raises(ValidationFailed) as err:
        commands.save_program(ot, p, None)
    assert err.value.errores == {"actividades.2.es_patio": "Solo puede haber una fase de patio."}


def test_a_missing_or_deleted_ot(ctx, ot):
    with pytest.raises(ServiceError) as err:
        commands.save_program(999_999, sample_plan(), None)
    assert err.value.status == 404
    orders.delete_order(ot, None)
    with pytest.raises(ServiceError, match="eliminada") as err:
        commands.save_program(ot, sample_plan(), None)
    assert err.value.status == 409


def test_reprogramming_copies_the_program_shifted_and_freezes_the_baseline(ctx, ot):
    base = commands.save_program(ot, sample_plan(), None).revision
    base_rows = [(a.nombre, a.inicio, a.fin, a.peso_mxn) for a in base.actividades]
    new = orders.reprogram_order(
        {"id": ot, "motivo": "Ampliación", "fecha_inicio_programado": date(2026, 2, 11)}, None
    ).ot
    copy = db.session.scalars(db.select(ProgramaRevision).where(ProgramaRevision.id_ot == new.id)).one()
    assert (copy.n, copy.origen) == (1, OrigenPrograma.COPIA.value)
    assert (copy.total_mxn, copy.total_usd) == (base.total_mxn, base.total_usd)
    # Ten days later start: every date ten days later; names, weights and links kept.
    assert [(a.nombre, a.inicio, a.fin, a.peso_mxn) for a in copy.actividades] == [
        (n, i and date.fromordinal(i.toordinal() + 10), f and date.fromordinal(f.toordinal() + 10), w)
        for n, i, f, w in base_rows
    ]
    names = {a.id: a.nombre for a in copy.actividades}
    assert sorted((names[li.id_predecesora], names[li.id_sucesora]) for li in copy.ligas) == [
        ("Levantamiento", "Ingeniería de detalle"),
        ("Prefabricado", "Carga y amarre"),
    ]
    with pytest.raises(ServiceError, match=FROZEN) as err:
        commands.save_program(ot, sample_plan(), None)
    assert err.value.status == 409
    # The new version's program is editable: its revision 2.
    assert commands.save_program(new.id, sample_plan(), None, expected_n=1).revision.n == 2
    db.session.expire_all()
    assert [
        (a.nombre, a.inicio, a.fin, a.peso_mxn) for a in db.session.get(ProgramaRevision, base.id).actividades
    ] == base_rows


def test_a_version_without_program_reprograms_without_one(ctx, ot):
    new = orders.reprogram_order({"id": ot, "motivo": "Ampliación"}, None).ot
    assert db.session.scalar(db.select(db.func.count()).where(ProgramaRevision.id_ot == new.id)) == 0


def test_monthly_distributions_move_by_whole_months(ctx):
    from ot_app.schedules.commands import _shift_distribution

    monthly = {"mxn": {"2026-02-01": "10.00", "2026-03-01": "5.00"}, "usd": {}}
    assert _shift_distribution(monthly, 45, 2)["mxn"] == {"2026-04-01": "10.00", "2026-05-01": "5.00"}
    daily = {"mxn": {"2026-02-03": "1.00"}}
    assert _shift_distribution(daily, 10, 0) == {"mxn": {"2026-02-13": "1.00"}}


def test_weights_typed_in_one_currency_leave_the_other_following_its_amounts(ctx, ot):
    """Edited MXN weights keep the USD ones defaults (recomputed when the amounts change), and the
    reverse; re-editing the saved revision in the grid keeps each flag as it was."""
    from ot_app.schedules.forms import read_rows, rows_of

    first = plan(
        fase(),
        act("A", mxn="100", usd="100", peso_mxn=D("70")),
        act("B", mxn="100", usd="100", peso_usd=D("10")),
        act("C", mxn="100", usd="100"),
    )
    rev = commands.save_program(ot, first, None).revision

    def weights(revision):
        return [
            (a.peso_mxn, a.peso_editado_mxn, a.peso_usd, a.peso_editado_usd) for a in revision.actividades[1:]
        ]

    assert weights(rev) == [
        (D("70.00"), True, D("45.00"), False),
        (D("15.00"), False, D("10.00"), True),
        (D("15.00"), False, D("45.00"), False),
    ]
    # The grid's rows of that revision: only the typed weights come back typed.
    rows = rows_of(rev)
    assert [(r["peso_mxn"], r["peso_usd"]) for r in rows[1:]] == [("70.00", ""), ("", "10.00"), ("", "")]
    # A's USD amount and B's MXN amount change: the defaults follow, the typed weights stay.
    rows[1]["monto_usd"] = "300.00"
    rows[2]["monto_mxn"] = "300.00"
    lectura = read_rows(rows, None)
    assert not lectura.errores
    rev2 = commands.save_program(ot, lectura.plan, None, expected_n=1).revision
    assert weights(rev2) == [
        (D("70.00"), True, D("67.50"), False),
        (D("22.50"), False, D("10.00"), True),
        (D("7.50"), False, D("22.50"), False),
    ]
