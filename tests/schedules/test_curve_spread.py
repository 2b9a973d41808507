"""Spread profiles, explicit distributions and periods (schedules/spread.py): pure, no database."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ot_app.schedules import spread
from ot_app.schedules.spread import Distribucion, Tramo

D = Decimal
PERFILES = ["lineal", "inicio", "final", "campana"]


@pytest.mark.parametrize(
    ("perfil", "half"),
    [("lineal", "0.5"), ("inicio", "0.75"), ("final", "0.25"), ("campana", "0.5")],
)
def test_each_profile_at_half_time(perfil, half):
    assert spread.profile_fraction(perfil, D("0.5")) == D(half)


@pytest.mark.parametrize("perfil", PERFILES)
def test_profiles_start_at_zero_and_end_at_one_exactly(perfil):
    assert spread.profile_fraction(perfil, D(0)) == 0
    assert spread.profile_fraction(perfil, D(1)) == 1


def test_front_loaded_is_ahead_of_linear_and_back_loaded_behind():
    t = D("0.3")
    assert spread.profile_fraction("inicio", t) > t > spread.profile_fraction("final", t)
    assert spread.profile_fraction("campana", t) < t  # a bell starts slow


def test_an_activity_is_done_at_the_end_of_its_last_day():
    t = Tramo(D(100), date(2026, 2, 2), date(2026, 2, 11))  # 10 days
    assert t.fraction(date(2026, 2, 1)) == 0
    assert t.fraction(date(2026, 2, 2)) == D("0.1")
    assert t.fraction(date(2026, 2, 6)) == D("0.5")
    assert t.fraction(date(2026, 2, 11)) == 1


def test_weekly_periods_end_on_the_cut_off_weekday():
    ends = spread.periods(date(2026, 2, 2), date(2026, 2, 20), spread.SEMANA, 4)  # viernes
    assert ends == [date(2026, 2, 6), date(2026, 2, 13), date(2026, 2, 20)]
    assert all(e.weekday() == 4 for e in ends)
    assert spread.periods(date(2026, 2, 2), date(2026, 2, 3), spread.SEMANA, 0) == [
        date(2026, 2, 2),
        date(2026, 2, 9),
    ]


def test_monthly_periods_are_calendar_months():
    ends = spread.periods(date(2026, 1, 15), date(2026, 3, 1), spread.MES, 4)
    assert ends == [date(2026, 1, 31), date(2026, 2, 28), date(2026, 3, 31)]
    assert [spread.label(e, spread.MES) for e in ends] == ["2026-01", "2026-02", "2026-03"]


def test_cut_off_weekday_names():
    assert spread.weekday_of("viernes") == 4
    assert spread.weekday_of("Miércoles") == 2
    with pytest.raises(ValueError):
        spread.weekday_of("friday")


def test_a_monthly_distribution_spreads_each_month_over_its_days():
    dist = Distribucion.of({"2026-01-01": "100.00", "2026-02-01": "300.00"})
    assert dist.fraction(date(2025, 12, 31)) == 0
    assert dist.fraction(date(2026, 1, 31)) == D("0.25")
    assert dist.fraction(date(2026, 2, 14)) == D("0.25") + D("0.75") * D(14) / D(28)
    assert dist.fraction(date(2026, 2, 28)) == 1


def test_a_daily_distribution_counts_each_day_whole():
    dist = Distribucion.of({"2026-01-05": "10", "2026-01-06": "30", "2026-01-08": "60"})
    assert dist.fraction(date(2026, 1, 5)) == D("0.1")
    assert dist.fraction(date(2026, 1, 7)) == D("0.4")
    assert dist.fraction(date(2026, 1, 8)) == 1


def test_a_distribution_replaces_the_profile():
    dist = Distribucion.of({"2026-03": "50", "2026-04": "50"})
    t = Tramo(D(10), date(2026, 1, 1), date(2026, 1, 31), "lineal", dist)
    assert t.fraction(date(2026, 1, 31)) == 0  # the distribution says March and April
    assert t.fraction(date(2026, 3, 31)) == D("0.5")


def test_an_empty_or_negative_distribution_is_no_distribution():
    assert Distribucion.of({}) is None
    assert Distribucion.of({"2026-01-01": "-5"}) is None


def test_cumulative_is_normalised_by_the_weights():
    ends = [date(2026, 1, 10), date(2026, 1, 20)]
    values = spread.cumulative([Tramo(D(1), date(2026, 1, 1), date(2026, 1, 20))], ends)
    assert values == [D(50), D(100)]
    assert spread.cumulative([Tramo(D(0), date(2026, 1, 1), date(2026, 1, 20))], ends) is None


def test_percentages_are_strings_with_two_decimals():
    assert spread.pct(D("12.345")) == "12.35"
    assert spread.pct(D(100)) == "100.00"


@st.composite
def tramos(draw):
    start = date(2026, 1, 1)
    out = []
    for _ in range(draw(st.integers(1, 12))):
        a = start + timedelta(days=draw(st.integers(0, 200)))
        b = a + timedelta(days=draw(st.integers(0, 120)))
        peso = D(draw(st.integers(1, 10_000))) / 100
        dist = None
        if draw(st.booleans()):
            days = draw(st.lists(st.integers(0, 300), min_size=1, max_size=6))
            monthly = draw(st.booleans())
            keys = {
                (
                    (start + timedelta(days=d)).replace(day=1) if monthly else start + timedelta(days=d)
                ).isoformat(): str(draw(st.integers(0, 5000)))
                for d in days
            }
            dist = Distribucion.of(keys)
        out.append(Tramo(peso, a, b, draw(st.sampled_from(PERFILES)), dist))
    return out


@settings(max_examples=150, deadline=None)
@given(tramos(), st.sampled_from([spread.SEMANA, spread.MES]), st.integers(0, 6))
def test_planned_curve_is_non_decreasing_and_reaches_100_in_the_finish_period(ts, periodo, weekday):
    first = min(t.primero for t in ts)
    last = max(t.ultimo for t in ts)
    ends = spread.periods(first, last, periodo, weekday)
    values = [spread.pct(v) for v in spread.cumulative(ts, ends)]
    assert [D(v) for v in values] == sorted(D(v) for v in values)
    assert values[-1] == "100.00"
    # The finish period is the first at 100.00 when the last activity ends inside it.
    assert ends[-1] >= last > (ends[-2] if len(ends) > 1 else date.min)
