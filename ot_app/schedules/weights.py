"""An activity's weight per currency: its share of the program's total in that currency, as a
percentage with 2 decimals. Pure functions (no database): `save_program` and the grid's preview
both call `assign`.

The rule: weights sum to exactly 100.00 per currency (or are all 0.00 when nothing in that
currency has an amount and nothing was typed). Typed weights are kept; the others share what is
left in proportion to their amounts, rounded to cents, the rounding remainder going to the largest
amount (so a 200-row program moves one row by a cent, not every row)."""

from __future__ import annotations

from decimal import ROUND_DOWN, ROUND_HALF_EVEN, Decimal

CIEN = Decimal("100.00")
CENT = Decimal("0.01")
ZERO = Decimal("0.00")


class PesoInvalido(ValueError):
    """Typed weights that cannot be completed to 100.00: the Spanish message names the currency."""

    def __init__(self, mensaje: str):
        super().__init__(mensaje)
        self.mensaje = mensaje


def _share(rest: Decimal, amounts: list[Decimal], rounding) -> list[Decimal]:
    total = sum(amounts)
    shares = [(rest * a / total).quantize(CENT, rounding=rounding) for a in amounts]
    largest = max(range(len(amounts)), key=lambda i: (amounts[i], -i))
    shares[largest] += rest - sum(shares)
    return shares


def assign(amounts: list[Decimal], edited: list[Decimal | None], moneda: str) -> list[Decimal]:
    """The weights of one currency for activities with these amounts; `edited[i]` is the weight
    typed for activity i (None: the default). Raises PesoInvalido when the typed ones are out of
    range, add up to more than 100.00, or leave a rest that no untyped activity with an amount can
    take."""
    etiqueta = moneda.upper()
    for value in edited:
        if value is not None and (value < 0 or value > CIEN or value != value.quantize(CENT)):
            raise PesoInvalido(
                f"Los pesos {etiqueta} van de 0.00 a 100.00 % con a lo más 2 decimales ({value} no lo es)."
            )
    typed = sum((v for v in edited if v is not None), ZERO)
    if typed > CIEN:
        raise PesoInvalido(f"Los pesos {etiqueta} editados suman {typed:.2f} %: no pueden pasar de 100.00 %.")
    free = [i for i, v in enumerate(edited) if v is None]
    free_amounts = [amounts[i] for i in free]
    out = [ZERO if v is None else v.quantize(CENT) for v in edited]
    if not any(v is not None for v in edited) and sum(amounts, ZERO) == 0:
        return out  # nothing in this currency: all 0.00 ("sin importes en USD")
    rest = CIEN - typed
    if rest == 0:
        return out
    if sum(free_amounts, ZERO) == 0:
        raise PesoInvalido(
            f"Los pesos {etiqueta} editados suman {typed:.2f} %: faltan {rest:.2f} % y no hay actividades "
            f"con importe {etiqueta} sin peso editado que los tomen."
        )
    shares = _share(rest, free_amounts, ROUND_HALF_EVEN)
    if min(shares) < 0:
        # Nearest-cent rounding of many tiny shares can overshoot by more than the largest share:
        # rounding down leaves a remainder >= 0, so nothing goes negative.
        shares = _share(rest, free_amounts, ROUND_DOWN)
    for i, share in zip(free, shares, strict=True):
        out[i] = share
    return out
