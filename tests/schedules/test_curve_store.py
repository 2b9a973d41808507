"""The stored planned curves (schedules/curve_store.py): the aggregate S-curve summed in SQL gives
the same points as the one computed in Python from every activity (curves._portfolio, the
reference), for random OTs and programs, and stays equal after each kind of write."""

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from ot_app.extensions import db
from ot_app.models import OTE, CurvaOt
from ot_app.orders import commands as ot_commands
from ot_app.schedules import curve_store, curves
from ot_app.schedules.cortes import record_cut

from .. import factories
from .curve_builders import make_program

D = Decimal
FILTERS = (curves.Filtro(), curves.Filtro(id_cliente=1), curves.Filtro(id_cliente=2))


def _exact(filtro, moneda, periodo, ends, target):
    """The stored curve's unrounded planned % (integers summed in SQL: exact)."""
    cond = filtro.condition()
    total = int(curve_store._stats(cond, target, moneda)[0] or 0)
    return curve_store._planned(curve_store._increments(cond, target, moneda, periodo), total, ends)


def _tie(value: Decimal) -> bool:
    return (value * 1000) % 10 == 5


def assert_same():
    """Equal points, except where the exact value lies on a rounding tie (0.205 %): the reference
    divides in 28-digit Decimals (0.20499…), the stored integers are exact (0.21)."""
    weekday = curves.cutoff_weekday()
    for filtro in FILTERS:
        for moneda in ("mxn", "usd"):
            for periodo in ("semana", "mes"):
                stored = curve_store.portfolio(filtro, moneda, periodo, weekday)
                reference = curves._portfolio(filtro, moneda, periodo, weekday)
                assert (stored.origen, [p.fin for p in stored.puntos]) == (
                    reference.origen,
                    [p.fin for p in reference.puntos],
                )
                ends = [p.fin for p in stored.puntos]
                for i, (a, b) in enumerate(zip(stored.puntos, reference.puntos, strict=True)):
                    assert a.real == b.real, (filtro, moneda, periodo, a, b)
                    for field, target in (("planeado", OTE.id), ("planeado_v1", curves._root())):
                        x, y = getattr(a, field), getattr(b, field)
                        if x != y:
                            exact = _exact(filtro, moneda, periodo, ends, target)[i]
                            assert _tie(exact) and abs(D(x) - D(y)) == D("0.01"), (
                                filtro,
                                moneda,
                                periodo,
                                a,
                                b,
                            )


amounts = st.sampled_from(["0", "0.01", "100", "333.33", "125000.50", "9999999.99"])
activity = st.fixed_dictionaries(
    {
        "start": st.integers(0, 60),
        "days": st.integers(0, 45),
        "mxn": amounts,
        "usd": amounts,
        "perfil": st.sampled_from(["lineal", "inicio", "final", "campana"]),
        "monthly": st.booleans(),
    }
)
order = st.fixed_dictionaries(
    {
        "start": st.integers(0, 90),
        "plazo": st.integers(1, 120),
        "mxn": amounts,
        "usd": amounts,
        "cliente": st.sampled_from(["1", "2"]),
        "program": st.one_of(st.none(), st.lists(activity, min_size=1, max_size=4)),
    }
)
BASE = date(2026, 1, 5)


def _rows(spec, start: date) -> list[dict]:
    rows = [{"nombre": "Fase", "nivel": 1}]
    for i, a in enumerate(spec):
        inicio = start + timedelta(days=a["start"])
        fin = inicio + timedelta(days=a["days"])
        row = {"nombre": f"A{i}", "inicio": inicio, "fin": fin, "mxn": a["mxn"], "usd": a["usd"]}
        row["perfil"] = a["perfil"]
        if a["monthly"] and D(a["mxn"]) > 0:
            # The workbook's months: two first days carrying the MXN amount.
            half = (D(a["mxn"]) / 2).quantize(D("0.01"))
            first = inicio.replace(day=1)
            following = (first + timedelta(days=32)).replace(day=1)
            row["distribucion"] = {
                "mxn": {first.isoformat(): str(half), following.isoformat(): str(D(a["mxn"]) - half)}
            }
        rows.append(row)
    return rows


