"""What the API sends of S-curves and cut-offs (the pages read the same values)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from ..shapes import Shape
from .spread import pct

Pct = Annotated[str, 'Porcentaje con dos decimales, como texto: "42.50".']
PctOrNull = Annotated[str | None, "Porcentaje con dos decimales; null cuando no hay valor en ese periodo."]


@dataclass(frozen=True, slots=True)
class PuntoCurva(Shape):
    periodo: Annotated[str, "Fin de la semana (fecha de corte, AAAA-MM-DD) o el mes (AAAA-MM)."]
    planeado: PctOrNull
    planeado_v1: Annotated[str | None, "El programa de la versión 1 (línea base contractual)."]
    real: Annotated[
        str | None, "El último corte hasta ese periodo; null antes del primero y después del último."
    ]


@dataclass(frozen=True, slots=True)
class AvanceCorte(Shape):
    id_actividad: int
    avance: Pct


@dataclass(frozen=True, slots=True)
class CorteDatos(Shape):
    id: int
    id_ot: int
    fecha_corte: Annotated[str, "AAAA-MM-DD"]
    origen: Annotated[str, "captura (por actividad) o pasos (la OT no tiene programa)."]
    id_revision: Annotated[int | None, "La revisión del programa medida."]
    usuario: str
    comentario: str
    planeado_mxn: Pct
    planeado_usd: Pct
    real_mxn: Pct
    real_usd: Pct
    spi_mxn: Annotated[str | None, "Real ÷ planeado, tres decimales; null si no había nada planeado."]
    spi_usd: str | None
    dias_atraso: int
    avances: list[AvanceCorte]


def punto(p) -> PuntoCurva:
    return PuntoCurva(p.periodo, p.planeado, p.planeado_v1, p.real)


def corte_datos(c, avances) -> CorteDatos:
    """A Corte row and its CorteAvance rows as the API sends them."""
    spi = lambda v: None if v is None else str(v.quantize(v.__class__("0.001")))  # noqa: E731
    return CorteDatos(
        c.id,
        c.id_ot,
        c.fecha_corte.isoformat(),
        c.origen,
        c.id_revision,
        c.usuario,
        c.comentario or "",
        pct(c.planeado_mxn),
        pct(c.planeado_usd),
        pct(c.real_mxn),
        pct(c.real_usd),
        spi(c.spi_mxn),
        spi(c.spi_usd),
        c.dias_atraso,
        [AvanceCorte(a.id_actividad, pct(a.avance)) for a in avances],
    )
