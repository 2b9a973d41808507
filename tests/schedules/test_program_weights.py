"""Default and edited weights per currency (schedules/weights.py): exactly 100.00 or all 0.00."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ot_app.schedules.weights import CIEN, PesoInvalido, assign

D = Decimal


def test_default_weight_is_the_amount_over_the_total_with_the_remainder_on_the_largest():
    # 1/3 each is 33.33 + 33.33 + 33.33 = 99.99: the cent left goes to the largest (the first of equals).
    assert assign([D("1"), D("1"), D("1")], [None] * 3, "mxn") == [D("33.34"), D("33.33"), D("33.33")]
    assert assign([D("100"), D("300"), D("600")], [None] * 3, "mxn") == [D("10.00"), D("30.00"), D("60.00")]
    # 2/7 = 28.57, 5/7 = 71.43 (already 100.00)
    assert assign([D("200"), D("500")], [None, None], "mxn") == [D("28.57"), D("71.43")]
    # The remainder lands on the largest amount, not the last row.
    assert assign([D("1"), D("5"), D("1")], [None] * 3, "mxn") == [D("14.29"), D("71.42"), D("14.29")]


def test_a_currency_without_amounts_has_all_weights_zero():
    assert assign([D("0"), D("0")], [None, None], "usd") == [D("0.00"), D("0.00")]


def test_edited_weights_are_kept_and_the_others_share_the_rest_by_amount():
    assert assign([D("100"), D("100"), D("300")], [D("50"), None, None], "mxn") == [
        D("50.00"),
        D("12.50"),
        D("37.50"),
    ]
    # All typed, summing 100: kept as they are, whatever the amounts.
    assert assign([D("1"), D("0")], [D("40"), D("60")], "usd") == [D("40.00"), D("60.00")]


def test_edited_weights_above_100_are_an_error_naming_the_currency():
    with pytest.raises(PesoInvalido, match=r"Los pesos USD editados suman 100\.01 %"):
        assign([D("1"), D("1")], [D("60"), D("40.01")], "usd")


def test_a_rest_nobody_can_take_is_an_error():
    with pytest.raises(PesoInvalido, match="faltan 20.00 %"):
        assign([D("5"), D("0")], [D("80"), None], "mxn")


def test_a_weight_out_of_range_or_with_three_decimals_is_an_error():
    with pytest.raises(PesoInvalido, match="MXN"):
        assign([D("1")], [D("-1")], "mxn")
    with pytest.raises(PesoInvalido):
        assign([D("1"), D("1")], [D("10.005"), None], "mxn")


def test_tiny_rests_over_many_rows_never_go_negative():
    # 0.02 over four equal rows rounds to 0.01 each (0.04): nearest-cent would push one to -0.01.
    out = assign([D("1")] * 5, [D("99.98"), None, None, None, None], "mxn")
    assert sum(out) == CIEN and min(out) >= 0


amounts = st.decimals(min_value=0, max_value=10**12, places=2, allow_nan=False, allow_infinity=False)


@given(st.lists(amounts, min_size=1, max_size=60))
def test_default_weights_sum_to_exactly_100_or_0(values):
    out = assign(values, [None] * len(values), "mxn")
    assert all(w >= 0 and w == w.quantize(D("0.01")) for w in out)
    assert sum(out) == (CIEN if sum(values) > 0 else 0)


@given(
    st.lists(
        st.tuples(amounts, st.one_of(st.none(), st.decimals(min_value=0, max_value=100, places=2))),
        min_size=1,
        max_size=40,
    )
)
def test_any_valid_edits_still_sum_to_exactly_100(rows):
    values = [a for a, _ in rows]
    edited = [e for _, e in rows]
    try:
        out = assign(values, edited, "usd")
    except PesoInvalido:
        typed = sum(e for e in edited if e is not None)
        free = sum(a for a, e in rows if e is None)
        assert typed > CIEN or (typed != CIEN and free == 0)
        return
    assert all(w >= 0 for w in out)
    assert [w for w, e in zip(out, edited, strict=True) if e is not None] == [
        e for e in edited if e is not None
    ]
    assert sum(out) in (CIEN, 0)
    if any(e is not None for e in edited) or sum(values) > 0:
        assert sum(out) == CIEN
