"""The concept catalog's shapes for the API and the OpenAPI document: a concept and a page of them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Annotated

from ..annexes.serialize import Numero
from ..shapes import Shape


@dataclass(frozen=True, slots=True)
class ConceptoContrato(Shape):
    id: int
    anexo: Annotated[str, "Sub-anexo (C-2 … C-6); vacío si el archivo no lo dice."]
    partida: str
    concepto: str
    unidad: Annotated[str, "Como la escribe el archivo."]
    unidad_clave: Annotated[str | None, "La unidad del catálogo de unidades (DIA, M2, PZA…)."]
    pu_mxn: Numero
    pu_usd: Numero
    tipo: Annotated[str, "ordinario o pue (precio unitario extraordinario)."]
    fecha_sancion: date | None
    estatus: str
    capitulo: str | None
    activo: bool


@dataclass(frozen=True, slots=True)
class ConceptosPagina(Shape):
    conceptos: list[ConceptoContrato]
    total: Annotated[int, "Conceptos que cumplen el filtro (todas las páginas)."]
    pagina: int
    por_pagina: int
