"""Values as people and clients read them: money, dates and form text. The one set of helpers
the templates (as filters), the serializers, the forms and the history all use."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from functools import cache
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context

DEFAULT_TZ = "America/Mexico_City"


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
    """A date as dd/mm/aaaa ("" when there is none); a timestamp as `fecha_hora` shows it."""
    if not value:
        return ""
    if isinstance(value, datetime):
        return fecha_hora(value)
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        y, m, d = value.split("-")
        return f"{d}/{m}/{y}"
    return str(value)


# Nouns whose plural is not the word + "s" / "es" (and the invariant acronyms).
PLURALES = {
    "OT": "OT",
    "PTE": "PTE",
    "regla de pasos": "reglas de pasos",
    "reprogramación": "reprogramaciones",
}


def cantidad(n: int, singular: str, plural: str | None = None) -> str:
    """ "1 regla de pasos", "3 reglas de pasos", "1,250 OT": a count with its noun in agreement."""
    if n == 1:
        return f"1 {singular}"
    if plural is None:
        plural = PLURALES.get(singular) or (singular + ("s" if singular[-1:] in "aeiouáéó" else "es"))
    return f"{n:,} {plural}"


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


@cache
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def office_tz() -> ZoneInfo:
    """The installation's time zone (config OFFICE_TIMEZONE, default America/Mexico_City)."""
    name = current_app.config.get("OFFICE_TIMEZONE", DEFAULT_TZ) if has_app_context() else DEFAULT_TZ
    return _zone(name or DEFAULT_TZ)


def local(value: datetime) -> datetime:
    """A stored timestamp (naive UTC, or aware) in the office's time zone."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(office_tz())


def fecha_hora(value) -> str:
    """A timestamp as the office reads it: dd/mm/aaaa hh:mm in its own time zone ("" when none).
    Also takes the API's ISO 8601 text ("2026-12-01T18:05:00Z")."""
    if not value:
        return ""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return value
    if not isinstance(value, datetime):
        return fecha(value)
    return local(value).strftime("%d/%m/%Y %H:%M")


def office_today() -> date:
    """Today in the office's time zone: the default of every date a status change stamps."""
    return datetime.now(office_tz()).date()
