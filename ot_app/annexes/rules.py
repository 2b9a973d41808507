"""The rules of shared/annexes.md that look at values: numbers, importes, keys, reconciliation.
Each rule is a small function that returns a value or raises RuleError with its Spanish message."""

from __future__ import annotations

import functools
import re
import unicodedata
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")
TOLERANCE = Decimal("0.01")
PU_DECIMALS = 4
QUANTITY_DECIMALS = 6
ZERO = Decimal(0)


class RuleError(ValueError):
    """A value refused by a rule; `args[0]` is the message shown beside the cell."""

    @property
    def mensaje(self) -> str:
        return self.args[0]


# --- numbers ---------------------------------------------------------------------------------

_SPACES = re.compile(r"[\s\u00a0\u2007\u202f]+")
_PLAIN = re.compile(r"^-?\d+(\.\d+)?$")
_COMMA_THOUSANDS = re.compile(r"^-?\d{1,3}(,\d{3})+(\.\d+)?$")
# 4.125,53 or 4125,53: a decimal comma. Refused rather than guessed (1,234 vs 1.234).
_DECIMAL_COMMA = re.compile(r"^-?(\d{1,3}(\.\d{3})+|\d+),\d+$")
_ZERO_DASHES = {"-", "--", "—", "–"}


def parse_number(value) -> Decimal:
    """A cell's number as a Decimal, never through float arithmetic. Numbers stored as floats are
    read at 15 significant digits (what a double holds), which drops artifacts such as
    1577760.6600000001; text is cleaned of $, spaces, NBSP and thousands commas; `-` or blank is 0."""
    if value is None:
        return ZERO
    if isinstance(value, (bool, date, datetime)):
        raise RuleError("no numérica")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise RuleError("no numérica")
        return Decimal(format(value, ".15g"))
    if isinstance(value, Decimal):
        return value
    text = _SPACES.sub("", str(value)).replace("$", "")
    if text.startswith("(") and text.endswith(")"):  # accounting negative
        text = "-" + text[1:-1]
    if text == "" or text in _ZERO_DASHES:
        return ZERO
    if _PLAIN.match(text):
        return Decimal(text)
    if _COMMA_THOUSANDS.match(text):
        return Decimal(text.replace(",", ""))
    if _DECIMAL_COMMA.match(text):
        raise RuleError("formato numérico ambiguo")
    try:
        # Scientific notation as Excel writes it in CSV (1.5E+03).
        if re.match(r"^-?\d+(\.\d+)?[eE][+-]?\d+$", text):
            return Decimal(text)
    except InvalidOperation:
        pass
    raise RuleError("no numérica")


def decimals_of(number: Decimal) -> int:
    exponent = number.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def non_negative(number: Decimal, max_decimals: int) -> Decimal:
    """A quantity or price: not negative, at most `max_decimals` decimals (trailing zeros do not
    count: 200.0000 is 200)."""
    if number < 0:
        raise RuleError("cantidad negativa")
    if decimals_of(number) > max_decimals:
        raise RuleError(f"más de {max_decimals} decimales")
    return number.normalize() if number == number.to_integral() else number


def quantity(value) -> Decimal:
    if type(value) is int and value >= 0:  # most cells of a sábana: nothing to clean or count
        return _whole(value)
    return non_negative(parse_number(value), QUANTITY_DECIMALS)


def unit_price(value) -> Decimal:
    if type(value) is int and value >= 0:
        return _whole(value)
    return non_negative(parse_number(value), PU_DECIMALS)


@functools.lru_cache(maxsize=4096)
def _whole(value: int) -> Decimal:
    """A whole number as non_negative() gives it (normalized), remembered: a sábana's 147,000 day
    cells hold a few distinct values (Decimals are immutable, so one can be shared)."""
    return Decimal(value).normalize()


def importe(cantidad: Decimal, pu: Decimal) -> Decimal:
    """cantidad × P.U., rounded half up to cents: per currency, never converted."""
    return (cantidad * pu).quantize(CENT, rounding=ROUND_HALF_UP)


def fmt(number: Decimal, min_decimals: int = 2) -> str:
    """A number as a person reads it in a message: thousands commas, at least 2 decimals."""
    places = max(min_decimals, decimals_of(number))
    return f"{number:,.{places}f}"


def fmt_plain(number: Decimal) -> str:
    """A quantity in a message: as few decimals as it has."""
    normal = number.normalize()
    return f"{normal:,f}" if decimals_of(normal) else f"{int(normal):,}"


def check_declared_importe(cantidad: Decimal, pu: Decimal, declared: Decimal | None) -> Decimal:
    """The computed importe, when the file's (cached) one is within ±0.01 of it."""
    computed = importe(cantidad, pu)
    if declared is not None and abs(declared - computed) > TOLERANCE:
        raise RuleError(
            f"no coincide: {fmt_plain(cantidad)} × {fmt(pu)} = {fmt(computed)}, "
            f"el archivo dice {fmt(declared)}"
        )
    return computed


def amount_text(number: Decimal) -> str:
    """Amounts in the report: 2 decimals, no thousands separator."""
    return str(number.quantize(CENT, rounding=ROUND_HALF_UP))


def number_text(number: Decimal) -> str:
    """Quantities and prices in the report: as many decimals as they have, no exponent."""
    normal = number.normalize()
    return f"{normal:f}"


# --- texts and keys --------------------------------------------------------------------------

_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "‘": "'", "’": "'", "´": "'", "`": "'"})
_CURLY = re.compile("[“”„‘’´`]")


def clean_text(value) -> str:
    """A cell as text, kept literally except for surrounding spaces (a concept that starts with
    `=` stays text: it is never evaluated)."""
    if value is None:
        return ""
    if isinstance(value, float) and value == int(value):
        value = int(value)
    # No database stores a NUL in text (PostgreSQL refuses it); nothing else is changed.
    return str(value).replace("\x00", "").strip()


def concept_key(concepto: str) -> str:
    """A concept as the line's key sees it: spaces and newlines collapsed, curly quotes straight,
    case and accents kept (they can tell two concepts apart)."""
    if _CURLY.search(concepto):  # one scan; translate() looks up every character
        concepto = concepto.translate(_QUOTES)
    return " ".join(concepto.split()).upper()


def line_key(anexo: str, partida: str, concepto: str) -> tuple[str, str, str]:
    """The key of a line is (anexo, partida trimmed, concepto normalised), never the partida alone:
    the same partida repeats legitimately with different concepts."""
    return (anexo.strip().upper(), partida.strip(), concept_key(concepto))


def fold(text: str) -> str:
    """Upper case, no accents, only letters and digits: how headers and units are compared."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return re.sub(r"[^A-Z0-9]", "", plain.upper().replace("²", "2").replace("³", "3"))


# --- reconciliation --------------------------------------------------------------------------


def reconciles(declared: Decimal | None, computed: Decimal) -> bool:
    return declared is None or abs(declared - computed) <= TOLERANCE
