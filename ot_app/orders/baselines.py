"""Versions as baselines (issue 12): what changed between two versions of a chain, and the warnings
a version carries (the client's 25 % rule, a start before its predecessor's end, "por definir").

Pure functions over rows that have the version's figures (an OTE or a `read` row): the service
warns with them when it saves a reprogramming, and the lineage shows the same words."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from ..formatting import amount, fecha, money
from .forms import OTForm

# The client's rule: an amount (each currency on its own) or a plazo that differs from the original's
# by MORE than this is flagged. A warning, never a block: real chains exceed it routinely.
LIMIT_PCT = Decimal("25.00")
CENT = Decimal("0.01")

# The figures compared between versions, named as the form labels them.
COMPARED = {
    name: OTForm.specs()[name].label
    for name in (
        "fecha_inicio_programado",
        "fecha_termino_programado",
        "plazo_dias",
        "monto_mxn",
        "monto_usd",
    )
}
LIMITED = ("monto_mxn", "monto_usd", "plazo_dias")  # the 25 % rule's figures


def percentage(original, value) -> Decimal | None:
    """The change from `original` to `value` in %, to 2 decimals (half up); None when the original
    is 0 or empty: there is no base to compare with."""
    if not original:
        return None
    change = (Decimal(value or 0) - Decimal(original)) * 100 / Decimal(original)
    return change.quantize(CENT, rounding=ROUND_HALF_UP)


def exceeds_limit(original, value) -> bool:
    """The 25 % rule, in one place: more than 25.00 % either way (exactly 25.00 % is not), on the
    percentage as it is shown (2 decimals); never with an original of 0 or empty."""
    pct = percentage(original, value)
    return pct is not None and abs(pct) > LIMIT_PCT


def _text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return amount(value)
    return str(value)


def _shown(value) -> str:
    """A figure as a message names it: amounts as the office reads them (1,250,000.00)."""
    return money(value) if isinstance(value, Decimal) else _text(value)


def _value(row, name):
    return row[name] if isinstance(row, dict) else getattr(row, name)


def change(name: str, before, after) -> dict | None:
    """{de, a, diferencia, porcentaje} of one figure, as text (dates ISO, amounts with 2 decimals,
    days as whole numbers), or None when it did not change. Dates differ in days and have no %."""
    if name in ("monto_mxn", "monto_usd"):
        before, after = Decimal(before or 0), Decimal(after or 0)
    elif name == "plazo_dias":
        before, after = before or 0, after or 0
    if before == after:
        return None
    if isinstance(before, date) or isinstance(after, date):
        diferencia = str((after - before).days) if before and after else None
        porcentaje = None
    else:
        diferencia = _text(after - before)
        pct = percentage(before, after)
        porcentaje = None if pct is None else f"{pct:.2f}"
    return {"de": _text(before), "a": _text(after), "diferencia": diferencia, "porcentaje": porcentaje}


def changes(before, after) -> dict[str, dict]:
    """{campo: change} of the compared figures that differ between two versions."""
    out = {}
    for name in COMPARED:
        found = change(name, _value(before, name), _value(after, name))
        if found is not None:
            out[name] = found
    return out


def _signed(text: str) -> str:
    return "−" + text[1:] if text.startswith("-") else "+" + text


def describe(found: dict | None, name: str, days: str = " d") -> str:
    """A change (`change()`) as the lineage and the comparison print it: "+300,000.00 (+27.27 %)",
    "+7 d", "+1,000.00 (sin base)"; "" when there is none."""
    if not found or found["diferencia"] is None:
        return ""
    diferencia = found["diferencia"]
    text = _signed(money(diferencia) if name in ("monto_mxn", "monto_usd") else diferencia)
    if name.startswith("fecha_"):
        return text + days
    if found["porcentaje"] is not None:
        return f"{text} ({_signed(found['porcentaje'])} %)"
    return f"{text} (sin base)"


def label(num_reprogramacion) -> str:
    return f"R{num_reprogramacion or 0}"


def warnings(version, previous=None, original=None) -> list[dict]:
    """[{campo, mensaje}] of one version: against the original (the initial OT) the 25 % rule or
    "sin base de comparación" (a figure of 0 or empty is not compared: it is still to define); against its predecessor a start before its programmed end; and the
    figures still "por definir". `previous`/`original` are None for the initial OT itself."""
    out = []
    if original is not None and original is not version:
        for name in LIMITED:
            base, value = _value(original, name), _value(version, name)
            pct = percentage(base, value)
            what = COMPARED[name]
            if not value:
                continue  # not defined yet: "por definir" below, not a -100 % change
            if pct is None:
                if value:
                    out.append(
                        {
                            "campo": name,
                            "mensaje": f"{what}: el original (R0) es 0, sin base de comparación.",
                        }
                    )
            elif exceeds_limit(base, value):
                out.append(
                    {
                        "campo": name,
                        "mensaje": f"{what} difiere {pct:+.2f} % del original (R0: {_shown(base)} → "
                        f"{_shown(value)}): más del {LIMIT_PCT} %.",
                    }
                )
    if previous is not None:
        start, end = _value(version, "fecha_inicio_programado"), _value(previous, "fecha_termino_programado")
        if start and end and start < end:
            out.append(
                {
                    "campo": "fecha_inicio_programado",
                    "mensaje": f"Inicia el {fecha(start)}, antes del término programado de "
                    f"{label(_value(previous, 'num_reprogramacion'))} ({fecha(end)}).",
                }
            )
    for name in ("fecha_inicio_programado", "fecha_termino_programado"):
        if not _value(version, name):
            out.append({"campo": name, "mensaje": f"{COMPARED[name]}: por definir."})
    if not _value(version, "monto_mxn") and not _value(version, "monto_usd"):
        out.append({"campo": "monto_mxn", "mensaje": "Montos por definir (MXN y USD en 0)."})
    return out