def _make(o, pte2):
    start = BASE + timedelta(days=o["start"])
    extra = {"pte": pte2, "id_cliente": "2"} if o["cliente"] == "2" else {}
    ot = factories.make_ot(
        monto_mxn=o["mxn"],
        monto_usd=o["usd"],
        fecha_inicio_programado=start.isoformat(),
        fecha_termino_programado=(start + timedelta(days=o["plazo"])).isoformat(),
        **extra,
    )
    if o["program"]:
        make_program(ot.id, _rows(o["program"], start))
    return ot


@settings(
    max_examples=6,
    deadline=None,
    phases=(Phase.explicit, Phase.reuse, Phase.generate),  # shrinking a DB example takes minutes
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(orders=st.lists(order, min_size=1, max_size=3), pct=st.sampled_from(["0", "12.5", "37.33", "100"]))
def test_stored_portfolio_curve_equals_the_computed_one_after_every_kind_of_write(ctx, orders, pct):
    # Each example adds its OTs to those of the previous ones: the aggregate grows, still equal.
    pte2 = factories.make_pte(
        f"PEP-ST-{db.session.scalar(select(func.count()).select_from(OTE))}", id_cliente=2
    )
    made = [_make(o, pte2) for o in orders]
    assert_same()

    first = made[0]
    # A cut-off (from the program, or from the steps without one) on a Friday already past.
    acts = [a.id for a in curves_activities(first.id)]
    record_cut(first.id, date(2026, 2, 13), {a: pct for a in acts} if acts else None, None, "corte")
    assert_same()

    ot_commands.update_order(
        {"id": first.id, "monto_mxn": D("4321.09"), "fecha_termino_programado": date(2026, 6, 30)}, None
    )
    assert_same()

    new = ot_commands.reprogram_order(
        {
            "id": first.id,
            "motivo": "Ampliación",
            "fecha_inicio_programado": date(2026, 7, 1),
            "plazo_dias": 20,
        },
        None,
    ).ot
    assert_same()

    make_program(
        new.id,
        [
            {"nombre": "Fase", "nivel": 1},
            {"nombre": "B", "inicio": date(2026, 7, 2), "fin": date(2026, 7, 9), "mxn": "10", "usd": "5"},
        ],
    )
    assert_same()

    if len(made) > 1:
        ot_commands.delete_order(made[1].id, None)
        assert_same()
        ot_commands.restore_order(made[1].id, None)
        assert_same()


def curves_activities(id_ot):
    from ot_app.models import ProgramaRevision

    rev = db.session.scalar(
        select(ProgramaRevision)
        .where(ProgramaRevision.id_ot == id_ot)
        .order_by(ProgramaRevision.n.desc())
        .limit(1)
    )
    return [a for a in rev.actividades if a.nivel == 2] if rev else []


def test_a_changed_cut_off_weekday_recomputes_the_stored_weeks(app, ctx):
    factories.make_ot(
        monto_mxn="100", fecha_inicio_programado="2026-02-02", fecha_termino_programado="2026-02-15"
    )
    assert_same()
    app.config["CORTE_DIA_SEMANA"] = "lunes"
    try:
        assert curve_store.stale_ids(curves.cutoff_weekday())  # computed for Fridays
        labels = [p.periodo for p in curves.portfolio_curve(curves.Filtro(), "mxn", "semana").puntos]
        assert labels[0] == "2026-02-02"  # weeks now end on Mondays
        assert not curve_store.stale_ids(curves.cutoff_weekday())
        assert_same()
    finally:
        app.config["CORTE_DIA_SEMANA"] = "viernes"


def test_versions_without_stored_rows_are_computed_on_the_next_read(ctx):
    # As after the migration: the rows are not there yet.
    factories.make_ot(
        monto_mxn="100", fecha_inicio_programado="2026-02-02", fecha_termino_programado="2026-02-15"
    )
    db.session.execute(CurvaOt.__table__.delete())
    db.session.commit()
    assert curve_store.stale_ids(curves.cutoff_weekday())
    assert_same()
    assert not curve_store.stale_ids(curves.cutoff_weekday())
