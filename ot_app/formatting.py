"""Values as people and clients read them: money, dates and form text. The one set of helpers
the templates (as filters), the serializers, the forms and the history all use."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo


def money(value) -> str:
    """An amount as the office reads it: 1,234,567.50 ("" when there is none)."""
    if value is None or value == "":
        return ""
    return f"{Decimal(value):,.2f}"


def amount(value) -> str:
    """An amount as the API and the form fields carry it: 1234567.50 (None is 0.00)."""
    return f"{Decimal(value or 0):.2f}"


def iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def fecha(value) -> str:
    """A date as dd/mm/aaaa, a timestamp as dd/mm/aaaa hh:mm ("" when there is none)."""
    if not value:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        y, m, d = value.split("-")
        return f"{d}/{m}/{y}"
    return str(value)


def form_text(value) -> str:
    """A stored value as the string a form field shows."""
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return amount(value)
    if isinstance(value, bool):
        return "on" if value else ""
    return str(value)


OFFICE_TZ = ZoneInfo("America/Mexico_City")


def office_today() -> date:
    """Today in the office's time zone: the default of every date a status change stamps."""
    return datetime.now(OFFICE_TZ).date()
