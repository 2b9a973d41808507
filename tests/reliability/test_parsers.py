"""Property tests (hypothesis) of the parsers every form and the API go through: money, dates, ids,
whole numbers and folios. Each parser either returns the typed value the text means, or raises
ValueError with one of its Spanish messages; never another exception. The number of examples run
is printed in the run's summary (SECURITY.md); HYPOTHESIS_EXAMPLES sets it per property."""

import os
from collections import Counter
from datetime import date, timedelta
from decimal import Decimal

import jsonschema_rs
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from ot_app.api.openapi import DOCUMENT
from ot_app.fields import ID_MAX, MONEY_MAX, parse_date, parse_id, parse_money, parse_whole
from ot_app.models import normalize_folio

from ..conftest import PG_URL
from .conftest import report

EXAMPLES = int(os.environ.get("HYPOTHESIS_EXAMPLES", "1000"))

# Pure functions: the database makes no difference, so the PostgreSQL pass does not repeat them.
pytestmark = pytest.mark.skipif(bool(PG_URL), reason="pure functions: run in the SQLite pass")
RUN = Counter()  # examples run per property

MONEY_MESSAGES = {
    "no puede ser negativo",
    "admite como máximo 2 decimales",
    "no es un importe válido (ejemplo: 1,234.50)",
    "es demasiado grande",
}
DATE_MESSAGES = {"no es una fecha válida (use AAAA-MM-DD)", "está fuera del rango de fechas admitido"}
ID_MESSAGES = {"no es un identificador válido"}
WHOLE_MESSAGES = {"debe ser un número entero mayor o igual a 0", "no puede ser mayor que 100,000"}
ASCII_DIGITS = set("0123456789")

prop = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Whatever a person or a program may send: any text (control characters, other scripts' digits,
# full-width forms...), text near the expected shape, and values that are not text at all.
any_text = st.one_of(
    st.text(),
    st.text(alphabet="0123456789,.- +eE", max_size=30),
    st.from_regex(r"\A\s*-?[\d,]{0,25}(\.\d{0,6})?\s*\Z"),
    st.from_regex(r"\A\s*\d{1,6}-\d{1,3}-\d{1,3}\s*\Z"),
)
not_text = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(), st.decimals(), st.dates(), st.binary(max_size=10)
)
whitespace = st.text(alphabet=" \t\n\r\u00a0\u2003", max_size=3)


def count(name: str) -> None:
    RUN[name] += 1


def outcome(parser, raw, messages):
    """('ok', value) or ('error', message); any other exception fails the test."""
    try:
        return "ok", parser(raw)
    except ValueError as exc:
        assert str(exc) in messages, f"{parser.__name__}({raw!r}) raised {exc!r}: not one of its messages"
        return "error", str(exc)


# --------------------------------------------------------------------------- money

cents = st.decimals(min_value=0, max_value=MONEY_MAX, places=2, allow_nan=False, allow_infinity=False)


def money_texts(d: Decimal) -> list[str]:
    texts = [f"{d:.2f}", f"{d:,.2f}"]
    plain = f"{d:f}".rstrip("0").rstrip(".") if "." in f"{d:f}" else f"{d:f}"
    texts.append(plain)  # "1234.5", "1234"
    if d == d.to_integral_value():
        texts += [f"{d:.0f}", f"{d:,.0f}"]
    return texts


@prop
@given(d=cents, left=whitespace, right=whitespace)
def test_money_round_trips_with_and_without_thousands_separators(d, left, right):
    count("parse_money: ida y vuelta")
    for text in money_texts(d):
        value = parse_money(left + text + right)
        assert value == d and value.as_tuple().exponent == -2, text


@prop
@given(d=st.decimals(min_value=Decimal("0.01"), max_value=Decimal("1e20"), places=2))
def test_money_negative_is_refused_in_spanish(d):
    count("parse_money: negativos")
    for text in money_texts(d):
        assert outcome(parse_money, "-" + text, MONEY_MESSAGES) == ("error", "no puede ser negativo")


@prop
@given(whole=st.integers(0, 10**15), decimals=st.text(alphabet="0123456789", min_size=3, max_size=12))
def test_money_with_more_than_two_decimals_is_refused_in_spanish(whole, decimals):
    count("parse_money: más de 2 decimales")
    for text in (f"{whole}.{decimals}", f"{whole:,}.{decimals}"):
        assert outcome(parse_money, text, MONEY_MESSAGES) == ("error", "admite como máximo 2 decimales")


