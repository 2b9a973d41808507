"""The number parser and the value rules of shared/annexes.md (rule 3), with property tests."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ot_app.annexes import rules
from ot_app.annexes.rules import RuleError, parse_number


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("$ 1,577,760.66", "1577760.66"),
        ("1\u00a0577\u00a0760.66", "1577760.66"),
        ("$ -", "0"),
        ("-", "0"),
        ("", "0"),
        (None, "0"),
        ("200.0000", "200.0000"),
        ("  4125.53 ", "4125.53"),
        (1577760.6600000001, "1577760.66"),
        (897810.7999999999, "897810.8"),
        (200, "200"),
        ("1.5E+03", "1.5E+3"),
    ],
)
def test_numbers_are_decimals_cleaned_of_symbols_and_float_artifacts(text, expected):
    value = parse_number(text)
    assert isinstance(value, Decimal)
    assert value == Decimal(expected)


@pytest.mark.parametrize("text", ["4.125,53", "4125,53", "1.577.760,66"])
def test_a_decimal_comma_is_refused_as_ambiguous(text):
    with pytest.raises(RuleError, match="formato numérico ambiguo"):
        parse_number(text)


@pytest.mark.parametrize("text", ["doscientos", "12 PZA", "#", True])
def test_text_is_not_a_number(text):
    with pytest.raises(RuleError, match="no numérica"):
        parse_number(text)


def test_negative_is_an_error():
    with pytest.raises(RuleError, match="cantidad negativa"):
        rules.quantity("-3")
    with pytest.raises(RuleError, match="cantidad negativa"):
        rules.unit_price("(1,200.00)")


def test_decimals_are_bounded_per_kind_of_value():
    assert rules.unit_price("4125.5312") == Decimal("4125.5312")
    with pytest.raises(RuleError, match="más de 4 decimales"):
        rules.unit_price("4125.53121")
    assert rules.quantity("1.123456") == Decimal("1.123456")
    with pytest.raises(RuleError, match="más de 6 decimales"):
        rules.quantity("1.1234567")
    assert rules.quantity("200.0000") == Decimal("200")  # trailing zeros are not decimals


def test_importe_rounds_half_up_per_currency():
    assert rules.importe(Decimal("3"), Decimal("0.005")) == Decimal("0.02")
    assert rules.importe(Decimal("1.5"), Decimal("10449.9433")) == Decimal("15674.91")


def test_a_declared_importe_within_a_cent_is_accepted_and_the_computed_one_kept():
    assert rules.check_declared_importe(Decimal(2), Decimal("172634.60"), Decimal("345269.21")) == Decimal(
        "345269.20"
    )


def test_a_declared_importe_off_by_more_than_a_cent_shows_both():
    with pytest.raises(RuleError) as err:
        rules.check_declared_importe(Decimal(2), Decimal("172634.60"), Decimal("5818.98"))
    assert err.value.mensaje == "no coincide: 2 × 172,634.60 = 345,269.20, el archivo dice 5,818.98"


def test_the_key_is_anexo_partida_trimmed_and_concept_normalised():
    assert rules.line_key("c-2", "4.7. ", "Tubero\n  “A”") == ("C-2", "4.7.", 'TUBERO "A"')
    assert rules.line_key("", "4.7.", "Tubero") != rules.line_key("", "4.7.", "Soldador")


money = st.decimals(min_value=0, max_value=Decimal("999999999999.99"), places=2, allow_nan=False)


@given(money)
def test_property_plain_and_thousands_text_read_back_exactly(value):
    assert parse_number(f"{value:f}") == value
    assert parse_number(f"{value:,.2f}") == value
    assert parse_number(f"$ {value:,.2f}") == value
    assert parse_number(f"\u00a0{value:,.2f}\u00a0") == value


@given(money)
def test_property_floats_read_at_fifteen_digits_give_the_cents_back(value):
    if value < Decimal("1e13"):  # 15 significant digits: up to 12 integer digits and 2 decimals
        assert parse_number(float(value)) == value


@given(st.integers(min_value=1, max_value=999), st.integers(min_value=0, max_value=999), st.integers(0, 99))
def test_property_a_decimal_comma_is_never_guessed(thousands, units, cents):
    with pytest.raises(RuleError, match="ambiguo"):
        parse_number(f"{thousands}.{units:03d},{cents:02d}")


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=20))
def test_property_the_parser_answers_a_decimal_or_a_rule_error(text):
    try:
        assert isinstance(parse_number(text), Decimal)
    except RuleError as err:
        assert err.mensaje in ("no numérica", "formato numérico ambiguo")
