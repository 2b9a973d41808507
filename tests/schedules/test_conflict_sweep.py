"""The conflict sweep (schedules/conflicts.py) against a day-by-day reference, and one test per kind."""

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from ot_app.models import TipoConflicto
from ot_app.schedules.conflicts import Conflicto, Reserva, Sitio, brute_force, conflicts_of, sweep

D0 = date(2027, 1, 1)
HOY = date(2027, 2, 1)
V = "embarcacion"


def d(n: int) -> date:
    return D0 + timedelta(days=n)


def r(ot, desde, hasta, sitio=1, tipo=V, real=None):
    real_desde, real_hasta = real if real else (None, None)
    return Reserva(
        ot,
        tipo,
        sitio,
        d(desde),
        d(hasta),
        d(real_desde) if real_desde is not None else None,
        d(real_hasta) if real_hasta is not None else None,
    )


def ordered(reservas):
    return sorted(reservas, key=lambda x: (x.tipo_sitio, x.id_sitio, x.desde, x.id_ot))


def run(reservas, sitios=None):
    return sweep(ordered(reservas), sitios or {}, HOY)


def test_two_overlapping_bookings_of_a_vessel_are_one_conflict_over_the_shared_days():
    assert run([r(1, 0, 9), r(2, 4, 11)]) == [Conflicto(TipoConflicto.PROGRAMADO, V, 1, (1, 2), d(4), d(9))]


def test_bookings_that_only_touch_or_are_on_other_sites_are_no_conflict():
    assert run([r(1, 0, 9), r(2, 10, 12), r(3, 0, 9, sitio=2), r(4, 0, 9, tipo="patio")]) == []


def test_a_third_booking_splits_the_conflict_into_runs_with_their_holders():
    found = run([r(1, 0, 9), r(2, 4, 11), r(3, 6, 7)])
    assert [(c.desde, c.hasta, c.ots) for c in found] == [
        (d(4), d(5), (1, 2)),
        (d(6), d(7), (1, 2, 3)),
        (d(8), d(9), (1, 2)),
    ]


def test_a_site_of_capacity_two_conflicts_only_when_a_third_arrives():
    sitios = {(V, 1): Sitio(capacidad=2)}
    assert run([r(1, 0, 9), r(2, 4, 11)], sitios) == []
    found = run([r(1, 0, 9), r(2, 4, 11), r(3, 8, 20)], sitios)
    assert [(c.desde, c.hasta, c.ots) for c in found] == [(d(8), d(9), (1, 2, 3))]


def test_an_actual_period_running_into_the_next_booking():
    # OT 1 was programmed to day 9 but is still running on 1 Feb (HOY, day 31): it holds the vessel
    # into OT 2's booking from day 20.
    found = run([r(1, 0, 9, real=(0, None)), r(2, 20, 40)])
    assert found == [Conflicto(TipoConflicto.REAL, V, 1, (1, 2), d(20), HOY)]
    # Finished on day 15: no conflict.
    assert run([r(1, 0, 9, real=(0, 15)), r(2, 20, 40)]) == []


def test_the_mobilisation_gap_of_a_vessel():
    sitios = {(V, 1): Sitio(movilizacion_dias=3)}
    found = run([r(1, 0, 9), r(2, 12, 20)], sitios)  # two free days (10, 11): needs three
    assert found == [Conflicto(TipoConflicto.MOVILIZACION, V, 1, (1, 2), d(10), d(11))]
    assert run([r(1, 0, 9), r(2, 13, 20)], sitios) == []
    back_to_back = run([r(1, 0, 9), r(2, 10, 20)], sitios)
    assert [(c.desde, c.hasta) for c in back_to_back] == [(d(10), d(10))]


def test_conflicts_of_keeps_those_of_one_ot():
    reservas = [r(1, 0, 9), r(2, 4, 11), r(3, 30, 31), r(4, 30, 35)]
    assert [c.ots for c in conflicts_of(3, reservas, {}, HOY)] == [(3, 4)]