@prop
@given(d=st.decimals(min_value=MONEY_MAX + Decimal("0.01"), max_value=Decimal("1e30"), places=2))
def test_money_beyond_numeric_18_2_is_refused_in_spanish(d):
    count("parse_money: demasiado grande")
    assert outcome(parse_money, f"{d:.2f}", MONEY_MESSAGES) == ("error", "es demasiado grande")


@prop
@given(raw=st.one_of(any_text, not_text))
def test_money_any_input_is_a_valid_amount_or_a_spanish_error(raw):
    count("parse_money: cualquier entrada")
    kind, value = outcome(parse_money, raw, MONEY_MESSAGES)
    if kind == "ok":
        text = "" if raw is None else str(raw).strip()
        assert 0 <= value <= MONEY_MAX and value.as_tuple().exponent == -2
        # Only what the form documents: ASCII digits, thousands commas, one decimal point.
        assert set(text) <= ASCII_DIGITS | {",", "."}, f"{raw!r} accepted as {value}"
        assert value == (Decimal(text.replace(",", "")) if text else 0)


# The money field as the OpenAPI document publishes it (what a form-encoded client may post),
# checked by jsonschema_rs: a JSON Schema (ECMA 262) regex engine, not Python's `re`.
PUBLISHED_MONEY = DOCUMENT["paths"]["/api/ot/crear"]["post"]["requestBody"]["content"][
    "application/x-www-form-urlencoded"
]["schema"]["properties"]["monto_mxn"]
published_money = jsonschema_rs.validator_for(PUBLISHED_MONEY).is_valid
near_money = st.one_of(
    st.text(alphabet="0123456789,.", max_size=16),
    st.from_regex(r"\A[0-9]{0,5}(,[0-9]{0,4}){0,3}(\.[0-9]{0,3})?\Z"),
    cents.flatmap(lambda d: st.sampled_from(money_texts(d))),
)


@prop
@given(raw=st.one_of(near_money, any_text))
@example(raw="1234.")
@example(raw=".5")
def test_money_published_pattern_matches_exactly_what_the_parser_accepts(raw):
    """The document and the parser agree on every text (surrounding whitespace aside: the parser
    strips it). Only the upper bound is the parser's alone: no regex says "at most MONEY_MAX"."""
    count("parse_money: patrón publicado")
    text = raw.strip()
    kind, message = outcome(parse_money, text, MONEY_MESSAGES)
    if message == "es demasiado grande":
        assert published_money(text), f"{text!r}: an amount of the right shape, only too large"
    else:
        assert published_money(text) == (kind == "ok"), f"{text!r}: parser {kind}, document disagrees"


# --------------------------------------------------------------------------- dates

in_range = st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31))


@prop
@given(d=in_range, left=whitespace, right=whitespace)
def test_date_round_trips_iso(d, left, right):
    count("parse_date: ida y vuelta")
    assert parse_date(left + d.isoformat() + right) == d


@prop
@given(d=st.one_of(st.dates(max_value=date(1899, 12, 31)), st.dates(min_value=date(2201, 1, 1))))
def test_date_out_of_range_is_refused_in_spanish(d):
    count("parse_date: fuera de rango")
    text = f"{d.year:04d}-{d.month:02d}-{d.day:02d}"
    assert outcome(parse_date, text, DATE_MESSAGES)[0] == "error"


@prop
@given(
    d=in_range,
    fmt=st.sampled_from(["%d/%m/%Y", "%m/%d/%Y", "%Y/%m/%d", "%d-%m-%Y", "%Y%m%d", "%Y-%m-%dT00:00"]),
)
def test_date_in_another_format_is_refused_in_spanish(d, fmt):
    count("parse_date: otros formatos")
    assert outcome(parse_date, d.strftime(fmt), DATE_MESSAGES) == (
        "error",
        "no es una fecha válida (use AAAA-MM-DD)",
    )


@prop
@given(raw=st.one_of(any_text, not_text))
def test_date_any_input_is_its_iso_date_or_a_spanish_error(raw):
    count("parse_date: cualquier entrada")
    kind, value = outcome(parse_date, raw, DATE_MESSAGES)
    text = "" if raw is None else str(raw).strip()
    if kind == "ok":
        if text == "":
            assert value is None
        else:
            assert isinstance(value, date) and value.isoformat() == text, f"{raw!r} accepted as {value}"
            assert date(1900, 1, 1) <= value <= date(2200, 12, 31)


