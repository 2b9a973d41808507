"""The JSON shape of a site conflict (GET /api/conflictos): one serializer for the API and its
OpenAPI schema."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Annotated

from ..shapes import Shape


@dataclass(frozen=True, slots=True)
class ConflictoSitio(Shape):
    tipo_sitio: Annotated[str, "embarcacion, plataforma o patio."]
    id_sitio: int
    sitio: Annotated[str, "El nombre del sitio."]
    ots: Annotated[list[int], "Los ID de las OT que lo ocupan a la vez."]
    folios: Annotated[list[str], "Sus folios, en el mismo orden."]
    desde: date
    hasta: date
    tipo: Annotated[
        str,
        "programado (traslape de lo programado más allá de la capacidad), real (un periodo real que invade la siguiente reserva) o movilizacion (menos días de movilización de los que necesita la embarcación).",
    ]
    descripcion: Annotated[str, "El conflicto en una frase."]

    @classmethod
    def from_found(cls, found: dict) -> ConflictoSitio:
        c = found["conflicto"]
        return cls(
            tipo_sitio=c.tipo_sitio,
            id_sitio=c.id_sitio,
            sitio=found["sitio"].nombre,
            ots=list(c.ots),
            folios=[found["folios"][i] for i in c.ots],
            desde=c.desde,
            hasta=c.hasta,
            tipo=c.tipo.value,
            descripcion=found["descripcion"],
        )
