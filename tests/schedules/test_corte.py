"""Cut-offs (schedules/cortes.py): the date rules, the typed % and its checks, the steps' %, SPI
and days of slip, and the snapshot that never changes."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from ot_app.extensions import db
from ot_app.models import ActividadLog, Corte, CorteAvance, EstatusPasoId, OTDetalle
from ot_app.orders import commands as ot_commands
from ot_app.orders import read as orders_read
from ot_app.schedules import spread
from ot_app.schedules.cortes import record_cut, slip_days, suggested_date
from ot_app.schedules.curves import inputs
from ot_app.service_errors import ServiceError

from .. import factories
from .curve_builders import make_program, two_activities

D = Decimal
FRI = date(2026, 2, 13)


@pytest.fixture
def programmed(ctx):
    ot = factories.make_ot()
    rev = two_activities(ot.id)
    return ot, rev.actividades[1].id, rev.actividades[2].id


def _error(call) -> ServiceError:
    with pytest.raises(ServiceError) as info:
        call()
    return info.value


def test_a_cut_off_on_another_weekday_is_refused_naming_the_previous_one(programmed):
    ot, lev, pre = programmed
    err = _error(lambda: record_cut(ot.id, date(2026, 2, 11), {lev: "10"}, None))
    assert (
        err.errores["fecha_corte"]
        == "El corte es semanal, en viernes: el anterior a esa fecha es el 06/02/2026."
    )


def test_the_weekday_is_the_installations(app, programmed):
    ot, lev, _ = programmed
    app.config["CORTE_DIA_SEMANA"] = "miércoles"
    assert record_cut(ot.id, date(2026, 2, 11), {lev: "10"}, None).corte.fecha_corte == date(2026, 2, 11)
    assert suggested_date(date(2026, 2, 13)) == date(2026, 2, 11)


def test_a_future_cut_off_is_refused(programmed):
    ot, lev, _ = programmed
    future = suggested_date() + timedelta(days=7)
    assert "futura" in _error(lambda: record_cut(ot.id, future, {lev: "1"}, None)).errores["fecha_corte"]


def test_a_cut_off_is_written_once_and_never_before_the_last(programmed):
    ot, lev, _ = programmed
    record_cut(ot.id, FRI, {lev: "10"}, None)
    for day in (FRI, FRI - timedelta(days=7)):
        err = _error(lambda day=day: record_cut(ot.id, day, {lev: "20"}, None))
        assert err.status == 409 and "no se reescribe" in err.detalles
    assert db.session.scalar(select(Corte.real_mxn).where(Corte.id_ot == ot.id)) == D("2.50")


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("101", "El avance debe estar entre 0 y 100 %."),
        ("-1", "El avance debe estar entre 0 y 100 %."),
        ("abc", "Escribe un porcentaje entre 0 y 100."),
        ("10.555", "El avance lleva a lo más dos decimales."),
    ],
)
def test_each_bad_percentage_has_its_message(programmed, value, message):
    ot, lev, _ = programmed
    assert _error(lambda: record_cut(ot.id, FRI, {lev: value}, None)).errores[f"avance_{lev}"] == message


def test_going_down_needs_a_comment(programmed):
    ot, lev, pre = programmed
    record_cut(ot.id, FRI, {lev: "50", pre: "10"}, None)
    later = FRI + timedelta(days=7)
    err = _error(lambda: record_cut(ot.id, later, {lev: "40"}, None))
    assert err.errores[f"avance_{lev}"] == "Baja de 50.00 a 40.00 %: explica por qué en el comentario."
    corte = record_cut(ot.id, later, {lev: "40"}, None, comentario="Se rehízo el levantamiento").corte
    kept = dict(
        db.session.execute(
            select(CorteAvance.id_actividad, CorteAvance.avance).where(CorteAvance.id_corte == corte.id)
        ).all()
    )
    assert kept == {lev: D("40.00"), pre: D("10.00")}  # an activity left out keeps its value


def test_actual_spi_and_slip_are_stored_per_currency(programmed):
    ot, lev, pre = programmed
    corte = record_cut(ot.id, FRI, {lev: "80", pre: "0"}, None).corte
    t = D(5) / D(26)
    planned_mxn = D(25) + D(75) * t * t * (3 - 2 * t)
    assert corte.real_mxn == D("20.00") and corte.real_usd == D("0.00")
    assert corte.planeado_mxn == planned_mxn.quantize(D("0.01"))
    assert corte.spi_mxn == (D(20) / planned_mxn).quantize(D("0.001"))
    assert corte.spi_usd == D("0.000")
    # Slip: the first day the plan reached 20 % (MXN), found by walking the days.
    tramos = inputs(ot.__class__.id == ot.id)[ot.id]["mxn"].tramos
    day = date(2026, 2, 1)
    while spread.cumulative(tramos, [day])[0] < 20:
        day += timedelta(days=1)
    usd_tramos = inputs(ot.__class__.id == ot.id)[ot.id]["usd"].tramos
    assert corte.dias_atraso == max((FRI - day).days, slip_days(usd_tramos, D(0), FRI))
    log = db.session.scalars(select(ActividadLog).where(ActividadLog.accion == "corte")).one()
    assert log.entidad_id == ot.id and log.cambios["fecha de corte"] == [None, "2026-02-13"]


def test_ahead_of_plan_has_no_slip(programmed):
    ot, lev, pre = programmed
    corte = record_cut(ot.id, FRI, {lev: "100", pre: "100"}, None).corte
    assert corte.dias_atraso == 0 and corte.spi_mxn > 1


def test_without_a_program_the_percentage_comes_from_the_steps(ctx):
    ot = factories.make_ot(fecha_inicio_programado="2026-02-02", fecha_termino_programado="2026-02-15")
    pasos = db.session.scalars(
        select(OTDetalle.id).where(OTDetalle.id_ot == ot.id).order_by(OTDetalle.id)
    ).all()
    ot_commands.set_step({"id": pasos[0], "estatus_paso": EstatusPasoId.COMPLETADO}, None)
    _steps, avance = orders_read.steps_and_progress(ot.id)
    corte = record_cut(ot.id, FRI, None, None).corte
    expected = (D(avance.done) * 100 / D(avance.total)).quantize(D("0.01"))
    assert corte.origen == "pasos" and corte.real_mxn == expected == corte.real_usd
    assert corte.planeado_mxn == D("85.71")  # 12 of 14 days, linear by its dates
    assert corte.spi_usd is None  # nothing planned in USD


def test_a_replaced_version_takes_no_cut_off(programmed):
    ot, lev, _ = programmed
    ot_commands.reprogram_order({"id": ot.id, "motivo": "Ampliación"}, None)
    assert _error(lambda: record_cut(ot.id, FRI, {lev: "10"}, None)).status == 409


def _snapshot(corte_id):
    c = db.session.get(Corte, corte_id)
    db.session.refresh(c)
    return (
        c.planeado_mxn,
        c.planeado_usd,
        c.real_mxn,
        c.real_usd,
        c.spi_mxn,
        c.spi_usd,
        c.dias_atraso,
        c.id_revision,
    )


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.integers(0, 60), st.integers(1, 90), st.integers(1, 10**7))
def test_a_cut_off_snapshot_never_changes_when_the_plan_changes(ctx, shift, length, amount):
    ot = factories.make_ot()
    rev = two_activities(ot.id)
    corte = record_cut(ot.id, FRI, {rev.actividades[1].id: "50"}, None).corte
    before = _snapshot(corte.id)
    start = date(2026, 1, 1) + timedelta(days=shift)
    make_program(
        ot.id, [{"inicio": start, "fin": start + timedelta(days=length), "mxn": str(amount), "usd": "1"}]
    )
    assert _snapshot(corte.id) == before