def test_date_impossible_days_are_refused():
    for text in ("2026-02-29", "2026-02-30", "2026-04-31", "2026-13-01", "2026-00-10", "2026-01-00"):
        assert outcome(parse_date, text, DATE_MESSAGES)[0] == "error", text
    assert parse_date("2028-02-29") == date(2028, 2, 29)
    assert parse_date("2200-12-31") == date(2200, 12, 31)
    assert (
        outcome(parse_date, (date(2200, 12, 31) + timedelta(days=1)).isoformat(), DATE_MESSAGES)[0] == "error"
    )


# --------------------------------------------------------------------------- ids and whole numbers


@prop
@given(n=st.integers(1, ID_MAX), left=whitespace, right=whitespace)
def test_id_round_trips(n, left, right):
    count("parse_id: ida y vuelta")
    assert parse_id(left + str(n) + right) == n
    assert parse_id(f"{n:010d}") == n  # leading zeros up to 10 digits
    assert parse_id(n) == n  # an int from a JSON body


@prop
@given(n=st.one_of(st.integers(max_value=0), st.integers(min_value=ID_MAX + 1)))
def test_id_out_of_range_is_refused_in_spanish(n):
    count("parse_id: fuera de rango")
    assert outcome(parse_id, str(n), ID_MESSAGES) == ("error", "no es un identificador válido")


@prop
@given(raw=st.one_of(any_text, not_text))
def test_id_any_input_is_a_positive_int_none_or_a_spanish_error(raw):
    count("parse_id: cualquier entrada")
    kind, value = outcome(parse_id, raw, ID_MESSAGES)
    text = "" if raw is None else str(raw).strip()
    if kind == "ok":
        if text == "":
            assert value is None
        else:
            assert set(text) <= ASCII_DIGITS and 1 <= value <= ID_MAX and int(text) == value


@prop
@given(raw=st.one_of(any_text, not_text, st.integers(-5, 200_000).map(str)))
def test_whole_any_input_is_0_to_100000_none_or_a_spanish_error(raw):
    count("parse_whole: cualquier entrada")
    kind, value = outcome(parse_whole, raw, WHOLE_MESSAGES)
    text = "" if raw is None else str(raw).strip()
    if kind == "ok":
        if text == "":
            assert value is None
        else:
            assert set(text) <= ASCII_DIGITS and 0 <= value <= 100_000 and int(text) == value


# --------------------------------------------------------------------------- folios

# What folios are made of: the seed's "OT-GRZ-001-26-016.7-J-NHA", Spanish letters, punctuation.
FOLIO_ALPHABET = "ABCDEFGHIJKLMNÑOPQRSTUVWXYZÁÉÍÓÚÜabcdefghijklmnñopqrstuvwxyzáéíóúü0123456789-./_#() "
folio = st.text(alphabet=FOLIO_ALPHABET, max_size=40)
words = st.lists(
    st.text(alphabet=FOLIO_ALPHABET.replace(" ", ""), min_size=1, max_size=12), min_size=1, max_size=6
)
gaps = st.text(alphabet=" \t\n\r\u00a0\u2003\u3000", min_size=1, max_size=4)


@prop
@given(raw=st.one_of(st.text(), folio))
def test_folio_normalization_is_idempotent(raw):
    count("normalize_folio: idempotente")
    once = normalize_folio(raw)
    assert normalize_folio(once) == once
    assert once == once.strip() and "  " not in once


@prop
@given(raw=folio)
def test_folio_normalization_ignores_case(raw):
    count("normalize_folio: mayúsculas")
    assert normalize_folio(raw.upper()) == normalize_folio(raw.lower()) == normalize_folio(raw)
    assert normalize_folio(raw.swapcase()) == normalize_folio(raw)


@prop
@given(parts=words, data=st.data())
def test_folio_normalization_ignores_whitespace(parts, data):
    count("normalize_folio: espacios")
    spaced = data.draw(gaps, label="before") if data.draw(st.booleans(), label="leading") else ""
    for part in parts:
        spaced += part + data.draw(gaps, label="gap")
    assert normalize_folio(spaced) == " ".join(parts).lower()


@prop
@given(raw=st.text())
def test_folio_normalization_of_any_text_never_fails(raw):
    count("normalize_folio: cualquier texto")
    out = normalize_folio(raw)
    assert isinstance(out, str) and normalize_folio(raw.lower()) == out
    assert normalize_folio(None) == ""


@pytest.fixture(scope="module", autouse=True)
def _report_examples():
    yield
    if RUN:
        total = sum(RUN.values())
        detail = ", ".join(f"{name} {n}" for name, n in RUN.items())
        report(f"hypothesis: {total} ejemplos en {len(RUN)} propiedades de los parsers ({detail})")
