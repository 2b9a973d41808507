"""The JSON shapes of the timeline (GET /api/linea-tiempo): one serializer for the API and its
OpenAPI schema."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Annotated

from ..shapes import Shape


@dataclass(frozen=True, slots=True)
class Periodo(Shape):
    desde: date
    hasta: date


@dataclass(frozen=True, slots=True)
class ConflictoBarra(Shape):
    tipo: Annotated[
        str, "programado, real o movilizacion (como GET /api/conflictos): el del primero del tramo."
    ]
    desde: date
    hasta: date
    descripcion: Annotated[
        str,
        "El primer conflicto del tramo en una frase, y cuántos más (los que se traslapan o tocan: un tramo).",
    ]


@dataclass(frozen=True, slots=True)
class FilaLinea(Shape):
    id: Annotated[int, "La versión vigente de la cadena."]
    folio: str
    version: Annotated[int, "El número de edición (para mover sus fechas: la verificación de versión)."]
    num_reprogramacion: Annotated[int, "R0, R1…: 0 en la OT inicial."]
    grupo: Annotated[str, "El nombre del grupo (según agrupar); vacío sin agrupar."]
    sitio: Annotated[str, "Su embarcación, plataforma o patio."]
    estatus: str
    programado: Periodo | None
    real: Annotated[Periodo | None, "Del inicio real a su término real (en curso: a hoy)."]
    patio: Annotated[Periodo | None, "La fase de patio."]
    base: Annotated[Periodo | None, "Las fechas programadas de la versión 1, cuando difieren."]
    avance: Annotated[
        str | None, '% de avance físico del último corte, dos decimales ("42.50"); null sin corte.'
    ]
    transcurrido: Annotated[
        str | None, "% transcurrido del periodo programado, dos decimales; null sin fechas."
    ]
    vencida: Annotated[bool, "Terminó lo programado y no está Terminada ni Cancelada."]
    dias_atraso: int
    atrasada: Annotated[bool, "Lo transcurrido supera el avance."]
    conflictos: list[ConflictoBarra]

    @classmethod
    def of(cls, fila) -> FilaLinea:
        def periodo(a, b):
            return Periodo(a, b) if a and b else None

        def pct(value):
            return None if value is None else f"{value:.2f}"

        real_fin = next((b.hasta for b in fila.barras if b.clase == "real"), fila.real_termino)
        return cls(
            id=fila.id,
            folio=fila.folio,
            version=fila.version,
            num_reprogramacion=fila.num,
            grupo=fila.grupo,
            sitio=fila.sitio,
            estatus=fila.estatus,
            programado=periodo(fila.inicio, fila.termino),
            real=periodo(fila.real_inicio, real_fin),
            patio=periodo(fila.patio_inicio, fila.patio_fin),
            base=periodo(fila.base_inicio, fila.base_termino),
            avance=pct(fila.avance),
            transcurrido=pct(fila.transcurrido),
            vencida=fila.vencida,
            dias_atraso=fila.dias_atraso,
            atrasada=fila.atrasada,
            conflictos=[ConflictoBarra(r.tipo, r.desde, r.hasta, r.descripcion) for r in fila.rojos],
        )