bookings = st.lists(
    st.tuples(
        st.integers(1, 3),  # site
        st.integers(0, 40),  # start
        st.integers(0, 12),  # length - 1
        st.one_of(st.none(), st.tuples(st.integers(-3, 5), st.one_of(st.none(), st.integers(0, 25)))),
    ),
    max_size=9,
)
sites = st.fixed_dictionaries({n: st.tuples(st.integers(1, 3), st.integers(0, 4)) for n in (1, 2, 3)})


@settings(max_examples=400, deadline=None)
@given(bookings, sites)
def test_the_sweep_finds_exactly_what_the_day_by_day_reference_finds(rows, caps):
    reservas = []
    for i, (sitio, start, length, real) in enumerate(rows, start=1):
        real_period = None
        if real is not None:
            real_start = max(0, start + real[0])
            real_end = None if real[1] is None else real_start + real[1]
            real_period = (real_start, real_end)
        reservas.append(r(i, start, start + length, sitio=sitio, real=real_period))
    sitios = {(V, n): Sitio(capacidad=c, movilizacion_dias=g) for n, (c, g) in caps.items()}
    found = run(reservas, sitios)
    assert len(found) == len(set(found))
    assert set(found) == brute_force(reservas, sitios, HOY)


crowded = st.lists(
    st.tuples(
        st.integers(0, 60),  # start
        st.integers(0, 15),  # length - 1
        # Began (a shift from the start) and maybe ended (days after its programmed end, may be
        # negative: finished early), or still running on HOY.
        st.one_of(st.none(), st.tuples(st.integers(-2, 3), st.one_of(st.none(), st.integers(-3, 20)))),
    ),
    min_size=2,
    max_size=25,
)


@settings(max_examples=150, deadline=None)
@given(crowded, st.integers(1, 4), st.integers(0, 5))
def test_one_crowded_site_of_any_capacity_gap_and_overruns_matches_the_reference(rows, capacidad, gap):
    # Up to 25 bookings on one site: the clusters of three and more, the heap of a site taking
    # several OTs, overruns meeting several bookings and reaching past earlier ones.
    reservas = []
    for i, (start, length, real) in enumerate(rows, start=1):
        real_period = None
        if real is not None:
            real_start = max(0, start + real[0])
            real_end = None if real[1] is None else max(real_start, start + length + real[1])
            real_period = (real_start, real_end)
        reservas.append(r(i, start, start + length, real=real_period))
    sitios = {(V, 1): Sitio(capacidad=capacidad, movilizacion_dias=gap)}
    found = run(reservas, sitios)
    assert len(found) == len(set(found))
    assert set(found) == brute_force(reservas, sitios, HOY)


def test_random_portfolios_meet_every_kind_and_match_the_reference():
    """Seeded, so it cannot pass by drawing easy cases: 60 portfolios of 40 bookings on 4 sites of
    capacity 1 or 2, a gap on some, a third of them begun; every kind of conflict is met."""
    import random

    rng = random.Random(14)
    kinds = set()
    for _ in range(60):
        reservas = []
        for i in range(1, 41):
            start, length = rng.randint(0, 150), rng.randint(0, 20)
            real = None
            if rng.random() < 0.35:
                real_start = start + rng.randint(0, 2)
                real = (real_start, None if rng.random() < 0.2 else start + length + rng.randint(-3, 12))
            reservas.append(r(i, start, start + length, sitio=rng.randint(1, 4), real=real))
        sitios = {
            (V, n): Sitio(capacidad=rng.choice((1, 1, 2)), movilizacion_dias=rng.choice((0, 3)))
            for n in (1, 2, 3, 4)
        }
        found = run(reservas, sitios)
        assert set(found) == brute_force(reservas, sitios, HOY)
        kinds |= {c.tipo for c in found}
    assert kinds == set(TipoConflicto)
