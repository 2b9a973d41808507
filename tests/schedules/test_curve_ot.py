"""S-curves of an OT version and of aggregates (schedules/curves.py), on the real database."""

from datetime import date
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ot_app.extensions import db
from ot_app.models import OTE
from ot_app.orders import commands as ot_commands
from ot_app.schedules import curves, spread
from ot_app.schedules.cortes import record_cut

from .. import factories
from .curve_builders import make_program, two_activities

D = Decimal


def _points(curva):
    return {p.periodo: p for p in curva.puntos}


def test_an_ot_without_program_is_planned_linearly_over_its_dates(ctx):
    ot = factories.make_ot(fecha_inicio_programado="2026-02-02", fecha_termino_programado="2026-02-15")
    curva = curves.ot_curve(ot, "mxn", "semana")
    assert curva.origen == "fechas"
    assert [(p.periodo, p.planeado) for p in curva.puntos] == [
        ("2026-02-06", "35.71"),  # 5 of 14 days
        ("2026-02-13", "85.71"),
        ("2026-02-20", "100.00"),
    ]
    assert [p.planeado_v1 for p in curva.puntos] == [p.planeado for p in curva.puntos]  # it is version 1
    assert all(p.real is None for p in curva.puntos)  # no cut-off yet


def test_a_currency_without_amount_has_no_curve(ctx):
    ot = factories.make_ot(monto_usd="0")
    curva = curves.ot_curve(ot, "usd", "semana")
    assert curva.puntos == [] and curva.vacia


def test_an_ot_with_a_program_follows_its_weights_and_profiles(ctx):
    ot = factories.make_ot()
    two_activities(ot.id)
    mxn = _points(curves.ot_curve(ot, "mxn", "semana"))
    usd = _points(curves.ot_curve(ot, "usd", "semana"))
    t = D(5) / D(26)  # Prefabricado (bell, 26 days) by 2026-02-13
    bell = t * t * (3 - 2 * t)
    assert mxn["2026-02-13"].planeado == spread.pct(D(25) + D(75) * bell)  # Levantamiento done
    assert usd["2026-02-13"].planeado == spread.pct(D(100) * bell)
    assert mxn["2026-03-06"].planeado == "100.00"
    assert list(mxn)[-1] == "2026-03-06"
    assert curves.ot_curve(ot, "mxn", "mes").puntos[-1].periodo == "2026-03"


def test_version_1_stays_the_baseline_after_a_reprogramming(ctx):
    first = factories.make_ot()
    two_activities(first.id)
    before = curves.baseline_curve(first.id, "mxn", "semana")
    r1 = ot_commands.reprogram_order({"id": first.id, "motivo": "Ampliación"}, None).ot
    make_program(
        r1.id, [{"nombre": "Todo", "inicio": date(2026, 3, 1), "fin": date(2026, 5, 29), "mxn": "9"}]
    )
    assert curves.baseline_curve(first.id, "mxn", "semana") == before
    now = _points(curves.ot_curve(db.session.get(OTE, r1.id), "mxn", "semana"))
    for periodo, value in before:
        assert now[periodo].planeado_v1 == value
    assert now["2026-03-06"].planeado != now["2026-03-06"].planeado_v1


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(
        st.tuples(
            st.integers(0, 120),
            st.integers(0, 60),
            st.integers(1, 10**6),
            st.sampled_from(spread.PerfilAvance),
        ),
        min_size=1,
        max_size=5,
    )
)
def test_version_1_curve_is_byte_identical_after_any_later_reprogramming(ctx, later):
    first = factories.make_ot()
    two_activities(first.id)
    before = repr(curves.baseline_curve(first.id, "usd", "mes"))
    r1 = ot_commands.reprogram_order({"id": first.id, "motivo": "Cambio"}, None).ot
    rows = []
    for start, length, amount, perfil in later:
        inicio = date(2026, 2, 1) + spread.timedelta(days=start)
        rows.append(
            {
                "inicio": inicio,
                "fin": inicio + spread.timedelta(days=length),
                "usd": str(amount),
                "perfil": perfil,
            }
        )
    make_program(r1.id, rows)
    assert repr(curves.baseline_curve(first.id, "usd", "mes")) == before


def test_actual_curve_comes_from_the_cut_offs_and_stops_at_the_last(ctx):
    ot = factories.make_ot()
    rev = two_activities(ot.id)
    lev, pre = rev.actividades[1].id, rev.actividades[2].id
    record_cut(ot.id, date(2026, 2, 13), {lev: "80", pre: "0"}, None)
    record_cut(ot.id, date(2026, 2, 27), {lev: "100", pre: "20"}, None)
    pts = _points(curves.ot_curve(ot, "mxn", "semana"))
    assert pts["2026-02-06"].real is None  # before the first cut-off
    assert pts["2026-02-13"].real == "20.00"  # 25 % × 80
    assert pts["2026-02-20"].real == "20.00"  # no cut-off that week: the last one holds
    assert pts["2026-02-27"].real == "40.00"  # 25 + 75 × 20 %
    assert pts["2026-03-06"].real is None  # after the last


def test_portfolio_curve_is_weighted_by_amount(ctx):
    a = factories.make_ot(
        monto_mxn="100", fecha_inicio_programado="2026-02-02", fecha_termino_programado="2026-02-06"
    )
    b = factories.make_ot(
        monto_mxn="300", fecha_inicio_programado="2026-02-09", fecha_termino_programado="2026-02-13"
    )
    pts = _points(curves.portfolio_curve(curves.Filtro(), "mxn", "semana"))
    assert pts["2026-02-06"].planeado == "25.00"
    assert pts["2026-02-13"].planeado == "100.00"
    assert [p.planeado for p in curves.ot_curve(a, "mxn", "semana").puntos] == ["100.00"]
    assert b.id


def test_aggregates_filter_by_client_and_site(ctx):
    patio = factories.make_patio("Patio curva")
    factories.make_ot(
        monto_mxn="100",
        patio=patio,
        fecha_inicio_programado="2026-02-02",
        fecha_termino_programado="2026-02-06",
    )
    other_pte = factories.make_pte("PEP-CURVA-2", id_cliente=2)
    factories.make_ot(
        pte=other_pte,
        id_cliente="2",
        monto_mxn="300",
        fecha_inicio_programado="2026-03-02",
        fecha_termino_programado="2026-03-06",
    )
    db.session.commit()
    by_patio = curves.portfolio_curve(curves.site_filter(f"patio:{patio.id}"), "mxn", "semana")
    assert [p.periodo for p in by_patio.puntos] == ["2026-02-06"]
    by_client = curves.portfolio_curve(curves.Filtro(id_cliente=2), "mxn", "semana")
    assert by_client.puntos[0].periodo == "2026-03-06"
    assert curves.portfolio_curve(curves.Filtro(id_cliente=99), "mxn", "semana").puntos == []


def test_portfolio_counts_each_chain_once_its_current_version(ctx):
    first = factories.make_ot(
        monto_mxn="100", fecha_inicio_programado="2026-02-02", fecha_termino_programado="2026-02-06"
    )
    ot_commands.reprogram_order(
        {
            "id": first.id,
            "motivo": "Ampliación",
            "fecha_inicio_programado": date(2026, 2, 9),
            "plazo_dias": 4,
        },
        None,
    )
    pts = curves.portfolio_curve(curves.Filtro(), "mxn", "semana").puntos
    assert [(p.periodo, p.planeado, p.planeado_v1) for p in pts] == [
        ("2026-02-06", "0.00", "100.00"),
        ("2026-02-13", "100.00", "100.00"),
    ]
