"""Parsing of the values people and old clients type: money, ISO dates, ids, whole numbers.

Each parser returns the typed value or raises ValueError with a Spanish message that names
nothing (the caller adds the field's label)."""

import re
from datetime import date
from decimal import Decimal, InvalidOperation

from werkzeug.routing import BaseConverter, ValidationError
from wtforms import Field
from wtforms.widgets import TextInput

from .formatting import amount

MONEY_MAX = Decimal("9999999999999999.99")  # Numeric(18, 2)
# An amount as typed (surrounding whitespace aside): "1,234.50", "1234.5", "1234.", ".5". The one
# definition: parse_money matches it and the OpenAPI document publishes it, so it is written to mean
# the same in Python's `re` and in a JSON Schema (ECMA 262) regex: `[0-9]`, never `\d`, which would
# also match other scripts' digits ("೦", "１") that Decimal() reads.
MONEY_PATTERN = r"^(?:(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]{0,2})?|\.[0-9]{1,2})$"
_MONEY_RE = re.compile(MONEY_PATTERN)
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$", re.ASCII)
ID_MAX = 2_147_483_647  # the databases' INTEGER (ids are Integer columns on SQLite and PostgreSQL)


def parse_money(raw) -> Decimal:
    """'1,234.50', '1234.5', '' (→ 0). Never negative, at most 2 decimals."""
    text = "" if raw is None else str(raw).strip()
    if text == "":
        return Decimal("0.00")
    if text.startswith("-"):
        raise ValueError("no puede ser negativo")
    whole, _, decimals = text.partition(".")
    if len(decimals) > 2 and decimals.isdigit() and _MONEY_RE.fullmatch(whole or "0"):
        raise ValueError("admite como máximo 2 decimales")
    if not _MONEY_RE.fullmatch(text):
        raise ValueError("no es un importe válido (ejemplo: 1,234.50)")
    try:
        value = Decimal(text.replace(",", ""))
    except InvalidOperation as exc:  # pragma: no cover - the regex already guards it
        raise ValueError("no es un importe válido (ejemplo: 1,234.50)") from exc
    if value > MONEY_MAX:
        raise ValueError("es demasiado grande")
    return value.quantize(Decimal("0.01"))


def parse_date(raw) -> date | None:
    text = "" if raw is None else str(raw).strip()
    if text == "":
        return None
    if not _DATE_RE.match(text):
        raise ValueError("no es una fecha válida (use AAAA-MM-DD)")
    try:
        value = date.fromisoformat(text)
    except ValueError as exc:
        raise ValueError("no es una fecha válida (use AAAA-MM-DD)") from exc
    if not 1900 <= value.year <= 2200:
        raise ValueError("está fuera del rango de fechas admitido")
    return value


def parse_id(raw) -> int | None:
    text = "" if raw is None else str(raw).strip()
    if text == "":
        return None
    if not text.isdigit() or not text.isascii() or len(text) > 10 or not 0 < int(text) <= ID_MAX:
        raise ValueError("no es un identificador válido")
    return int(text)


def id_or_none(raw) -> int | None:
    """`parse_id` for places that treat a bad id like no id (an optional filter, a lookup)."""
    try:
        return parse_id(raw)
    except ValueError:
        return None


class IdConverter(BaseConverter):
    """`<int:…>` in every route: ASCII digits read by `parse_id`, so an id beyond the database's
    integer range (or "١٢", "²") is a 404 like any id that does not exist, never an OverflowError.
    Registered as the app's `int` converter (create_app), so no route has to name it."""

    regex = r"[0-9]{1,20}"  # more digits cannot be an id; parse_id draws the real line
    weight = 50
    part_isolating = True

    def to_python(self, value: str) -> int:
        try:
            parsed = parse_id(value)
        except ValueError:
            raise ValidationError() from None
        if parsed is None:  # pragma: no cover - the regex needs a digit
            raise ValidationError()
        return parsed

    def to_url(self, value) -> str:
        return str(int(value))


def parse_whole(raw, maximum: int = 100_000) -> int | None:
    text = "" if raw is None else str(raw).strip()
    if text == "":
        return None
    if not text.isascii() or not text.isdigit() or len(text) > 9:
        raise ValueError("debe ser un número entero mayor o igual a 0")
    value = int(text)
    if value > maximum:
        raise ValueError(f"no puede ser mayor que {maximum:,}")
    return value


def parse_activo(raw) -> bool | None:
    """A record's state as posted: "1" active, "0" inactive, "" absent (None)."""
    text = "" if raw is None else str(raw).strip()
    if text == "":
        return None
    if text not in ("0", "1"):
        raise ValueError("debe ser 1 (activo) o 0 (inactivo)")
    return text == "1"


class ParsedField(Field):
    """A text input whose value is parsed by `parser`; the error names the field's label."""

    widget = TextInput()
    parser = staticmethod(lambda raw: raw)
    empty_value = None

    def __init__(self, label=None, validators=None, subject: str | None = None, **kwargs):
        super().__init__(label, validators, **kwargs)
        # How messages name the field: "El monto en MXN no puede ser negativo."
        self.subject = subject or self.label.text

    def process_formdata(self, valuelist):
        self.raw_value = valuelist[0] if valuelist else ""
        if not valuelist:
            self.data = self.empty_value
            return
        try:
            self.data = self.parser(valuelist[0])
        except ValueError as exc:
            self.data = None
            raise ValueError(f"{self.subject} {exc}.") from exc

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return self.format(self.data) if self.data is not None else ""

    @staticmethod
    def format(value) -> str:
        return str(value)


class MoneyField(ParsedField):
    parser = staticmethod(parse_money)
    empty_value = Decimal("0.00")

    @staticmethod
    def format(value) -> str:
        return amount(value)


class IsoDateField(ParsedField):
    parser = staticmethod(parse_date)

    @staticmethod
    def format(value) -> str:
        return value.isoformat()


class IdField(ParsedField):
    parser = staticmethod(parse_id)


class WholeField(ParsedField):
    parser = staticmethod(parse_whole)


class ActivoField(ParsedField):
    """A record's state as posted: "1" active, "0" inactive (a typed bool, None when absent)."""

    parser = staticmethod(parse_activo)
